/**
 * `vaultsmith policy <subcommand>`: fmt, lint, test, diff, sync.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { ParseArgsConfig, parseArgs } from "node:util";
import { renderHcl } from "../policies/hcl-render";
import { diffPolicySets, formatDiffMarkdown, formatDiffText } from "../policies/policy-diff";
import { LintFinding, lintPolicies } from "../policies/policy-lint";
import { parsePolicy } from "../policies/policy-parse";
import { loadPolicySet, policiesOfRole } from "../policies/policy-source";
import { HttpPolicyStore, formatSyncPlan, syncPolicies } from "../policies/policy-sync";
import { formatTestReport, runPolicyTestFile } from "../policies/policy-test-suite";
import { PolicyServerFlavor } from "../policies/server-flavor";
import { CliIo, UsageError } from "./cli-io";

/** Usage of the policy commands. */
export const POLICY_USAGE = `  policy fmt <file.hcl|json>... [--write] [--flavor vault|openbao]
      print (or rewrite) policies as canonical HCL
  policy lint <dir> [--kv2-mount secret/]... [--flavor vault|openbao]
      conflicts, hidden denies, risky wildcard/sudo grants, KV v2 mistakes; exit 1 on errors
  policy test <suite.yaml>...
      run YAML policy test cases offline; exit 1 when a case fails
  policy diff <base> <head> [--format text|markdown] [--fail-on-widen] [--flavor vault|openbao]
      capabilities each role gains and loses; <base>/<head> are directories or <git ref>:<dir>
  policy sync <dir> [--address URL] [--token T] [--namespace NS] [--apply] [--prune] [--stamp S]
      (VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE, VAULT_CACERT are read too; prefer VAULT_TOKEN to --token)
      make a server hold exactly these policies (dry run unless --apply); VAULT_ADDR/VAULT_TOKEN by default`;

function flavorOf(value: string | undefined): PolicyServerFlavor | undefined {
  if (value === undefined) return undefined;
  if (value !== "vault" && value !== "openbao") throw new UsageError(`--flavor must be vault or openbao, got ${JSON.stringify(value)}`);
  return value;
}

function parse(args: string[], options: NonNullable<ParseArgsConfig["options"]>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Run `vaultsmith policy ...`; resolves to the exit code. */
export async function runPolicyCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case "fmt":
      return fmt(rest, io);
    case "lint":
      return lint(rest, io);
    case "test":
      return test(rest, io);
    case "diff":
      return diff(rest, io);
    case "sync":
      return sync(rest, io);
    default:
      throw new UsageError(sub === undefined ? "missing subcommand" : `unknown subcommand ${JSON.stringify(sub)}`);
  }
}

async function fmt(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { write: { type: "boolean" }, flavor: { type: "string" } });
  if (positionals.length === 0) throw new UsageError("policy fmt needs at least one file");
  for (const file of positionals) {
    const path = resolve(io.cwd, file);
    const name = basename(file)
      .replace(/\.(hcl|json)$/, "")
      .toLowerCase();
    const text = renderHcl(
      await parsePolicy(readFileSync(path, "utf8"), { file, name, flavor: flavorOf(values.flavor as string | undefined) }),
    );
    if (values.write) writeFileSync(path.replace(/\.json$/, ".hcl"), text);
    else io.stdout(positionals.length > 1 ? `# ${file}\n${text}` : text);
  }
  return 0;
}

function formatFinding(f: LintFinding): string {
  return `${f.severity.padEnd(7)} ${f.code} ${f.policy} ${JSON.stringify(f.path)}\n  ${f.message}${f.suggestion ? `\n  fix: ${f.suggestion}` : ""}`;
}

async function lint(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { "kv2-mount": { type: "string", multiple: true }, flavor: { type: "string" } });
  if (positionals.length !== 1) throw new UsageError("policy lint needs one policy directory");
  const flavor = flavorOf(values.flavor as string | undefined);
  const set = await loadPolicySet(positionals[0], { flavor, cwd: io.cwd });
  const kv2Mounts = ((values["kv2-mount"] as string[] | undefined) ?? ["secret/"]).map((m) => (m.endsWith("/") ? m : `${m}/`));
  const findings: LintFinding[] = set.renamed.map((r) => ({
    code: "policy-name-case",
    severity: "warning" as const,
    policy: r.stored,
    path: r.file,
    message: `Vault lower-cases policy names: ${r.file} is stored as ${JSON.stringify(r.stored)}`,
    suggestion: `Rename the file to ${r.stored}${r.file.slice(r.file.lastIndexOf("."))}.`,
  }));
  const seen = new Set<string>();
  for (const role of Object.keys(set.roles)) {
    for (const finding of lintPolicies(policiesOfRole(set, role), { kv2Mounts, flavor })) {
      const key = `${finding.code}|${finding.policy}|${finding.path}|${finding.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        findings.push(finding);
      }
    }
  }
  io.stdout(findings.length ? `${findings.map(formatFinding).join("\n")}\n` : "no findings\n");
  return findings.some((f) => f.severity === "error") ? 1 : 0;
}

async function test(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length === 0) throw new UsageError("policy test needs at least one YAML suite");
  let failed = 0;
  for (const file of positionals) {
    const report = await runPolicyTestFile(resolve(io.cwd, file));
    io.stdout(formatTestReport({ ...report, file }));
    failed += report.results.filter((r) => !r.passed).length;
  }
  return failed > 0 ? 1 : 0;
}

async function diff(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: "string" },
    "fail-on-widen": { type: "boolean" },
    flavor: { type: "string" },
  });
  if (positionals.length !== 2) throw new UsageError("policy diff needs <base> and <head>");
  const format = (values.format as string | undefined) ?? "text";
  if (format !== "text" && format !== "markdown") throw new UsageError(`--format must be text or markdown, got ${JSON.stringify(format)}`);
  const flavor = flavorOf(values.flavor as string | undefined);
  const [base, head] = await Promise.all(positionals.map((spec) => loadPolicySet(spec, { flavor, cwd: io.cwd })));
  const result = diffPolicySets(base, head, { flavor });
  io.stdout(format === "markdown" ? formatDiffMarkdown(result) : formatDiffText(result));
  return values["fail-on-widen"] && result.widens ? 1 : 0;
}

function defaultStamp(cwd: string): string {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty =
      execFileSync("git", ["status", "--porcelain"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() !== "";
    return `git:${commit}${dirty ? "+dirty" : ""}`;
  } catch {
    return `unversioned:${new Date().toISOString()}`;
  }
}

async function sync(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    address: { type: "string" },
    token: { type: "string" },
    namespace: { type: "string" },
    apply: { type: "boolean" },
    prune: { type: "boolean" },
    stamp: { type: "string" },
    flavor: { type: "string" },
  });
  if (positionals.length !== 1) throw new UsageError("policy sync needs one policy directory");
  const address = (values.address as string | undefined) ?? io.env.VAULT_ADDR ?? io.env.BAO_ADDR;
  const token = (values.token as string | undefined) ?? io.env.VAULT_TOKEN ?? io.env.BAO_TOKEN;
  if (!address) throw new UsageError("no server address: pass --address or set VAULT_ADDR");
  if (!token) throw new UsageError("no token: pass --token or set VAULT_TOKEN");
  const flavor = flavorOf(values.flavor as string | undefined);
  const set = await loadPolicySet(positionals[0], { flavor, cwd: io.cwd });
  const caFile = io.env.VAULT_CACERT ?? io.env.BAO_CACERT;
  const ca = caFile ? readFileSync(resolve(io.cwd, caFile), "utf8") : undefined;
  const store = new HttpPolicyStore(address, token, (values.namespace as string | undefined) ?? io.env.VAULT_NAMESPACE, { ca });
  try {
    const apply = Boolean(values.apply);
    const actions = await syncPolicies(store, set.policies, {
      apply,
      prune: Boolean(values.prune),
      stamp: (values.stamp as string | undefined) ?? defaultStamp(io.cwd),
      flavor,
    });
    io.stdout(formatSyncPlan(actions, apply));
    return 0;
  } finally {
    await store.close();
  }
}
