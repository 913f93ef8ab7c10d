/**
 * Typed errors of the auth layer. They name the auth method, its mount path, the HTTP status,
 * Vault's own error text and the request id — never a credential, token or password.
 */
import { VaultConnectionError, VaultError, VaultHttpError } from "../core/errors";

/** Where a failed login was aimed: method and mount path. */
export interface AuthTarget {
  /** Auth method name, e.g. `approle`. */
  readonly authMethod: string;
  /** Mount path of the method, e.g. `approle` or `kubernetes-prod`. */
  readonly mountPath: string;
}

/** A login was refused by the server or never got an answer. */
export class AuthLoginError extends VaultError {
  /** Auth method name, e.g. `ldap`. */
  public readonly authMethod: string;
  /** Mount path the login went to. */
  public readonly mountPath: string;
  /** HTTP status, or undefined when no answer arrived. */
  public readonly status: number | undefined;
  /** Vault's error messages (Vault does not echo credentials in them). */
  public readonly errors: readonly string[];
  /** Vault's request id, when the server answered with one. */
  public readonly requestId: string | undefined;

  /** @internal */
  constructor(target: AuthTarget, method: string, path: string, detail: AuthFailureDetail) {
    const status = detail.status === undefined ? "no answer" : `HTTP ${detail.status}`;
    const text = detail.errors.length > 0 ? `: ${detail.errors.join("; ")}` : detail.reason ? `: ${detail.reason}` : "";
    const id = detail.requestId ? ` (request ${detail.requestId})` : "";
    super(`${target.authMethod} login at auth/${target.mountPath} failed with ${status}${text}${id}`, method, path);
    this.authMethod = target.authMethod;
    this.mountPath = target.mountPath;
    this.status = detail.status;
    this.errors = detail.errors;
    this.requestId = detail.requestId;
  }
}

/** What went wrong with a login, without any of the credentials that went with it. */
export interface AuthFailureDetail {
  /** HTTP status, when an answer arrived. */
  readonly status: number | undefined;
  /** Vault's error messages. */
  readonly errors: readonly string[];
  /** Vault's request id. */
  readonly requestId: string | undefined;
  /** A short reason when no HTTP answer arrived (connection refused, malformed answer). */
  readonly reason?: string;
}

/** Every method of a fallback chain failed; `failures` holds one error per method, in order. */
export class AuthChainError extends VaultError {
  /** The failure of each method, in chain order. */
  public readonly failures: readonly Error[];

  /** @internal */
  constructor(failures: readonly Error[]) {
    const names = failures.map((f) => (f instanceof AuthLoginError ? `${f.authMethod}@${f.mountPath}` : f.name)).join(", ");
    super(`every auth method failed (${names}): ${failures.map((f) => f.message).join(" | ")}`, "POST", "auth");
    this.failures = failures;
  }
}

/** The TokenManager was stopped; no token will be handed out any more. */
export class TokenManagerStoppedError extends VaultError {
  /** @internal */
  constructor() {
    super("the token manager is stopped", "POST", "auth");
  }
}

/**
 * Turn any failure of a login request into an {@link AuthLoginError}. The original error is
 * deliberately not attached as `cause`: only its status, Vault messages and request id survive.
 */
export function toAuthLoginError(target: AuthTarget, method: string, path: string, error: unknown): AuthLoginError {
  if (error instanceof AuthLoginError) return error;
  if (error instanceof VaultHttpError) {
    return new AuthLoginError(target, method, path, { status: error.status, errors: error.errors, requestId: error.requestId });
  }
  if (error instanceof VaultConnectionError) {
    const reason = `no answer from ${error.address}${causeMessage(error.cause)}`;
    return new AuthLoginError(target, method, path, { status: undefined, errors: [], requestId: undefined, reason });
  }
  // Only the name and a system error code (e.g. ENOENT for a missing token file): a message may
  // quote the credential it failed to parse.
  const code = isErrorLike(error) ? (error as { code?: unknown }).code : undefined;
  const reason =
    error instanceof Error || isErrorLike(error) ? `${error.name}${typeof code === "string" ? ` ${code}` : ""}` : "unknown failure";
  return new AuthLoginError(target, method, path, { status: undefined, errors: [], requestId: undefined, reason });
}

/** Errors created in another realm (e.g. by Node internals under a test runner) fail `instanceof Error`. */
function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === "object" && value !== null && typeof (value as Error).message === "string" && typeof (value as Error).name === "string"
  );
}

function causeMessage(cause: unknown): string {
  if (!isErrorLike(cause)) return "";
  const code = (cause as { code?: unknown }).code;
  return `: ${typeof code === "string" ? `${code} ` : ""}${cause.message}`;
}
