/**
 * Agent mode: an OpenBao Agent (`bao agent`) or Vault Agent next to the application logs in with
 * auto-auth, keeps its token renewed, logs in again when it must, and writes the token to a file
 * sink. {@link AgentSinkToken} reads that file, hands the token to the client, and follows the
 * file: a new token is picked up when the file changes (watched, and polled as a fallback — the
 * agent replaces the file by rename, which some file systems do not report), and at once when the
 * server refuses the token (the agent may have re-authenticated a moment ago).
 *
 * The application then holds no credentials of its own and needs no TokenManager. Behind an
 * OpenBao Proxy (`bao proxy` with `api_proxy { use_auto_auth_token = true }`) not even this is
 * needed: point the client at the proxy's listener and send no token (see docs/architecture.md).
 *
 * The token is kept in memory only; events and errors carry the file path, never the token.
 */
import { EventEmitter } from "node:events";
import { FSWatcher, watch } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { inspect } from "node:util";

/** What the follower needs from a client: `setToken`, and optionally a signal that the token was refused. */
export interface AgentTokenTarget {
  /** Use this token from now on. */
  setToken(token: string | undefined): void;
  /** The client's transport-shaped requester; its `onTokenRefused` makes the follower re-read the file at once. */
  readonly requester?: { onTokenRefused(listener: () => void): () => void };
}

/** Options of {@link AgentSinkToken.start}. */
export interface AgentSinkTokenOptions {
  /** The agent's file sink (`auto_auth { sink "file" { config = { path = … } } }`). */
  readonly path: string;
  /** The client to keep the token current on (e.g. a `VaultClient`). */
  readonly client: AgentTokenTarget;
  /** How long `start` waits for the agent to write a first token, in ms. @default 30000 */
  readonly waitForTokenMs?: number;
  /** Poll the file this often as well as watching it, in ms. @default 1000 */
  readonly pollIntervalMs?: number;
  /**
   * Refuse a sink file others may read (mode `o+r`): any local user could take the token.
   * @default true
   */
  readonly requirePrivateFile?: boolean;
}

/** The token in the sink file changed (a re-authentication by the agent). */
export interface AgentTokenChangedEvent {
  /** The sink file. */
  readonly path: string;
  /** When the change was seen. */
  readonly at: Date;
  /** What made the follower look: the file watcher, the poll, or a refusal by the server. */
  readonly cause: "watch" | "poll" | "refused";
}

/** Events of {@link AgentSinkToken}. */
export interface AgentSinkTokenEvents {
  changed: [AgentTokenChangedEvent];
  /** The file could not be read (the agent may be rewriting it); the current token stays in use. */
  error: [AgentSinkError];
}

/** The sink file is missing, empty, unreadable or readable by others. */
export class AgentSinkError extends Error {
  /** The sink file. */
  public readonly path: string;

  /** @internal */
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super(`agent token sink ${path}: ${detail}`, options);
    this.name = "AgentSinkError";
    this.path = path;
  }
}

/** Follows an agent's token sink file; see the module doc. Call {@link AgentSinkToken.stop} when done. */
export class AgentSinkToken extends EventEmitter<AgentSinkTokenEvents> {
  /** The sink file. */
  public readonly path: string;
  #token: string;
  readonly #options: AgentSinkTokenOptions;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #reading: Promise<void> | undefined;
  #stopped = false;

  private constructor(options: AgentSinkTokenOptions, token: string) {
    super();
    this.path = options.path;
    this.#options = options;
    this.#token = token;
  }

  /**
   * Wait for the agent's first token (up to `waitForTokenMs`), give it to the client and follow
   * the file. Rejects with {@link AgentSinkError} when no token appeared in time or the file is
   * readable by others; the client's token is not touched then.
   */
  static async start(options: AgentSinkTokenOptions): Promise<AgentSinkToken> {
    const waitMs = options.waitForTokenMs ?? 30_000;
    const poll = options.pollIntervalMs ?? 1_000;
    if (!Number.isFinite(poll) || poll <= 0) throw new RangeError(`pollIntervalMs must be a positive number, got ${poll}`);
    const deadline = Date.now() + waitMs;
    let last: unknown;
    for (;;) {
      try {
        const token = await readToken(options.path, options.requirePrivateFile ?? true);
        const follower = new AgentSinkToken(options, token);
        options.client.setToken(token);
        follower.#follow(poll);
        return follower;
      } catch (error) {
        if (error instanceof AgentSinkError && /readable by other users/.test(error.message)) throw error;
        last = error;
      }
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, Math.max(1, deadline - Date.now()))));
    }
    throw new AgentSinkError(options.path, `no token within ${waitMs} ms (is the agent running and its auto-auth succeeding?)`, {
      cause: last,
    });
  }

  /** The token in use — for code that must pass it on; never log it. */
  token(): string {
    return this.#token;
  }

  /** Re-read the file now; resolves when done (the `changed` event says whether the token changed). */
  refresh(): Promise<void> {
    return this.#read("poll");
  }

  /** Stop following the file; the client keeps the last token. */
  stop(): void {
    this.#stopped = true;
    this.#watcher?.close();
    if (this.#timer) clearInterval(this.#timer);
    this.#unsubscribe?.();
  }

  /** What `util.inspect` shows: the path, never the token. */
  [inspect.custom](): string {
    return `AgentSinkToken(${this.path})`;
  }

  /** What `JSON.stringify` shows. */
  toJSON(): { path: string } {
    return { path: this.path };
  }

  #follow(pollMs: number): void {
    const name = basename(this.path);
    try {
      // The directory, not the file: the agent replaces the file, and a watch on the old inode would go quiet.
      this.#watcher = watch(dirname(this.path), { persistent: false }, (_event, file) => {
        if (file === null || file === name) void this.#read("watch");
      });
      this.#watcher.on("error", () => undefined); // the poll keeps going
    } catch {
      this.#watcher = undefined;
    }
    this.#timer = setInterval(() => void this.#read("poll"), pollMs);
    this.#timer.unref();
    this.#unsubscribe = this.#options.client.requester?.onTokenRefused(() => void this.#read("refused"));
  }

  #read(cause: AgentTokenChangedEvent["cause"]): Promise<void> {
    // One read at a time; a change seen meanwhile is picked up by that read or the next poll.
    this.#reading ??= (async () => {
      try {
        const token = await readToken(this.path, this.#options.requirePrivateFile ?? true);
        if (this.#stopped || token === this.#token) return;
        this.#token = token;
        this.#options.client.setToken(token);
        this.emit("changed", { path: this.path, at: new Date(), cause });
      } catch (error) {
        if (!this.#stopped && this.listenerCount("error") > 0) this.emit("error", error as AgentSinkError);
      } finally {
        this.#reading = undefined;
      }
    })();
    return this.#reading;
  }
}

async function readToken(path: string, requirePrivate: boolean): Promise<string> {
  let text: string;
  try {
    if (requirePrivate && ((await stat(path)).mode & 0o004) !== 0)
      throw new AgentSinkError(path, "the file is readable by other users; set the sink's mode to 0600 or 0640");
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof AgentSinkError) throw error;
    throw new AgentSinkError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`, { cause: error });
  }
  const token = text.trim();
  if (token.length === 0) throw new AgentSinkError(path, "the file is empty (the agent has not logged in yet)");
  return token;
}
