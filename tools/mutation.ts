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
 * Arguments ending in `.ts` choose modules (default: all); `--ci` chooses {@link CI_MODULES};
 * `--incremental` keeps one Stryker incremental file per module (reports/mutation/incremental/), so
 * a later run with that folder restored re-tests only mutants whose code or tests changed; anything
 * else goes to `stryker run` (e.g. `--concurrency 2`). Reports: reports/mutation/<module>.json, .html.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

/** Each mutated module and the unit tests that must kill its mutants (none of them starts a server). */
export const MODULES: Readonly<Record<string, readonly string[]>> = JSON.parse(
  readFileSync(join(__dirname, "mutation-modules.json"), "utf8"),
);

/**
 * What `npm run test:mutation:ci` runs: the modules of the known survivors (retry
 * classification, cache, model durations, config mapping, sys/health, drift) and the small timing
 * modules — measured here: 40 % of the mutants in 30 % of a full run's time (10 of 34 min) — plus
 * one small kind module with cross-field rules, JWT/OIDC (98 mutants, 37 s here).
 */
export const CI_MODULES: readonly string[] = [
  "runtime/core/backoff.ts",
  "runtime/transport/failure-kind.ts",
  "runtime/auth/renewal-timing.ts",
  "runtime/certs/renewal-schedule.ts",
  "runtime/cache/secret-cache.ts",
  "runtime/config/client-from-config.ts",
  "runtime/engines/sys.ts",
  "model/duration.ts",
  "model/env.ts",
  "model/kinds/auth/jwt-oidc.ts",
  "drift/plan-drift.ts",
  "cli/drift-command.ts",
];

interface StrykerConfig {
  readonly mutate: readonly string[];
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

/** The mutate list of stryker.config.json must be exactly the modules above, so a plain `stryker run` mutates the same. */
function configMismatch(config: StrykerConfig): string | undefined {
  const same = (a: readonly string[], b: readonly string[]): boolean => [...a].sort().join("\n") === [...b].sort().join("\n");
  return same(config.mutate, Object.keys(MODULES)) ? undefined : "its mutate list differs from tools/mutation-modules.json";
}

function main(argv: readonly string[]): number {
  const config = JSON.parse(readFileSync("stryker.config.json", "utf8")) as StrykerConfig;
  const mismatch = configMismatch(config);
  if (mismatch) {
    process.stderr.write(`[test:mutation] stryker.config.json: ${mismatch}\n`);
    return 2;
  }
  const ci = argv.includes("--ci");
  const incremental = argv.includes("--incremental");
  const chosen = ci ? [...CI_MODULES] : argv.filter((arg) => arg.endsWith(".ts"));
  const passThrough = argv.filter((arg) => !arg.endsWith(".ts") && arg !== "--ci" && arg !== "--incremental");
  const unknown = chosen.filter((module) => !(module in MODULES));
  if (unknown.length > 0) {
    process.stderr.write(`[test:mutation] not a listed module: ${unknown.join(", ")}; listed: ${Object.keys(MODULES).join(", ")}\n`);
    return 2;
  }
  const modules = chosen.length > 0 ? chosen : Object.keys(MODULES);
  mkdirSync("reports/mutation/incremental", { recursive: true });
  const rows: string[] = [];
  let failed = 0;
  const startedAll = Date.now();
  for (const module of modules) {
    const tests = MODULES[module];
    const slug = module.replace(/\.ts$/, "").replace(/\//g, "-");
    rmSync("reports/mutation/mutation.json", { force: true });
    const incrementalArgs = incremental ? ["--incremental", "--incrementalFile", `reports/mutation/incremental/${slug}.json`] : [];
    const started = Date.now();
    // Not Stryker's --testFiles: with it, Stryker 9.6 runs a static mutant (one evaluated when the
    // module loads) with the file names as its test-name filter, so the tests that would kill it
    // never run. Jest's testMatch already holds exactly these files.
    const run = spawnSync("npx", ["stryker", "run", "--mutate", module, ...incrementalArgs, ...passThrough], {
      stdio: "inherit",
      env: { ...process.env, VAULTSMITH_MUTATION_TESTS: tests.join(",") },
    });
    const seconds = Math.round((Date.now() - started) / 1000);
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
      `${rows.join("\n")}\n` +
      `[test:mutation] ${modules.length} module(s) in ${Math.round((Date.now() - startedAll) / 1000)} s\n`,
  );
  if (failed > 0) process.stderr.write(`[test:mutation] ${failed} module(s) failed or scored below the break threshold\n`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
