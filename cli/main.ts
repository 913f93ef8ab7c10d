#!/usr/bin/env node
/**
 * `vaultsmith` command line: a small dispatcher over subcommands (Node's `util.parseArgs`, no CLI
 * framework). Exit codes: 0 success, 1 a check failed (tests, widening, lint errors, drift
 * errors) or the command failed while running (server unreachable, denied), 2 bad usage or bad
 * input.
 */
import { ModelValidationError } from "../constructs/model/errors";
import { PolicyValidationError } from "../policies/policy-error";
import { CERT_USAGE, runCertCommand } from "./cert-command";
import { CliIo, UsageError } from "./cli-io";
import { DETECT_USAGE, runDetectCommand } from "./detect-command";
import { DRIFT_USAGE, runDriftCommand } from "./drift-command";
import { POLICY_USAGE, runPolicyCommand } from "./policy-command";
import { packageVersion } from "./version";

interface Command {
  readonly run: (args: string[], io: CliIo) => Promise<number>;
  readonly usage: string;
  /** Shown after a usage error instead of the whole usage, when that is long. @default the usage */
  readonly hint?: string;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  policy: { run: runPolicyCommand, usage: POLICY_USAGE },
  drift: { run: runDriftCommand, usage: DRIFT_USAGE },
  detect: { run: runDetectCommand, usage: DETECT_USAGE },
  // cert's usage errors name the subcommand's --help themselves: one line, not 20 lines of usage.
  cert: { run: runCertCommand, usage: CERT_USAGE, hint: "" },
};

/** Top-level help. */
export const USAGE = `usage: vaultsmith <command> [arguments]

commands:
${Object.values(COMMANDS)
  .map((c) => c.usage)
  .join("\n")}
`;

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === "--version" || command === "-V" || command === "version") {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    io.stderr(`vaultsmith: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await entry.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(
        entry.hint !== undefined
          ? `vaultsmith ${command}: ${error.message}${entry.hint ? ` ${entry.hint}` : ""}\n`
          : `vaultsmith ${command}: ${error.message}\n\n${entry.usage}`,
      );
      return 2;
    }
    if (error instanceof PolicyValidationError || error instanceof ModelValidationError) {
      // Bad input files (a policy, a seed or watch YAML): their messages carry file:line:column.
      io.stderr(`vaultsmith ${command}: ${error.name}: ${error.message}\n`);
      return 2;
    }
    // Anything else is a failure while running (server unreachable, permission denied): exit 1,
    // as `drift` documents, so CI can tell it from bad usage.
    // The typed error's name (PkiRoleNotFoundError, VaultConnectionError, ...) tells what failed;
    // runtime messages name the request path and Vault's request id, never a token or key.
    const typed = error instanceof Error && error.name !== "Error" ? `${error.name}: ` : "";
    io.stderr(`vaultsmith ${command}: ${typed}${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  }).then((code) => {
    process.exitCode = code;
  });
}
