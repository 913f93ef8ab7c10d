/**
 * Typed errors raised by the runtime. They carry the method, path, HTTP status and Vault's
 * request id so a failure can be traced in the audit log — never a token or a secret value.
 */

/** Base class of every error the runtime raises. */
export class VaultError extends Error {
  /** HTTP method of the failed request. */
  public readonly method: string;
  /** API path of the failed request, e.g. `secret/data/app/db` (no query string). */
  public readonly path: string;

  /** @internal */
  constructor(message: string, method: string, path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.method = method;
    this.path = path;
  }
}

/** The server answered with a status the operation does not accept. */
export class VaultHttpError extends VaultError {
  /** HTTP status code the server returned. */
  public readonly status: number;
  /** Messages from Vault's `errors` array (Vault never echoes secret values in them). */
  public readonly errors: readonly string[];
  /** Vault's `request_id` when the response carried one. */
  public readonly requestId: string | undefined;
  /** Delay the server asked for in `Retry-After`, in milliseconds. */
  public readonly retryAfterMs: number | undefined;

  /** @internal */
  constructor(
    method: string,
    path: string,
    status: number,
    errors: readonly string[],
    requestId: string | undefined,
    retryAfterMs?: number,
  ) {
    // The list comes from a response body: whatever a proxy in the way sent, keep only its strings.
    errors = Array.isArray(errors) ? errors.filter((e): e is string => typeof e === "string") : [];
    const detail = errors.length > 0 ? `: ${errors.map((e) => e.replace(/\s+/g, " ").trim()).join("; ")}` : "";
    const id = requestId ? ` (request ${requestId})` : "";
    super(`${method} ${path} failed with HTTP ${status}${detail}${id}`, method, path);
    this.status = status;
    this.errors = errors;
    this.requestId = requestId;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * A refusal an engine recognised in the server's answer and gave a type (an unknown role, a
 * retired key version): the answer's status, errors, request id and Retry-After stay where callers
 * of `VaultHttpError` look for them, and the message starts with what was refused, in the
 * engine's words. Engines' typed refusals extend it, so one `instanceof` finds them all.
 */
export class VaultRefusalError extends VaultHttpError {
  /** @internal */
  constructor(source: VaultHttpError, what: string) {
    super(source.method, source.path, source.status, source.errors, source.requestId, source.retryAfterMs);
    this.message = `${what}: ${this.message}`;
  }
}

/**
 * Input the client refused before anything was sent (or an answer it cannot hand over as asked):
 * nothing changed on the server, and retrying the same input will fail the same way.
 */
export class VaultInputError extends VaultError {
  /** Which input was refused (`csr`, `ttl`, `role`, `lease_id`, `context`, …). */
  public readonly field: string;

  /** @internal */
  constructor(method: string, path: string, field: string, detail: string, options?: { cause?: unknown }) {
    super(`${method} ${path}: ${field} refused before sending: ${detail}`, method, path, options);
    this.field = field;
  }
}

/** The server's error strings of `error` joined into one text to match, when it is an HTTP refusal (of `status`, when given). */
export function refusalText(error: unknown, status?: number): string | undefined {
  if (!(error instanceof VaultHttpError) || (status !== undefined && error.status !== status)) return undefined;
  return error.errors.join("; ");
}

/** The request never got an HTTP answer: connection refused, TLS failure, timeout. */
export class VaultConnectionError extends VaultError {
  /** Address of the node the request was sent to. */
  public readonly address: string;

  /** @internal */
  constructor(method: string, path: string, address: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${method} ${path} to ${address} got no answer: ${reason}`, method, path, { cause });
    this.address = address;
  }
}

/** No node could take the request: all unreachable, sealed or without a leader, or the outage queue is full. */
export class VaultUnavailableError extends VaultError {
  /** Why the cluster could not serve the request. */
  public readonly reason: "no-healthy-node" | "queue-full" | "stopped";

  /** @internal */
  constructor(method: string, path: string, reason: VaultUnavailableError["reason"], detail: string, options?: { cause?: unknown }) {
    super(`${method} ${path}: ${detail}`, method, path, options);
    this.reason = reason;
  }
}

/** The request's deadline passed while it waited for the cluster or between retries. */
export class VaultDeadlineError extends VaultError {
  /** Attempts made before the deadline (0 when it never left the outage queue). */
  public readonly attempts: number;

  /** @internal */
  constructor(method: string, path: string, deadlineMs: number, attempts: number, options?: { cause?: unknown }) {
    const last = options?.cause instanceof Error ? `; last error: ${options.cause.message}` : "";
    super(`${method} ${path}: deadline of ${deadlineMs} ms passed after ${attempts} attempt(s)${last}`, method, path, options);
    this.attempts = attempts;
  }
}

/** The server (or something in front of it) answered 2xx with a body that is not the JSON Vault sends. */
export class VaultProtocolError extends VaultError {
  /** HTTP status of the answer. */
  public readonly status: number;

  /** @internal */
  constructor(method: string, path: string, status: number, detail: string) {
    super(`${method} ${path}: HTTP ${status} with ${detail} — is a proxy in the way?`, method, path);
    this.status = status;
  }
}
