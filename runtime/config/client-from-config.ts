/**
 * Build a running client from the seed-style `vault_integration` configuration (validated by
 * `vaultsmith/model`): node address(es), namespace, TLS files, retry and timeout settings, the
 * connection pool size (`max_idle_connections`), the cache, and the auth method behind a
 * TokenManager. A `${NAME}` left unresolved is refused rather than sent as a credential.
 * Nothing is logged or written.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { VaultIntegration } from "./vault-integration";
import { AuthMethod } from "../auth/auth-method";
import { AppRoleAuth } from "../auth/methods/approle";
import { CertAuth } from "../auth/methods/cert";
import { JwtAuth } from "../auth/methods/jwt";
import { KubernetesAuth } from "../auth/methods/kubernetes";
import { LdapAuth } from "../auth/methods/ldap";
import { TokenAuth } from "../auth/methods/token";
import { TokenManager } from "../auth/token-manager";
import { VaultClient, VaultClientOptions } from "../client/vault-client";
import { TlsOptions } from "../transport/http-transport";

/** Overrides for {@link clientFromConfig}. */
export interface ClientFromConfigOptions {
  /** Every node of the cluster; the configured `address` is used when absent. @default [config.address] */
  readonly addresses?: readonly string[];
  /** Reads a PEM file named in `tls`. @default fs.readFileSync(path, "utf8") */
  readonly readPem?: (path: string) => string;
  /** Further client options (probing, breaker, readFrom, ...), applied last. @default none */
  readonly client?: Partial<VaultClientOptions>;
}

/** A configured client and the TokenManager that logs it in. */
export interface ConfiguredClient {
  /** The client; its token is installed by `tokens`. */
  readonly client: VaultClient;
  /** Logs in with the configured method on first use and keeps the token renewed. */
  readonly tokens: TokenManager;
}

/** Error in a configuration that validated structurally but cannot be used as asked. */
export class ClientConfigError extends Error {
  /** Dotted path of the offending field. */
  public readonly field: string;

  /** @internal */
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "ClientConfigError";
    this.field = field;
  }
}

function tlsOptions(config: VaultIntegration, readPem: (path: string) => string): TlsOptions | undefined {
  const tls = config.tls;
  if (!tls) return undefined;
  if (tls.insecure_skip_verify) {
    throw new ClientConfigError(
      "vault_integration.tls.insecure_skip_verify",
      "vaultsmith never disables certificate verification; trust the server's CA with ca_cert (or pin it) instead",
    );
  }
  const read = (field: string, path: string | undefined): string | undefined => {
    if (path === undefined) return undefined;
    try {
      return readPem(path);
    } catch (error) {
      throw new ClientConfigError(
        `vault_integration.tls.${field}`,
        `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
  };
  return {
    ca: read("ca_cert", tls.ca_cert),
    cert: read("client_cert", tls.client_cert),
    key: read("client_key", tls.client_key),
    serverName: tls.tls_server_name,
  };
}

/** The first string that still holds a `${NAME}` reference, with its dotted field path. */
function findUnresolved(value: unknown, field: string): { field: string; name: string } | undefined {
  if (typeof value === "string") {
    const match = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(value);
    return match ? { field, name: match[1] } : undefined;
  }
  if (value === null || value === undefined) return undefined;
  // Objects and arrays are walked; a number or boolean has no entries.
  for (const [key, child] of Object.entries(value)) {
    const found = findUnresolved(child, `${field}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/** The auth method the configuration names. */
export function authMethodFromConfig(config: VaultIntegration): AuthMethod {
  const auth = config.authentication;
  switch (auth.method) {
    case "approle":
      return new AppRoleAuth({ roleId: auth.role_id, secretId: auth.secret_id, mountPath: auth.mount_path });
    case "kubernetes":
      return new KubernetesAuth({
        role: auth.role,
        mountPath: auth.mount_path,
        jwt: async () => (await readFile(auth.token_path, "utf8")).trim(),
      });
    case "ldap":
      return new LdapAuth({ username: auth.username, password: auth.password, mountPath: auth.mount_path });
    case "jwt":
      return new JwtAuth({ role: auth.role, jwt: auth.jwt, mountPath: auth.mount_path });
    case "cert":
      return new CertAuth({ role: auth.name, mountPath: auth.mount_path });
    case "token":
      return new TokenAuth({ token: auth.token });
  }
}

/**
 * The {@link VaultClientOptions} a validated `vault_integration` block stands for: durations
 * (whole seconds in the model) become milliseconds, the cache is off unless enabled, and
 * `options.client` is applied last. Reads the TLS files; refuses an unresolved `${NAME}`.
 */
export function clientOptionsFromConfig(config: VaultIntegration, options: ClientFromConfigOptions = {}): VaultClientOptions {
  const unresolved = findUnresolved(config, "vault_integration");
  if (unresolved)
    throw new ClientConfigError(
      unresolved.field,
      `\${${unresolved.name}} was never resolved; load the file with envMode "resolve" or set the variable`,
    );
  const tls = tlsOptions(config, options.readPem ?? ((path) => readFileSync(path, "utf8")));
  const perf = config.performance;
  const caching = config.caching;
  return {
    addresses: options.addresses ?? [config.address],
    namespace: config.namespace,
    tls,
    timeoutMs: perf.connection_timeout * 1000,
    maxConnections: perf.max_idle_connections,
    retry: { maxRetries: perf.max_retries, backoff: { minMs: perf.retry_wait_min * 1000, maxMs: perf.retry_wait_max * 1000 } },
    cache: caching.enable ? { ttlMs: caching.ttl * 1000, maxEntries: caching.max_entries } : false,
    ...options.client,
  };
}

/** Build the client and its TokenManager from a validated `vault_integration` block. */
export function clientFromConfig(config: VaultIntegration, options: ClientFromConfigOptions = {}): ConfiguredClient {
  const clientOptions = clientOptionsFromConfig(config, options);
  const method = authMethodFromConfig(config);
  const client = new VaultClient(clientOptions);
  const tokens = new TokenManager({ requester: client, methods: [method] });
  return { client, tokens };
}
