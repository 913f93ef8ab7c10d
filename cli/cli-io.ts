/** Where progress spinners draw (process.stderr in the CLI). */
export interface ProgressStream extends NodeJS.WritableStream {
  /** True on a terminal; spinners draw only then. */
  readonly isTTY?: boolean;
}

/** What a CLI command may touch: its output streams, environment and working directory. */
export interface CliIo {
  /** Normal output. */
  readonly stdout: (text: string) => void;
  /** Errors and diagnostics. */
  readonly stderr: (text: string) => void;
  /** Environment variables (VAULT_ADDR, VAULT_TOKEN, ...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory relative paths are resolved against. */
  readonly cwd: string;
  /**
   * Ends a long-running command (`cert watch`) cleanly when aborted. Tests and embedders pass
   * one; without it the command listens for SIGINT and SIGTERM itself, only while it runs.
   */
  readonly stop?: AbortSignal;
  /** Where progress spinners draw (process.stderr in the CLI); none drawn without it or off a terminal. */
  readonly progress?: ProgressStream;
}

/** A command-line mistake: exit code 2 and the message, no stack. */
export class UsageError extends Error {
  /** Create a usage error with the message shown to the user. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Invalid input that is not a command-line mistake (an empty policy folder, an unreadable file): exit 2, one line, no usage hint. */
export class InputError extends Error {
  /** Create an input error with the message shown to the user. */
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** Wraps a command's action so that its resolved exit code becomes the CLI's. */
export type Runner = <A extends unknown[]>(fn: (...args: A) => Promise<number>) => (...args: A) => Promise<void>;

/** Options as commander parsed them, keyed by the long option's kebab-case name (`--alt-names` → `alt-names`). */
export function kebabOptions(options: Readonly<Record<string, unknown>>): Record<string, string | boolean | undefined> {
  return Object.fromEntries(
    Object.entries(options).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), value as string | boolean]),
  );
}

/** Collects a repeatable option's values (`--kv2-mount a --kv2-mount b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The value of a string option, `undefined` when absent or given as a flag. */
export function stringOption(options: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = options[name];
  return typeof value === "string" ? value : undefined;
}

/** The value of an option the command cannot run without; absent or empty is bad usage (exit 2). */
export function requiredOption(options: Readonly<Record<string, unknown>>, name: string): string {
  const value = stringOption(options, name);
  if (value === undefined || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

/** Print a command's result: as indented JSON with `--json` (for scripts), else as the one-line text. */
export function printResult(io: CliIo, json: boolean, value: unknown, text: string): void {
  io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}
