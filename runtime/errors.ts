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

  /** @internal */
  constructor(method: string, path: string, status: number, errors: readonly string[], requestId: string | undefined) {
    const detail = errors.length > 0 ? `: ${errors.join("; ")}` : "";
    const id = requestId ? ` (request ${requestId})` : "";
    super(`${method} ${path} failed with HTTP ${status}${detail}${id}`, method, path);
    this.status = status;
    this.errors = errors;
    this.requestId = requestId;
  }
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
