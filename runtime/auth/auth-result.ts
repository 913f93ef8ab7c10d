/**
 * The outcome of a login: the token and what Vault said about it. Built from the `auth` block
 * that every login, `renew-self` and unwrapped token-creation response carries.
 */

/** The `auth` block of a Vault login or renewal response, as the server sends it. */
export interface VaultAuthBlock {
  /** The token. */
  readonly client_token: string;
  /** Accessor of the token. */
  readonly accessor?: string;
  /** All policies (token and identity). */
  readonly policies?: readonly string[] | null;
  /** Policies attached by the method. */
  readonly token_policies?: readonly string[] | null;
  /** Policies inherited from the identity entity and groups. */
  readonly identity_policies?: readonly string[] | null;
  /** Metadata the method attached. */
  readonly metadata?: Readonly<Record<string, string>> | null;
  /** TTL in seconds (0: no expiry). */
  readonly lease_duration: number;
  /** Whether the token can be renewed. */
  readonly renewable: boolean;
  /** Identity entity id. */
  readonly entity_id?: string;
  /** `service` or `batch`. */
  readonly token_type?: string;
  /** Whether the token has no parent. */
  readonly orphan?: boolean;
}

/** A response body that may carry an `auth` block. */
export interface VaultAuthResponseBody {
  /** The `auth` block, when the response creates or renews a token. */
  readonly auth?: VaultAuthBlock | null;
  /** Vault's request id. */
  readonly request_id?: string;
}

/** A token obtained from a login, held in memory only. */
export interface AuthResult {
  /** The client token. Never log it. */
  readonly clientToken: string;
  /** Token accessor: safe to log, identifies the token in audit logs. */
  readonly accessor: string | undefined;
  /** Every policy attached to the token (token and identity policies). */
  readonly policies: readonly string[];
  /** Policies attached by the auth method's role or group mapping. */
  readonly tokenPolicies: readonly string[];
  /** TTL in seconds at the time of the answer; 0 means the token never expires. */
  readonly leaseDurationSeconds: number;
  /** Whether `auth/token/renew-self` may extend the token. */
  readonly renewable: boolean;
  /** `service` or `batch` (when the server says). */
  readonly tokenType: string | undefined;
  /** Entity the token belongs to, when the method creates one. */
  readonly entityId: string | undefined;
  /** Metadata the auth method attached (role name, username, service account...). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Turn Vault's `auth` block into an {@link AuthResult}. */
export function authResultFrom(block: VaultAuthBlock): AuthResult {
  return {
    clientToken: block.client_token,
    accessor: block.accessor || undefined,
    policies: [...(block.policies ?? [])],
    tokenPolicies: [...(block.token_policies ?? block.policies ?? [])],
    leaseDurationSeconds: block.lease_duration,
    renewable: block.renewable,
    tokenType: block.token_type || undefined,
    entityId: block.entity_id || undefined,
    metadata: { ...(block.metadata ?? {}) },
  };
}
