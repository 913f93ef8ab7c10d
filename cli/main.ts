#!/usr/bin/env node
/**
 * `vaultsmith` command line, on commander: every command and subcommand has `--help` with
 * examples, `--version` prints the package version, `--debug` adds stack traces.
 *
 * Exit codes: 0 success; 1 a failure while running (server unreachable, token refused) or a
 * check that failed (policy tests, widening, lint errors, drift errors); 2 bad usage or invalid
 * input (unknown option, missing argument, a policy or YAML file with errors); 3 `drift` found
 * drift; 4 `drift --fail-on-widen` found drift that widens a policy. Each code means one thing. Every failure is one line on stderr naming what failed,
 * where (file:line:column, address) and how to fix it.
 */
import { Command, CommanderError } from "commander";
import { ModelValidationError } from "../model/errors";
import { PolicyValidationError } from "../policies/policy-error";
import { registerCertCommands } from "./cert-command";
import { CliIo, InputError, Runner, UsageError } from "./cli-io";
import { registerDetectCommand } from "./detect-command";
import { registerDriftCommand } from "./drift-command";
import { registerDrCommands } from "./dr-command";
import { registerAuditCommands } from "./audit-command";
import { registerNamespaceCommands } from "./namespace-command";
import { failureMessage } from "./errors";
import { registerPolicyCommands } from "./policy-command";
import { PolicySetValidationError } from "../policies/policy-source";
import { registerSynthCommand } from "./synth-command";
import { registerValidateCommand } from "./validate-command";
import { packageVersion } from "./version";

/** The exit codes every command uses. */
export const EXIT_CODES = `Exit codes:
  0  success
  1  failure while running (server unreachable, token refused, a check failed: tests, lint errors)
  2  bad usage or invalid input (unknown option, missing argument, a file with errors)
  3  drift: drift found
  4  drift --fail-on-widen: the drift widens a policy's access
`;

/** Build the command tree; actions report their exit code through `run`. */
export function buildProgram(io: CliIo, run: Runner): Command {
  const program = new Command("vaultsmith")
    .description("HashiCorp Vault / OpenBao as code: estates, policies, certificates, drift")
    // Stryker disable next-line StringLiteral: equivalent for the flags: commander falls back to "-V, --version" for an empty string.
    .version(packageVersion(), "-V, --version", "print the version")
    .option("--debug", "print stack traces of failures")
    .helpCommand("help [command]", "help for a command")
    .addHelpText(
      "after",
      `
Examples:
  $ vaultsmith validate examples/estate.yaml
  $ vaultsmith synth examples/estate.yaml   # cdktf.out/stacks/estate/cdk.tf.json
  $ vaultsmith policy lint examples/policies/
  $ VAULT_ADDR=http://127.0.0.1:8200 VAULT_TOKEN=… vaultsmith detect
  $ vaultsmith cert issue server-cert --cn node1.example.com --out-dir /etc/cassandra/tls
  $ vaultsmith <command> --help

${EXIT_CODES}
Environment: VAULT_ADDR, VAULT_TOKEN, VAULT_CACERT, VAULT_NAMESPACE (BAO_* are read too).
`,
    );
  registerValidateCommand(program, io, run);
  registerSynthCommand(program, io, run);
  registerPolicyCommands(program, io, run);
  registerDriftCommand(program, io, run);
  registerDetectCommand(program, io, run);
  registerCertCommands(program, io, run);
  registerDrCommands(program, io, run);
  registerAuditCommands(program, io, run);
  registerNamespaceCommands(program, io, run);
  return program;
}

function walk(command: Command, visit: (command: Command, path: string) => void, path = "vaultsmith"): void {
  visit(command, path);
  for (const sub of command.commands) walk(sub, visit, `${path} ${sub.name()}`);
}

/** Whether `error` is bad input (exit 2) rather than a failure while running (exit 1). */
function isInputError(error: unknown): boolean {
  return (
    error instanceof InputError ||
    error instanceof PolicyValidationError ||
    error instanceof PolicySetValidationError ||
    error instanceof ModelValidationError
  );
}

/**
 * A file named on the command line that cannot be read (missing, a folder, no permission) is bad
 * input (exit 2), said in one line with the path — not a failure while running.
 */
function unreadableInput(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  const reasons: Readonly<Record<string, string>> = {
    ENOENT: "no such file or directory",
    EISDIR: "is a directory, not a file",
    EACCES: "permission denied",
    ENOTDIR: "a part of the path is not a directory",
  };
  if (typeof error !== "object" || error === null || typeof e.code !== "string" || !(e.code in reasons)) return undefined;
  if (e.syscall !== "open" && e.syscall !== "read" && e.syscall !== "scandir") return undefined;
  return e.path === undefined ? `cannot read a file: ${reasons[e.code]}` : `cannot read ${e.path}: ${reasons[e.code]}`;
}

function debugText(error: unknown): string {
  const lines: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    lines.push(depth === 0 ? String((e as Error).stack ?? e) : `caused by: ${String((e as Error).stack ?? e)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const run: Runner =
    (fn) =>
    async (...args) => {
      exitCode = await fn(...args);
    };
  const program = buildProgram(io, run);
  // Which command commander was parsing when it stopped, for the error line and its --help hint.
  // Stryker disable next-line StringLiteral: equivalent: commander reports every parse error through writeErr or outputError, which set it first.
  let failedAt = "vaultsmith";
  walk(program, (command, path) => {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: () => (failedAt = path),
      outputError: () => (failedAt = path),
    });
  });
  // Stryker disable next-line StringLiteral: equivalent: the preAction hook sets it before any action can throw; parse errors use failedAt.
  let current = "vaultsmith";
  program.hook("preAction", (_program, action) => {
    const names: string[] = [];
    for (let c: Command | null = action; c; c = c.parent) names.unshift(c.name());
    current = names.join(" ");
  });
  const debug = argv.includes("--debug") || io.env.VAULTSMITH_DEBUG === "1";
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, help <command> and --version end with exit code 0.
      if (error.exitCode === 0) return 0;
      const what =
        error.code === "commander.help"
          ? // Stryker disable next-line OptionalChaining,ArrayDeclaration: equivalent: failedAt always names a command of this program (set while walking it).
            `missing command: one of ${(findCommand(program, failedAt)?.commands ?? []).map((c) => c.name()).join(", ")}`
          : // Stryker disable next-line Regex: equivalent: commander's messages all start with "error: ", so the anchor changes nothing.
            error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ");
      io.stderr(`${failedAt}: ${what} (see ${failedAt} --help)\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr(`${current}: ${error.message} (see ${current} --help)\n`);
      return 2;
    }
    const unreadable = unreadableInput(error);
    if (unreadable) {
      io.stderr(`${current}: ${unreadable}\n${debug ? debugText(error) : ""}`);
      return 2;
    }
    if (isInputError(error)) {
      // Bad input files (a policy, an estate, a seed or watch YAML): their messages carry file:line:column.
      const e = error as Error;
      io.stderr(`${current}: ${e instanceof InputError ? "" : `${e.name}: `}${e.message}\n${debug ? debugText(error) : ""}`);
      return 2;
    }
    io.stderr(`${current}: ${failureMessage(error)}\n${debug ? debugText(error) : ""}`);
    return 1;
  }
}

function findCommand(program: Command, path: string): Command | undefined {
  let command: Command | undefined = program;
  // Stryker disable next-line OptionalChaining: equivalent: every name on the path is a subcommand of the one before.
  for (const name of path.split(" ").slice(1)) command = command?.commands.find((c) => c.name() === name);
  return command;
}

if (require.main === module) {
  main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    progress: process.stderr,
  }).then((code) => {
    process.exitCode = code;
  });
}
