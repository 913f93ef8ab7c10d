/**
 * `vaultsmith validate <file.yaml>...`: check estate, seed (`vault_integration:`) and `cert watch`
 * (`certificates:`) files without touching a server. Every problem of a file is reported at once,
 * one line each as `file:line:column: field.path: message`; exit 0 when all are valid, 2 when any
 * is not.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command } from "commander";
import { resolveEnv } from "../model/env";
import { ModelIssue, ModelValidationError, formatIssue } from "../model/errors";
import { parseEstate } from "../model/rules";
import { locateIssues, unsetEnvIssues } from "../model/validation";
import { loadSeedConfig } from "../model/seed-config";
import { parseYaml } from "../model/yaml-loader";
import { loadCertWatchConfig } from "./cert-watch-config";
import { CliIo, Runner } from "./cli-io";

/** What kind of file `validate` recognised. */
export type ValidatedKind = "estate" | "seed" | "cert-watch" | "unreadable";

/** The verdict on one file. */
export interface FileVerdict {
  readonly file: string;
  readonly kind: ValidatedKind;
  readonly issues: readonly ModelIssue[];
}

function issuesOf(error: unknown): ModelIssue[] {
  if (error instanceof ModelValidationError) return [...error.issues];
  throw error;
}

/** Validate one file's text; `allowUnsetEnv` accepts `${NAME}` references whose variable is not set (CI checks without secrets). */
export function validateText(
  text: string,
  file: string,
  options: { env: Readonly<Record<string, string | undefined>>; baseDir: string; allowUnsetEnv?: boolean },
): FileVerdict {
  let parsed;
  try {
    parsed = parseYaml(text, file);
  } catch (error) {
    return { file, kind: "estate", issues: issuesOf(error) };
  }
  const { data, locate } = parsed;
  const top = data !== null && typeof data === "object" ? (data as Record<string, unknown>) : {};
  if ("certificates" in top) {
    try {
      // Unset variables, when allowed, read as a placeholder name so the rest is still checked.
      const env = options.allowUnsetEnv ? new Proxy(options.env, { get: (t, name) => t[name as string] ?? "unset.example" }) : options.env;
      loadCertWatchConfig(text, { file, baseDir: options.baseDir, env });
      return { file, kind: "cert-watch", issues: [] };
    } catch (error) {
      return { file, kind: "cert-watch", issues: issuesOf(error) };
    }
  }
  if ("vault_integration" in top) {
    try {
      const { unresolved } = loadSeedConfig(text, { file, env: options.env, envMode: "report" });
      const env = options.allowUnsetEnv ? [] : locateIssues(unsetEnvIssues(unresolved), { file, locate });
      return { file, kind: "seed", issues: env };
    } catch (error) {
      return { file, kind: "seed", issues: issuesOf(error) };
    }
  }
  // An estate: unset variables and every schema or cross-field problem, in one report. A field
  // whose variable is unset is reported for that, not for the `${NAME}` text left in it.
  const { value, unresolved } = resolveEnv(data, options.env);
  const envIssues = options.allowUnsetEnv ? [] : locateIssues(unsetEnvIssues(unresolved), { file, locate });
  let modelIssues: ModelIssue[] = [];
  try {
    parseEstate(value, { file, locate });
  } catch (error) {
    modelIssues = issuesOf(error);
  }
  const envPaths = new Set(locateIssues(unsetEnvIssues(unresolved), { file, locate }).map((i) => i.path));
  const issues = [...envIssues, ...modelIssues.filter((i) => !envPaths.has(i.path))].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  return { file, kind: "estate", issues };
}

/** Run `vaultsmith validate`. */
export async function runValidateCommand(files: readonly string[], options: { json?: boolean; allowUnsetEnv?: boolean }, io: CliIo) {
  const verdicts: FileVerdict[] = files.map((file) => {
    const path = resolve(io.cwd, file);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      return { file, kind: "unreadable", issues: [{ file, path: "(file)", message: `cannot read the file (${code}): check the path` }] };
    }
    return validateText(text, file, { env: io.env, baseDir: dirname(path), allowUnsetEnv: options.allowUnsetEnv });
  });
  if (options.json) {
    io.stdout(`${JSON.stringify(verdicts.map((v) => ({ ...v, valid: v.issues.length === 0 })))}\n`);
  } else {
    for (const v of verdicts) {
      if (v.issues.length === 0) io.stdout(`${v.file}: valid ${v.kind}\n`);
      else io.stderr(v.issues.map((i) => `${formatIssue(i)}\n`).join(""));
    }
    const bad = verdicts.filter((v) => v.issues.length > 0);
    const count = bad.reduce((n, v) => n + v.issues.length, 0);
    if (bad.length > 0)
      io.stderr(`vaultsmith validate: ${count} problem${count === 1 ? "" : "s"} in ${bad.map((v) => v.file).join(", ")}\n`);
  }
  return verdicts.some((v) => v.issues.length > 0) ? 2 : 0;
}

/** Add `validate` to the program. */
export function registerValidateCommand(program: Command, io: CliIo, run: Runner): void {
  program
    .command("validate")
    .description("check estate, seed (vault_integration) and cert-watch YAML files: every problem at once, exit 2 if any")
    .argument("<files...>", "YAML files; the kind is recognised by its top-level keys")
    .option("--allow-unset-env", "accept ${NAME} references whose environment variable is not set (CI without secrets)")
    .option("--json", "print one verdict per file as JSON")
    .addHelpText(
      "after",
      `
Each problem is one line: file:line:column: field.path: message.

Examples:
  $ vaultsmith validate examples/estate.yaml
  $ vaultsmith validate examples/cdktf/vault_integration.yaml examples/cassandra/cert-watch.yaml --allow-unset-env
`,
    )
    .action(run((files: string[], options: { json?: boolean; allowUnsetEnv?: boolean }) => runValidateCommand(files, options, io)));
}
