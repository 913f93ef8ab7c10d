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
}

/** A command-line mistake: exit code 2 and the message, no stack. */
export class UsageError extends Error {
  /** Create a usage error with the message shown to the user. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
