/**
 * `vaultsmith drift <stack>=<plan.json> ...`: judge the JSON of `terraform show -json <planfile>`
 * for each stack, print what changed (sensitive values masked), and exit 0 (clean), 3 (drift) or
 * 1 (error — a failed plan or an unreadable file); 2 is bad usage, as in every command. See examples/ci/vault-drift.yml.
 *
 * With `--fail-on-widen`, drift that widens access — an ACL policy that grants more than before,
 * changed by hand on the server or about to be by the configuration — exits 4 instead of 3, so a
 * CI job can tell "the estate drifted" (3: open a ticket) from "someone may have given themselves
 * access" (4: alert). An error (1) still wins: a stack that could not be judged may hide anything.
 * Widening changes are always named on lines of their own after the report.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  DriftExitCode,
  DriftReport,
  KNOWN_FLAPPING_ATTRIBUTES,
  analysePlan,
  combineReports,
  explainPolicyChanges,
} from "../drift/plan-drift";
import { Command } from "commander";
import { formatWidening, wideningChanges } from "../drift/widening";
import { CliIo, Runner, UsageError } from "./cli-io";

/** Exit code of `vaultsmith drift --fail-on-widen` when some policy change widens access. */
export const DRIFT_WIDENS_EXIT_CODE = 4;

/** Options of {@link driftReport}. */
export interface DriftCommandOptions {
  /** Exit {@link DRIFT_WIDENS_EXIT_CODE} instead of 3 when a policy change widens access. */
  readonly failOnWiden?: boolean;
}

/** Judge `stack=path` pairs; `read` loads a plan file. Changed ACL policies are explained by the policy engine. */
export async function driftReport(
  args: readonly string[],
  read: (path: string) => string,
  options: DriftCommandOptions = {},
): Promise<{ exitCode: 0 | 1 | 3 | 4; text: string }> {
  // The stack name ends at the first "=": the path may hold more of them (`prod=plans/a=b.json`).
  const stacks = args.map((arg): [string, string] => {
    const at = arg.indexOf("=");
    return at < 0 ? [arg, arg] : [arg.slice(0, at), arg.slice(at + 1)];
  });
  const reports: DriftReport[] = stacks.map(([stack, path]) => {
    let text: string;
    try {
      text = read(path);
    } catch (e) {
      const error = `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      return { exitCode: 1, resources: [], error, text: `${stack}: error: ${error}\n` };
    }
    return analysePlan(text, { stack, ignoreAttributes: KNOWN_FLAPPING_ATTRIBUTES });
  });
  const explained = await Promise.all(reports.map((r) => explainPolicyChanges(r)));
  const combined = combineReports(explained);
  let widening = "";
  for (const [i, report] of explained.entries()) widening += formatWidening(stacks[i][0], await wideningChanges(report));
  if (!widening) return combined;
  const text = `${combined.text}${widening}`;
  return { exitCode: options.failOnWiden && combined.exitCode === DriftExitCode.drift ? DRIFT_WIDENS_EXIT_CODE : combined.exitCode, text };
}

/** Run `vaultsmith drift`. */
export async function runDriftCommand(args: string[], io: CliIo, options: DriftCommandOptions = {}): Promise<number> {
  if (args.length === 0) throw new UsageError("give at least one <stack>=<plan.json>");
  const { exitCode, text } = await driftReport(args, (path) => readFileSync(resolve(io.cwd, path), "utf8"), options);
  io.stdout(text);
  return exitCode;
}

/** Add `drift` to the program. */
export function registerDriftCommand(program: Command, io: CliIo, run: Runner): void {
  program
    .command("drift")
    .description("report drift from `terraform show -json` plans; exit 0 clean, 3 drift, 1 error (4 widening with --fail-on-widen)")
    .argument("<plans...>", "<stack>=<plan.json> pairs (a bare path names the stack after the file)")
    .option("--fail-on-widen", "exit 4 (not 3) when a policy change widens access, outside Terraform or by the configuration")
    .addHelpText(
      "after",
      `
Exit codes: 0 no drift, 3 drift found, 1 a plan failed or a file cannot be read, 2 bad usage,
4 (only with --fail-on-widen) drift that widens access: an ACL policy grants more than before,
changed on the server outside Terraform or about to be changed by the configuration. An error (1)
wins over 4. Widening changes are named after the report ("<stack>: <address> widened outside
Terraform").

Examples:
  $ terraform -chdir=cdktf.out/stacks/cassandra plan -out=plan && terraform -chdir=cdktf.out/stacks/cassandra show -json plan > cassandra.json
  $ vaultsmith drift cassandra=cassandra.json
  $ vaultsmith drift --fail-on-widen cassandra=cassandra.json
`,
    )
    .action(run((plans: string[], options: { failOnWiden?: boolean }) => runDriftCommand(plans, io, { failOnWiden: options.failOnWiden })));
}
