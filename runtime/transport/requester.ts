/**
 * The one seam between everything that talks to Vault (engines, auth methods, token upkeep,
 * policy sync) and the network: send a request under a routing and retry policy, and hold the
 * token sent with the following ones. `VaultClient` implements it over the cluster (failover,
 * retries, metrics); an `HttpTransport` is one too (a single node, no retries) for probes and tests.
 */
import type { VaultRequest, VaultResponse } from "./http-transport";
import type { RequestPolicy } from "./request-policy";

export { POLICIES, withDeadline } from "./request-policy";
export type { RequestPolicy } from "./request-policy";

/**
 * Sends requests under a policy and holds the token they carry.
 *
 * Implementations honour two request fields the auth layer relies on: `unauthenticated` (send no
 * installed token: logins, wrapping lookups) and `headers` (an explicit `x-vault-token` for a
 * request that must run as a specific token). TLS certificate auth (`CertAuth`) authenticates the
 * client certificate the transport presents, so the requester must be configured with it.
 */
export interface Requester {
  /** Send `req`; resolves with the answer or throws a typed `VaultError`. */
  request<T>(req: VaultRequest, policy: RequestPolicy): Promise<VaultResponse<T>>;
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
