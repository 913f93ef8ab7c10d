/**
 * The runtime's configuration, shaped like the seed story's `vault_integration` YAML block
 * (snake_case keys, durations already in seconds). It is a plain type so the runtime depends on
 * nothing above it; the model's loader (`loadSeedConfig`) validates YAML into it, and a
 * compile-time check there keeps the schema and this type in step.
 */

/** How the client logs in: one of the auth methods the runtime implements. */
export type VaultIntegrationAuthentication =
  | { readonly method: "approle"; readonly mount_path: string; readonly role_id: string; readonly secret_id: string }
  | { readonly method: "kubernetes"; readonly mount_path: string; readonly role: string; readonly token_path: string }
  | { readonly method: "ldap"; readonly mount_path: string; readonly username: string; readonly password: string }
  | { readonly method: "jwt"; readonly mount_path: string; readonly role: string; readonly jwt: string }
  | { readonly method: "cert"; readonly mount_path: string; readonly name?: string | undefined }
  | { readonly method: "token"; readonly token: string };

/** A validated `vault_integration` block. */
export interface VaultIntegration {
  /** `http(s)://host[:port]`. */
  readonly address: string;
  /** Namespace every request is made in (Vault Enterprise, OpenBao). */
  readonly namespace?: string | undefined;
  readonly authentication: VaultIntegrationAuthentication;
  /** PEM file paths and verification settings for the server's listener. */
  readonly tls?:
    | {
        readonly ca_cert?: string | undefined;
        readonly client_cert?: string | undefined;
        readonly client_key?: string | undefined;
        readonly tls_server_name?: string | undefined;
        readonly insecure_skip_verify: boolean;
      }
    | undefined;
  /** Mounts the application uses (only PKI is read by the runtime's config mapping). */
  readonly engines: {
    readonly pki?:
      | {
          readonly mount_path: string;
          readonly roles: {
            readonly server?: string | undefined;
            readonly client?: string | undefined;
            readonly code_signing?: string | undefined;
          };
          readonly ttl: number;
        }
      | undefined;
    readonly kv?: { readonly mount_path: string; readonly version: 2 } | undefined;
    readonly transit?: { readonly mount_path: string; readonly key_name: string } | undefined;
    readonly database?: { readonly mount_path: string } | undefined;
  };
  /** Retries and timeouts, durations in seconds. */
  readonly performance: {
    readonly max_retries: number;
    readonly retry_wait_min: number;
    readonly retry_wait_max: number;
    readonly connection_timeout: number;
    readonly max_idle_connections: number;
  };
  /** The read cache; `ttl` in seconds. */
  readonly caching: { readonly enable: boolean; readonly ttl: number; readonly max_entries: number };
}
