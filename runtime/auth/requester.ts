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
  /** Send one request; non-accepted statuses reject with a `VaultHttpError`. */
  send<T>(req: VaultRequest): Promise<VaultResponse<T>>;
  /** Replace the token sent as `X-Vault-Token` with every following request (`undefined`: none). */
  setToken(token: string | undefined): void;
}
