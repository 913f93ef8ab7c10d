/**
 * The events a TokenManager emits, as a typed map for Node's `EventEmitter`. No payload ever
 * carries a token: tokens are identified by their accessor.
 */

/** Why a login happened. */
export type LoginReason = "initial" | "re-login" | "after-expiry" | "emergency";

/** A login succeeded and its token is now in use. */
export interface LoginEvent {
  /** Auth method name (`break-glass` for an emergency unwrap). */
  readonly method: string;
  /** Mount path of the method. */
  readonly mountPath: string;
  /** Position of the method in the fallback chain (-1 for break-glass). */
  readonly chainIndex: number;
  /** Why the login happened. */
  readonly reason: LoginReason;
  /** Accessor of the new token. */
  readonly accessor: string | undefined;
  /** TTL of the new token in seconds (0: no expiry). */
  readonly ttlSeconds: number;
  /** Whether the new token is renewable. */
  readonly renewable: boolean;
  /** Policies of the new token. */
  readonly policies: readonly string[];
}

/** One method of the chain failed to log in. */
export interface LoginFailedEvent {
  /** Auth method name. */
  readonly method: string;
  /** Mount path of the method. */
  readonly mountPath: string;
  /** Position of the method in the fallback chain. */
  readonly chainIndex: number;
  /** The typed error (no credentials in it). */
  readonly error: Error;
}

/** The chain moves on from a failed method to the next one. */
export interface FallbackEvent {
  /** Method that failed. */
  readonly from: string;
  /** Method tried next. */
  readonly to: string;
  /** Why `from` failed. */
  readonly error: Error;
}

/** `renew-self` extended the token. */
export interface TokenRenewedEvent {
  /** Accessor of the token. */
  readonly accessor: string | undefined;
  /** TTL after the renewal, in seconds. */
  readonly ttlSeconds: number;
  /** True when Vault granted less than asked for: the token is near its max TTL and will be replaced. */
  readonly truncated: boolean;
}

/** A renewal attempt failed transiently; the token is kept and renewal retried after a backoff. */
export interface RenewalFailedEvent {
  /** Accessor of the token. */
  readonly accessor: string | undefined;
  /** Consecutive failed attempts so far (1 for the first). */
  readonly attempt: number;
  /** Delay before the next attempt, in milliseconds (undefined when none is scheduled). */
  readonly retryInMs: number | undefined;
  /** The error. */
  readonly error: Error;
}

/** The token reached its expiry without being renewed or replaced, and was dropped. */
export interface TokenExpiredEvent {
  /** Accessor of the expired token. */
  readonly accessor: string | undefined;
  /**
   * `ttl`: its lifetime ran out. `refused`: the server refused it before that (revoked by an
   * operator, or a server that lost it) — found by checking the token after a 403.
   */
  readonly reason: "ttl" | "refused";
}

/** The token was revoked on stop. */
export interface TokenRevokedEvent {
  /** Accessor of the revoked token. */
  readonly accessor: string | undefined;
}

/** Audit record of one use of the break-glass path. */
export interface EmergencyAccessEvent {
  /** Who used it (as the operator identified themselves). */
  readonly operator: string;
  /** Why (ticket, incident id). */
  readonly reason: string;
  /** When, ISO 8601 from the manager's clock. */
  readonly at: string;
  /** Whether a token was obtained. */
  readonly outcome: "granted" | "refused";
  /** Accessor of the emergency token when granted. */
  readonly accessor: string | undefined;
  /** Policies of the emergency token when granted. */
  readonly policies: readonly string[];
  /** Why it was refused (typed error, no token in it). */
  readonly error: Error | undefined;
}

/** Event name → listener arguments, for `EventEmitter<TokenManagerEvents>`. */
export interface TokenManagerEvents {
  /** A login succeeded. */
  login: [LoginEvent];
  /** One method of the chain failed. */
  "login-failed": [LoginFailedEvent];
  /** The chain moves to its next method. */
  fallback: [FallbackEvent];
  /** The token was renewed. */
  "token-renewed": [TokenRenewedEvent];
  /** A renewal attempt failed. */
  "renewal-failed": [RenewalFailedEvent];
  /** The token expired and was dropped. */
  "token-expired": [TokenExpiredEvent];
  /** The token was revoked on stop. */
  "token-revoked": [TokenRevokedEvent];
  /** Audit record of a break-glass use. */
  "emergency-access": [EmergencyAccessEvent];
}
