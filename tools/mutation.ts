/**
 * `npm run test:mutation [-- <module.ts>... [stryker options]]`: StrykerJS over each module of
 * {@link MODULES}, one Stryker run per module with only that module's own unit tests, then a table
 * of the scores. Exit 1 when a run fails or a module scores below `thresholds.break` of
 * stryker.config.json (Stryker checks it per run, so per module).
 *
 * Why one run per module: a mutant's run asks Jest for every test related to the mutated file.
 * Jest loads each of those suites even when Stryker's test filter skips all of their tests, so a
 * shared list of test files costs seconds per mutant; with one module's tests (passed to Jest in
 * VAULTSMITH_MUTATION_TESTS, read by jest.mutation.config.js) a mutant costs about one second.
 *
 * Arguments ending in `.ts` choose modules (default: all); anything else goes to `stryker run`
 * (e.g. `--concurrency 1`). Reports: reports/mutation/<module>.json and .html.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

/** Each mutated module and the unit tests that must kill its mutants (none of them starts a server). */
export const MODULES: Readonly<Record<string, readonly string[]>> = {
  "runtime/resilience/backoff.ts": ["test/unit/runtime/resilience/backoff.test.ts"],
  "runtime/resilience/failure-kind.ts": ["test/unit/runtime/resilience/failure-kind.test.ts"],
  "runtime/resilience/outage-gate.ts": ["test/unit/runtime/resilience/outage-gate.test.ts"],
  "runtime/auth/renewal-timing.ts": ["test/unit/runtime/auth/renewal-timing.test.ts"],
  "runtime/certs/renewal-schedule.ts": ["test/unit/runtime/certs/renewal-schedule.test.ts"],
  "runtime/cache/secret-cache.ts": ["test/unit/runtime/cache/secret-cache.test.ts"],
  "runtime/config/client-from-config.ts": ["test/unit/runtime/config/client-from-config.test.ts"],
  "runtime/engines/sys.ts": ["test/unit/runtime/engines/sys.test.ts"],
  "constructs/model/duration.ts": ["test/unit/constructs/model/duration.test.ts"],
  "constructs/model/env.ts": ["test/unit/constructs/model/env.test.ts"],
  "constructs/model/rules.ts": ["test/unit/constructs/model/rules.test.ts"],
  "constructs/model/estate-loader.ts": ["test/unit/constructs/model/estate-loader.test.ts"],
  "constructs/model/yaml-loader.ts": ["test/unit/constructs/model/estate-loader.test.ts", "test/unit/constructs/model/rules.test.ts"],
  "constructs/drift/plan-drift.ts": ["test/unit/constructs/drift/plan-drift.test.ts"],
  "policies/policy-evaluator.ts": ["test/unit/policies/policy-evaluator.test.ts"],
  "policies/policy-parse.ts": ["test/unit/policies/policy-parse.test.ts"],
  "policies/rule-matching.ts": ["test/unit/policies/rule-matching.test.ts", "test/unit/policies/policy-evaluator.test.ts"],
  "policies/parameter-constraints.ts": ["test/unit/policies/parameter-constraints.test.ts", "test/unit/policies/policy-evaluator.test.ts"],
  "policies/duration.ts": ["test/unit/policies/duration.test.ts", "test/unit/policies/policy-parse.test.ts"],
  "cli/main.ts": ["test/unit/cli/main.test.ts"],
  "cli/drift-command.ts": ["test/unit/cli/drift-command.test.ts", "test/unit/cli/drift-fail-on-widen.test.ts"],
};

interface StrykerConfig {
  readonly mutate: readonly string[];
  readonly testFiles: readonly string[];
  readonly thresholds: { readonly break: number | null };
}

interface ReportMutant {
  readonly status: string;
}

interface Report {
  readonly files: Readonly<Record<string, { readonly mutants: readonly ReportMutant[] }>>;
}

/** Counts of one module's mutants, as Stryker scores them (compile errors are not valid mutants). */
export interface ModuleScore {
  readonly mutants: number;
  readonly killed: number;
  readonly survived: number;
  readonly invalid: number;
  /** (killed + timed out) / (killed + timed out + survived + not covered), in percent. */
  readonly score: number;
}

/** Score the mutants of one JSON report the way Stryker's clear-text table does. */
export function scoreReport(report: Report): ModuleScore {
  const mutants = Object.values(report.files).flatMap((file) => file.mutants);
  const count = (...statuses: string[]): number => mutants.filter((m) => statuses.includes(m.status)).length;
  const detected = count("Killed", "Timeout");
  const undetected = count("Survived", "NoCoverage");
  return {
    mutants: mutants.length,
    killed: detected,
    survived: undetected,
    invalid: count("CompileError", "RuntimeError", "Ignored"),
    score: detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected),
  };
}

/** The stryker.config.json lists must be exactly the modules and tests above, so a plain `stryker run` mutates the same. */
function configMismatch(config: StrykerConfig): string | undefined {
  const same = (a: readonly string[], b: readonly string[]): boolean => [...a].sort().join("\n") === [...b].sort().join("\n");
  if (!same(config.mutate, Object.keys(MODULES))) return "its mutate list differs from MODULES in tools/mutation.ts";
  if (!same(config.testFiles, [...new Set(Object.values(MODULES).flat())])) return "its testFiles differ from MODULES in tools/mutation.ts";
  return undefined;
}

function main(argv: readonly string[]): number {
  const config = JSON.parse(readFileSync("stryker.config.json", "utf8")) as StrykerConfig;
  const mismatch = configMismatch(config);
  if (mismatch) {
    process.stderr.write(`[test:mutation] stryker.config.json: ${mismatch}\n`);
    return 2;
  }
  const chosen = argv.filter((arg) => arg.endsWith(".ts"));
  const passThrough = argv.filter((arg) => !arg.endsWith(".ts"));
  const unknown = chosen.filter((module) => !(module in MODULES));
  if (unknown.length > 0) {
    process.stderr.write(`[test:mutation] not a listed module: ${unknown.join(", ")}; listed: ${Object.keys(MODULES).join(", ")}\n`);
    return 2;
  }
  const modules = chosen.length > 0 ? chosen : Object.keys(MODULES);
  mkdirSync("reports/mutation", { recursive: true });
  const rows: string[] = [];
  let failed = 0;
  for (const module of modules) {
    const tests = MODULES[module];
    rmSync("reports/mutation/mutation.json", { force: true });
    const started = Date.now();
    const run = spawnSync("npx", ["stryker", "run", "--mutate", module, "--testFiles", tests.join(","), ...passThrough], {
      stdio: "inherit",
      env: { ...process.env, VAULTSMITH_MUTATION_TESTS: tests.join(",") },
    });
    const seconds = Math.round((Date.now() - started) / 1000);
    const slug = module.replace(/\.ts$/, "").replace(/\//g, "-");
    if (!existsSync("reports/mutation/mutation.json")) {
      rows.push(`| ${module} | no report (stryker exited ${run.status}) | | | | ${seconds} s |`);
      failed++;
      continue;
    }
    copyFileSync("reports/mutation/mutation.json", `reports/mutation/${slug}.json`);
    if (existsSync("reports/mutation/mutation.html")) copyFileSync("reports/mutation/mutation.html", `reports/mutation/${slug}.html`);
    const score = scoreReport(JSON.parse(readFileSync("reports/mutation/mutation.json", "utf8")) as Report);
    if (run.status !== 0) failed++;
    rows.push(
      `| ${module} | ${score.mutants - score.invalid} | ${score.killed} | ${score.survived} | ${score.score.toFixed(2)} % | ${seconds} s |`,
    );
  }
  process.stdout.write(
    `\n[test:mutation] break threshold ${config.thresholds.break ?? "none"} %\n` +
      "| module | mutants | killed | survived | score | run time |\n| --- | --- | --- | --- | --- | --- |\n" +
      `${rows.join("\n")}\n`,
  );
  if (failed > 0) process.stderr.write(`[test:mutation] ${failed} module(s) failed or scored below the break threshold\n`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
