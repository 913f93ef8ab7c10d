/**
 * The narrow seam between auth and the network: anything that can send one Vault request and
 * hold the token sent with the next ones. `HttpTransport` satisfies it today; a cluster-aware
 * transport can stand behind the same interface later.
 */
import type { VaultRequest, VaultResponse } from "../transport/http-transport";

export type { VaultRequest, VaultResponse } from "../transport/http-transport";

/**
 * What the auth methods and the {@link TokenManager} need from a transport.
 *
 * TLS certificate auth (`CertAuth`) authenticates the TLS client certificate the transport
 * presents, so the transport behind this interface must be configured with that certificate
 * (e.g. `new HttpTransport({ address, tls: { ca, cert, key } })`).
 *
 * Implementations must honour two request fields the auth layer relies on: `unauthenticated`
 * (send no installed token: logins, wrapping lookups) and `headers` (an explicit
 * `x-vault-token` for a request that must run as a specific token: lookup of a plain token,
 * unwrapping with a wrapping token).
 */
export interface VaultRequester {
  /**
   * Send one request; non-accepted statuses reject with a `VaultHttpError`. A requester that
   * retries honours `options` (a plain transport may ignore them: the auth layer also bounds
   * the request with `req.signal`).
   */
  send<T>(req: VaultRequest, options?: SendOptions): Promise<VaultResponse<T>>;
  /** Replace the token sent as `X-Vault-Token` with every following request (`undefined`: none). */
  setToken(token: string | undefined): void;
  /**
   * Call `listener` each time the server becomes able to serve again after being unreachable,
   * sealed or leaderless, so token upkeep resumes at once instead of waiting out a backoff.
   * Returns a function that removes the listener. Optional: a single transport cannot tell.
   */
  onRecovered?(listener: () => void): () => void;
  /**
   * Call `listener` when a request sent with the requester's own token is refused with 403.
   * Vault answers 403 both for a token that lacks a policy and for one that was revoked or has
   * expired early, so a listener must check the token before acting. Returns a function that
   * removes the listener. Optional: a plain transport does not report it.
   */
  onTokenRefused?(listener: () => void): () => void;
}

/** How the auth layer wants one request handled by a requester that routes and retries. */
export interface SendOptions {
  /**
   * Repeating the request is harmless (a renewal), so it may be retried even after an attempt
   * that may have run. @default false for writes: only retried when it provably never ran
   */
  readonly idempotent?: boolean;
  /** Deadline of the whole operation, retries included, in ms. @default the requester's */
  readonly deadlineMs?: number;
}
