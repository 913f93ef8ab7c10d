/**
 * `vaultsmith policy <subcommand>`: fmt, lint, test, diff, sync.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { Command } from "commander";
import { renderHcl } from "../policies/hcl-render";
import { diffPolicySets, formatDiffMarkdown, formatDiffText } from "../policies/policy-diff";
import { LintFinding, lintPolicies } from "../policies/policy-lint";
import { parsePolicy } from "../policies/policy-parse";
import { loadPolicySet, policiesOfRole } from "../policies/policy-source";
import { HttpPolicyStore, formatSyncPlan, syncPolicies } from "../policies/policy-sync";
import { HttpCapabilitySource, formatLiveTestReport, runLivePolicyTestFile } from "../policies/policy-live-test";
import { formatTestReport, runPolicyTestFile } from "../policies/policy-test-suite";
import { PolicyServerFlavor } from "../policies/server-flavor";
import { ServerConnection, connect } from "./server-connection";
import { CliIo, InputError, Runner, UsageError, collect } from "./cli-io";
import { withProgress } from "./progress";

function flavorOf(value: string | undefined): PolicyServerFlavor | undefined {
  if (value === undefined) return undefined;
  if (value !== "vault" && value !== "openbao") throw new UsageError(`--flavor must be vault or openbao, got ${JSON.stringify(value)}`);
  return value;
}

type Values = Readonly<Record<string, string | string[] | boolean | undefined>>;

const FLAVOR = ["--flavor <flavor>", "server the policies are for: vault or openbao (their policy languages differ slightly)"] as const;

/** Add `policy fmt|lint|test|diff|sync` to the program. */
export function registerPolicyCommands(program: Command, io: CliIo, run: Runner): void {
  const policy = program
    .command("policy")
    .description("policy as code: format, lint, test, diff and sync ACL policies")
    .addHelpText(
      "after",
      "\nExamples:\n  $ vaultsmith policy lint examples/policies/\n  $ vaultsmith policy diff origin/main:examples/policies examples/policies --fail-on-widen\n",
    );
  policy
    .command("fmt")
    .description("print (or rewrite with --write) policies as canonical HCL")
    .argument("<files...>", "policy files (.hcl or .json)")
    .option("--write", "rewrite the files in place (a .json file is written as .hcl)")
    .option(...FLAVOR)
    .addHelpText(
      "after",
      "\nExamples:\n  $ vaultsmith policy fmt examples/policies/app-orders.hcl\n  $ vaultsmith policy fmt examples/policies/*.hcl --write\n",
    )
    .action(run((files: string[], options: Values) => fmt(files, options, io)));
  policy
    .command("lint")
    .description("conflicts, hidden denies, risky wildcard/sudo grants, KV v2 mistakes; exit 1 on errors")
    .argument("<dir>", "folder of policy files (*.hcl, *.json, optional roles.yaml)")
    .option("--kv2-mount <mount>", "a KV v2 mount (repeatable)", collect)
    .option(...FLAVOR)
    .addHelpText(
      "after",
      "\nExamples:\n  $ vaultsmith policy lint examples/policies/\n  $ vaultsmith policy lint examples/policies/ --kv2-mount secret/ --kv2-mount kv/\n",
    )
    .action(run((dir: string, options: Values) => lint(dir, options, io)));
  policy
    .command("test")
    .description("run YAML policy test cases offline (and with --live against a server); exit 1 when a case fails")
    .argument("<suites...>", "YAML test suites")
    .option("--live", "also ask a live server (sys/capabilities) what a token with each case's deployed policies may do")
    .option("--address <url>", "server address for --live (default VAULT_ADDR)")
    .option("--token <token>", "token for --live that may create tokens with the policies (prefer VAULT_TOKEN)")
    .option("--namespace <ns>", "namespace the policies are deployed in (default VAULT_NAMESPACE)")
    .addHelpText(
      "after",
      `
With --live every case runs twice: offline against the policy files, then against the server,
which is asked through sys/capabilities what a short-lived child token holding exactly the case's
policies (by name, as deployed) may do on the path. A case fails if either run fails. Cases the
server cannot judge are skipped live, with the reason: identity templates, help, and denials that
rest on parameter constraints or wrapping TTLs. VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE and
VAULT_CACERT are read.

Examples:
  $ vaultsmith policy test examples/policies/policy-tests.yaml
  $ VAULT_ADDR=https://vault.example.com:8200 VAULT_TOKEN=… vaultsmith policy test examples/policies/policy-tests.yaml --live
`,
    )
    .action(run((suites: string[], options: Values) => test(suites, options, io)));
  policy
    .command("diff")
    .description("capabilities each role gains and loses between two policy sets")
    .argument("<base>", "a folder, or <git ref>:<folder>")
    .argument("<head>", "a folder, or <git ref>:<folder>")
    .option("--format <format>", "text or markdown (for PR comments)", "text")
    .option("--fail-on-widen", "exit 1 when any role gains access")
    .option(...FLAVOR)
    .addHelpText(
      "after",
      "\nExamples:\n  $ vaultsmith policy diff origin/main:examples/policies examples/policies\n  $ vaultsmith policy diff origin/main:examples/policies examples/policies --format markdown --fail-on-widen\n",
    )
    .action(run((base: string, head: string, options: Values) => diff(base, head, options, io)));
  policy
    .command("sync")
    .description("make a server hold exactly these policies (a dry run unless --apply)")
    .argument("<dir>", "folder of policy files")
    .option("--address <url>", "server address (default VAULT_ADDR)")
    .option("--token <token>", "token (prefer VAULT_TOKEN: arguments show up in process lists)")
    .option("--namespace <ns>", "namespace (default VAULT_NAMESPACE)")
    .option("--apply", "write the changes (without it, only print them)")
    .option("--prune", "also delete policies the folder does not hold (never root or default)")
    .option("--stamp <stamp>", "version stamp written into each policy (default git:<HEAD>)")
    .option(...FLAVOR)
    .addHelpText(
      "after",
      "\nVAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE and VAULT_CACERT are read.\n\nExamples:\n  $ vaultsmith policy sync policies/\n  $ vaultsmith policy sync policies/ --apply --prune\n",
    )
    .action(run((dir: string, options: Values) => sync(dir, options, io)));
}

/** Load a policy folder that must hold at least one policy (lint and sync of nothing is a mistake). */
async function loadNonEmpty(spec: string, flavor: PolicyServerFlavor | undefined, io: CliIo) {
  const set = await loadPolicySet(spec, { flavor, cwd: io.cwd });
  if (set.policies.length === 0)
    throw new InputError(`${spec} holds no policy files (*.hcl or *.json): give the folder your policies are in`);
  return set;
}

async function fmt(positionals: string[], values: Values, io: CliIo): Promise<number> {
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

async function lint(dir: string, values: Values, io: CliIo): Promise<number> {
  const flavor = flavorOf(values.flavor as string | undefined);
  const set = await loadNonEmpty(dir, flavor, io);
  const kv2Mounts = ((values.kv2Mount as string[] | undefined) ?? ["secret/"]).map((m) => (m.endsWith("/") ? m : `${m}/`));
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

async function test(positionals: string[], values: Values, io: CliIo): Promise<number> {
  if (values.live) requireServer(values, io, "--live needs a server", "--live needs a token that may create tokens");
  const connection = values.live ? await connectTo(values, io) : undefined;
  const server = connection
    ? new HttpCapabilitySource({ requester: connection.client, description: serverName(connection, values, io) })
    : undefined;
  let failed = 0;
  try {
    for (const file of positionals) {
      const report = await runPolicyTestFile(resolve(io.cwd, file));
      io.stdout(formatTestReport({ ...report, file }));
      failed += report.results.filter((r) => !r.passed).length;
      if (server) {
        const live = await withProgress(io, `${file}: asking the server for each case's capabilities`, () =>
          runLivePolicyTestFile(resolve(io.cwd, file), server),
        );
        io.stdout(formatLiveTestReport({ ...live, file }));
        failed += live.results.filter((r) => r.outcome === "fail").length;
      }
    }
  } finally {
    await server?.close();
    await connection?.close();
  }
  return failed > 0 ? 1 : 0;
}

/** Refuse at once, before any file is read, when the server address or the token is missing. */
function requireServer(values: Values, io: CliIo, noAddress: string, noToken: string): void {
  if (!((values.address as string | undefined) ?? io.env.VAULT_ADDR ?? io.env.BAO_ADDR)) {
    throw new UsageError(`${noAddress}: pass --address or set VAULT_ADDR`);
  }
  if (!((values.token as string | undefined) ?? io.env.VAULT_TOKEN ?? io.env.BAO_TOKEN)) {
    throw new UsageError(`${noToken}: pass --token or set VAULT_TOKEN`);
  }
}

/** A connection to the server `--live` and `sync` talk to: flags first, then VAULT_* variables. */
function connectTo(values: Values, io: CliIo): Promise<ServerConnection> {
  return connect(io, {
    address: values.address as string | undefined,
    token: values.token as string | undefined,
    namespace: values.namespace as string | undefined,
  });
}

/** How reports name the server: its address and namespace. */
function serverName(connection: ServerConnection, values: Values, io: CliIo): string {
  const namespace = (values.namespace as string | undefined) ?? io.env.VAULT_NAMESPACE ?? io.env.BAO_NAMESPACE;
  const address = connection.client.cluster.nodes.map((n) => n.address).join(",");
  return namespace ? `${address} namespace ${namespace}` : address;
}

async function diff(base: string, head: string, values: Values, io: CliIo): Promise<number> {
  const positionals = [base, head];
  const format = (values.format as string | undefined) ?? "text";
  if (format !== "text" && format !== "markdown") throw new UsageError(`--format must be text or markdown, got ${JSON.stringify(format)}`);
  const flavor = flavorOf(values.flavor as string | undefined);
  const [baseSet, headSet] = await Promise.all(positionals.map((spec) => loadPolicySet(spec, { flavor, cwd: io.cwd })));
  const result = diffPolicySets(baseSet, headSet, { flavor });
  io.stdout(format === "markdown" ? formatDiffMarkdown(result) : formatDiffText(result));
  return values.failOnWiden && result.widens ? 1 : 0;
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

async function sync(dir: string, values: Values, io: CliIo): Promise<number> {
  requireServer(values, io, "no server address", "no token");
  const flavor = flavorOf(values.flavor as string | undefined);
  const set = await loadNonEmpty(dir, flavor, io);
  const connection = await connectTo(values, io);
  const store = new HttpPolicyStore(connection.client, serverName(connection, values, io));
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
    await connection.close();
  }
}
