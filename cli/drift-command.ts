/**
 * `vaultsmith drift <stack>=<plan.json> ...`: judge the JSON of `terraform show -json <planfile>`
 * for each stack, print what changed (sensitive values masked), and exit 0 (clean), 2 (drift) or
 * 1 (error — a failed plan or an unreadable file). See examples/ci/vault-drift.yml.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DriftReport, KNOWN_FLAPPING_ATTRIBUTES, analysePlan, combineReports, explainPolicyChanges } from "../constructs/drift/plan-drift";
import { Command } from "commander";
import { CliIo, Runner, UsageError } from "./cli-io";

/** Judge `stack=path` pairs; `read` loads a plan file. Changed ACL policies are explained by the policy engine. */
export async function driftReport(args: readonly string[], read: (path: string) => string): Promise<{ exitCode: 0 | 1 | 2; text: string }> {
  const reports: DriftReport[] = args.map((arg) => {
    const [stack, path] = arg.includes("=") ? (arg.split("=", 2) as [string, string]) : [arg, arg];
    let text: string;
    try {
      text = read(path);
    } catch (e) {
      const error = `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      return { exitCode: 1, resources: [], error, text: `${stack}: error: ${error}\n` };
    }
    return analysePlan(text, { stack, ignoreAttributes: KNOWN_FLAPPING_ATTRIBUTES });
  });
  return combineReports(await Promise.all(reports.map((r) => explainPolicyChanges(r))));
}

/** Run `vaultsmith drift`. */
export async function runDriftCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length === 0) throw new UsageError("give at least one <stack>=<plan.json>");
  const { exitCode, text } = await driftReport(args, (path) => readFileSync(resolve(io.cwd, path), "utf8"));
  io.stdout(text);
  return exitCode;
}

/** Add `drift` to the program. */
export function registerDriftCommand(program: Command, io: CliIo, run: Runner): void {
  program
    .command("drift")
    .description("report drift from `terraform show -json` plans; exit 0 clean, 2 drift, 1 error")
    .argument("<plans...>", "<stack>=<plan.json> pairs (a bare path names the stack after the file)")
    .addHelpText(
      "after",
      `
Exit codes: 0 no drift, 2 drift found, 1 a plan failed or a file cannot be read.

Examples:
  $ terraform -chdir=cdktf.out/stacks/cassandra plan -out=plan && terraform -chdir=cdktf.out/stacks/cassandra show -json plan > cassandra.json
  $ vaultsmith drift cassandra=cassandra.json one-mount=one-mount.json
`,
    )
    .action(run((plans: string[]) => runDriftCommand(plans, io)));
}
