/**
 * One server process (OpenBao or Vault) under the harness: started with a clean environment,
 * output kept in memory with secrets redacted, recorded in the run registry, always stoppable.
 */
import { ChildProcess, spawn } from "node:child_process";
import { forgetPid, recordPid } from "./run-registry";

const MAX_OUTPUT = 64 * 1024;
/** Lines where the dev server prints credentials; their values are never kept. */
const SECRET_LINE = /^(\s*(?:Unseal Key|Root Token|Token)[^:]*:\s*).+$/gim;

const live = new Set<ServerProcess>();
process.once("exit", () => {
  for (const server of live) server.kill();
});

/** How to start a server process. */
export interface ServerProcessOptions {
  /** Absolute path of the binary. */
  readonly binary: string;
  /** Arguments, e.g. `["server", "-dev"]`. */
  readonly args: readonly string[];
  /** Extra environment; the parent's VAULT_* and BAO_* variables are never passed on. */
  readonly env?: Readonly<Record<string, string>>;
  /** Home directory for the process, so it writes nothing into the real one. */
  readonly home: string;
  /** Values to blank out of the captured output (tokens, keys). */
  readonly secrets?: readonly string[];
  /** Run as this user and group (a daemon that refuses to run as root, e.g. PostgreSQL). @default the harness's own */
  readonly user?: { readonly uid: number; readonly gid: number };
}

/** A running (or exited) server process. */
export class ServerProcess {
  /** Process id. */
  public readonly pid: number;
  /** Resolves with the exit code (or null when killed by a signal) once the process has exited. */
  public readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly secrets: readonly string[];
  private captured = "";
  private running = true;

  constructor(options: ServerProcessOptions) {
    const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: options.home, ...options.env };
    this.child = spawn(options.binary, options.args, { env, stdio: ["ignore", "pipe", "pipe"], ...options.user });
    if (this.child.pid === undefined) throw new Error(`could not start ${options.binary}`);
    this.pid = this.child.pid;
    this.secrets = (options.secrets ?? []).filter((s) => s.length > 0);
    recordPid(this.pid, options.binary);
    live.add(this);
    const keep = (chunk: Buffer): void => {
      this.captured = (this.captured + chunk.toString("utf8")).slice(-MAX_OUTPUT);
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code) => {
        this.running = false;
        live.delete(this);
        forgetPid(this.pid);
        resolve(code);
      });
    });
  }

  /** True until the process has exited. */
  get isRunning(): boolean {
    return this.running;
  }

  /** The last output lines, with every known secret and credential line redacted. */
  output(lines = 40): string {
    let text = this.captured.replace(SECRET_LINE, "$1<redacted>");
    for (const secret of this.secrets) text = text.split(secret).join("<redacted>");
    return text.split("\n").slice(-lines).join("\n");
  }

  /** Send a signal, wait up to `graceMs` for exit, then SIGKILL. */
  async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    const timer = new Promise<"timeout">((resolve) => setTimeout(resolve, graceMs, "timeout").unref());
    if ((await Promise.race([this.exited, timer])) === "timeout") {
      this.child.kill("SIGKILL");
      await this.exited;
    }
  }

  /** SIGKILL now, without waiting. */
  kill(): void {
    if (this.running) this.child.kill("SIGKILL");
  }
}
