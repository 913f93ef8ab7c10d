/**
 * How the `cert` commands reach the server: the `vault_integration` block of a configuration when
 * one is given (address, auth method, TLS, retries — through `clientFromConfig`, so the CLI and
 * the stacks read the same file), else `VAULT_ADDR` / `VAULT_TOKEN` / `VAULT_CACERT` as `detect`
 * and `policy sync` do. The token never appears in output or errors.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ModelValidationError } from "../model/errors";
import { VaultIntegration, loadSeedConfig } from "../model/seed-config";
import { parseYaml } from "../model/yaml-loader";
import { TokenAuth } from "../runtime/auth/methods/token";
import { TokenManager } from "../runtime/auth/token-manager";
import { VaultClient } from "../runtime/client/vault-client";
import { clientFromConfig } from "../runtime/config/client-from-config";
import { CliIo, UsageError } from "./cli-io";
import { CertWatchConfig, loadCertWatchConfig } from "./cert-watch-config";

/** A connected client and what must be stopped with it. */
export interface ServerConnection {
  /** The client requests go through. */
  readonly client: VaultClient;
  /** Keeps a configured or environment token logged in and renewed (daemon use); absent for one-shot commands on a plain token. */
  readonly tokens: TokenManager | undefined;
  /** Stop token upkeep (no timer left, the token taken off the client) and release connections. */
  close(): Promise<void>;
}

/** Where a `--config` file points a one-shot command: its server block and PKI mount. */
export interface ConfigTarget {
  /** The server block, when the file has one. */
  readonly vaultIntegration: VaultIntegration | undefined;
  /** PKI mount the file names (seed `engines.pki.mount_path` or watch `mount`). */
  readonly mount: string | undefined;
}

function readInput(io: CliIo, file: string, what: string): string {
  try {
    return readFileSync(resolve(io.cwd, file), "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Load a watch file (`certificates:` present) or a seed file (`vault_integration:` only). */
export function loadConfigTarget(io: CliIo, file: string): ConfigTarget {
  const text = readInput(io, file, "configuration");
  const { data } = parseYaml(text, file);
  if (data !== null && typeof data === "object" && "certificates" in data) {
    const watch = loadWatchFile(io, file, text);
    return { vaultIntegration: watch.vaultIntegration, mount: watch.mount };
  }
  const seed = loadSeedConfig(text, { file, env: io.env, envMode: "resolve" }).config;
  return { vaultIntegration: seed, mount: seed.engines.pki?.mount_path };
}

/** Load and validate a `cert watch` file; relative paths in it are relative to the file. */
export function loadWatchFile(io: CliIo, file: string, text = readInput(io, file, "watch configuration")): CertWatchConfig {
  return loadCertWatchConfig(text, { file, baseDir: dirname(resolve(io.cwd, file)), env: io.env });
}

/** Where {@link connect} finds the server and the token. */
export interface ConnectOptions {
  /** `--address`; else VAULT_ADDR (BAO_ADDR). */
  readonly address?: string;
  /** `--token`; else VAULT_TOKEN (BAO_TOKEN). */
  readonly token?: string;
  /** `--namespace`; else VAULT_NAMESPACE (BAO_NAMESPACE); else the root namespace. */
  readonly namespace?: string;
  /** A configuration's server block: the address, login and TLS come from it instead. */
  readonly vaultIntegration?: VaultIntegration;
  /** Keep the token renewed (a daemon); one-shot commands use it as is. */
  readonly renewToken?: boolean;
}

/**
 * Connect for a command that talks to the server (cert, policy sync, policy test --live). With
 * `vaultIntegration`, its method logs in first (so a bad
 * credential fails here, named by its auth path). Without, `VAULT_TOKEN` is used as is; with
 * `renewToken` it is looked up and kept renewed by a TokenManager, as a daemon needs.
 */
export async function connect(io: CliIo, options: ConnectOptions): Promise<ServerConnection> {
  if (options.vaultIntegration) {
    if (options.address !== undefined) throw new UsageError("--address conflicts with the configuration's vault_integration.address");
    const { client, tokens } = clientFromConfig(options.vaultIntegration);
    return loggedIn(client, tokens);
  }
  const address = options.address ?? io.env.VAULT_ADDR ?? io.env.BAO_ADDR;
  const token = options.token ?? io.env.VAULT_TOKEN ?? io.env.BAO_TOKEN;
  const namespace = options.namespace ?? io.env.VAULT_NAMESPACE ?? io.env.BAO_NAMESPACE;
  if (!address) throw new UsageError("no server address: pass --address, set VAULT_ADDR, or give --config with vault_integration");
  if (!token) throw new UsageError("no token: set VAULT_TOKEN (or give --config with vault_integration)");
  const caFile = io.env.VAULT_CACERT ?? io.env.BAO_CACERT;
  const ca = caFile ? readInput(io, caFile, "VAULT_CACERT file") : undefined;
  const client = new VaultClient({
    address,
    ...(namespace ? { namespace } : {}),
    ...(ca ? { tls: { ca } } : {}),
    ...(options.renewToken ? {} : { token }),
    // A person waits for a one-shot command; a daemon rides out outages with the default deadline.
    ...(options.renewToken ? {} : { retry: { deadlineMs: 15_000 } }),
  });
  if (!options.renewToken) return { client, tokens: undefined, close: () => client.close() };
  return loggedIn(client, new TokenManager({ requester: client, methods: [new TokenAuth({ token })] }));
}

/** Run `use` on a new connection and close the connection afterwards, whatever `use` does. */
export async function withConnection<T>(io: CliIo, options: ConnectOptions, use: (conn: ServerConnection) => Promise<T>): Promise<T> {
  const conn = await connect(io, options);
  try {
    return await use(conn);
  } finally {
    await conn.close();
  }
}

/** The connection once `tokens` has a token; on failure everything is closed before the error is thrown. */
async function loggedIn(client: VaultClient, tokens: TokenManager): Promise<ServerConnection> {
  const close = async (): Promise<void> => {
    await tokens.stop();
    await client.close();
  };
  try {
    await tokens.token();
  } catch (error) {
    await close();
    throw error;
  }
  return { client, tokens, close };
}

/** Whether `error` is bad input (exit 2) rather than a failure while running (exit 1). */
export function isInputError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof ModelValidationError;
}
