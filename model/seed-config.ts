/**
 * The seed story's `vault_integration` YAML: where the server is, how to log in, TLS material,
 * which engines the estate uses, client performance and caching settings. Keys are snake_case
 * as in the seed; the schema is strict, durations become seconds, `${ENV}` references are
 * resolved or reported.
 */
import { z } from "zod";
import type { VaultIntegration } from "../runtime/config/vault-integration";
import { durationSeconds } from "./duration";
import { EnvReference, resolveEnv } from "./env";
import { ModelValidationError } from "./errors";
import { RawIssue, locateIssues, unsetEnvIssues, zodIssues } from "./validation";
import { parseYaml } from "./yaml-loader";

const path = z
  .string()
  .min(1)
  .transform((s) => s.replace(/^\/+|\/+$/g, ""));

const authentication = z.discriminatedUnion("method", [
  z.strictObject({
    method: z.literal("approle"),
    mount_path: path.default("approle"),
    role_id: z.string().min(1),
    secret_id: z.string().min(1),
  }),
  z.strictObject({
    method: z.literal("kubernetes"),
    mount_path: path.default("kubernetes"),
    role: z.string().min(1),
    token_path: z.string().default("/var/run/secrets/kubernetes.io/serviceaccount/token"),
  }),
  z.strictObject({ method: z.literal("ldap"), mount_path: path.default("ldap"), username: z.string().min(1), password: z.string().min(1) }),
  z.strictObject({ method: z.literal("jwt"), mount_path: path.default("jwt"), role: z.string().min(1), jwt: z.string().min(1) }),
  z.strictObject({ method: z.literal("cert"), mount_path: path.default("cert"), name: z.string().optional() }),
  z.strictObject({ method: z.literal("token"), token: z.string().min(1) }),
]);

/** zod schema of the `vault_integration` block. */
export const vaultIntegrationSchema = z.strictObject({
  address: z.string().regex(/^https?:\/\/[^\s/]+(:\d+)?\/?$/, "expected http(s)://host[:port]"),
  namespace: z.string().min(1).optional(),
  authentication,
  tls: z
    .strictObject({
      ca_cert: z.string().optional(),
      client_cert: z.string().optional(),
      client_key: z.string().optional(),
      tls_server_name: z.string().optional(),
      insecure_skip_verify: z.boolean().default(false),
    })
    .optional(),
  engines: z
    .strictObject({
      pki: z
        .strictObject({
          mount_path: path.default("pki"),
          roles: z
            .strictObject({ server: z.string().optional(), client: z.string().optional(), code_signing: z.string().optional() })
            .default({}),
          ttl: durationSeconds.default(2_592_000),
        })
        .optional(),
      kv: z.strictObject({ mount_path: path.default("secret"), version: z.literal(2) }).optional(),
      transit: z.strictObject({ mount_path: path.default("transit"), key_name: z.string().min(1) }).optional(),
      database: z.strictObject({ mount_path: path.default("database") }).optional(),
    })
    .default({}),
  performance: z
    .strictObject({
      max_retries: z.number().int().min(0).default(3),
      retry_wait_min: durationSeconds.default(1),
      retry_wait_max: durationSeconds.default(30),
      connection_timeout: durationSeconds.default(30),
      max_idle_connections: z.number().int().min(1).default(10),
    })
    .default({ max_retries: 3, retry_wait_min: 1, retry_wait_max: 30, connection_timeout: 30, max_idle_connections: 10 }),
  caching: z
    .strictObject({
      enable: z.boolean().default(false),
      ttl: durationSeconds.default(300),
      max_entries: z.number().int().min(1).default(10_000),
    })
    .default({ enable: false, ttl: 300, max_entries: 10_000 }),
});

/** zod schema of a seed configuration file. */
export const seedConfigSchema = z.strictObject({ vault_integration: vaultIntegrationSchema });

/** A validated `vault_integration` block (durations in seconds): the runtime's own config type. */
export type { VaultIntegration } from "../runtime/config/vault-integration";

/** Both directions assignable: the schema's output and the runtime's type may not drift apart. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesRuntimeType: Same<z.output<typeof vaultIntegrationSchema>, VaultIntegration> = true;
void schemaMatchesRuntimeType;

/** Options of {@link loadSeedConfig}. */
export interface LoadSeedOptions {
  /** File name used in messages. @default "vault_integration.yaml" */
  readonly file?: string;
  /** Environment `${NAME}` references are resolved from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * `resolve`: an unset variable is an error. `report`: unset variables stay as written and are
   * listed in `unresolved` (synthesis does not need runtime credentials).
   * @default "report"
   */
  readonly envMode?: "resolve" | "report";
}

/** The result of {@link loadSeedConfig}. */
export interface LoadedSeedConfig {
  /** The configuration. */
  readonly config: VaultIntegration;
  /** `${NAME}` references left unresolved (only in `report` mode). */
  readonly unresolved: readonly EnvReference[];
}

/** Cross-field rules of the seed block. */
export function checkVaultIntegration(config: VaultIntegration): RawIssue[] {
  const out: RawIssue[] = [];
  const at = ["vault_integration"];
  if (config.performance.retry_wait_min > config.performance.retry_wait_max) {
    out.push({ path: [...at, "performance", "retry_wait_min"], message: "retry_wait_min exceeds retry_wait_max" });
  }
  const tls = config.tls;
  if (tls && (tls.client_cert === undefined) !== (tls.client_key === undefined)) {
    out.push({
      path: [...at, "tls", tls.client_cert === undefined ? "client_cert" : "client_key"],
      message: "client_cert and client_key go together",
    });
  }
  if (config.address.startsWith("http://") && tls?.client_cert !== undefined) {
    out.push({ path: [...at, "address"], message: "a client certificate is configured but the address is plain http" });
  }
  if (config.authentication.method === "cert" && tls?.client_cert === undefined) {
    out.push({ path: [...at, "authentication", "method"], message: "cert authentication needs tls.client_cert and tls.client_key" });
  }
  return out;
}

/**
 * Load a seed-style YAML file (`vault_integration: ...`).
 * @throws ModelValidationError with file, line and field path for malformed YAML, unknown keys,
 * bad durations, broken cross-field rules and (in `resolve` mode) unset variables.
 */
export function loadSeedConfig(text: string, options: LoadSeedOptions = {}): LoadedSeedConfig {
  const file = options.file ?? "vault_integration.yaml";
  const { data, locate } = parseYaml(text, file);
  const { value, unresolved } = resolveEnv(data, options.env ?? process.env);
  if ((options.envMode ?? "report") === "resolve" && unresolved.length > 0) {
    throw new ModelValidationError(locateIssues(unsetEnvIssues(unresolved), { file, locate }));
  }
  const parsed = seedConfigSchema.safeParse(value);
  if (!parsed.success) throw new ModelValidationError(locateIssues(zodIssues(parsed.error), { file, locate }));
  const config = parsed.data.vault_integration;
  const issues = checkVaultIntegration(config);
  if (issues.length > 0) throw new ModelValidationError(locateIssues(issues, { file, locate }));
  return { config, unresolved };
}

/** Keys of `vault_integration.engines.pki.roles`: how run-time configuration names a role without repeating its name. */
export const PKI_ROLE_KEYS = ["server", "client", "code_signing"] as const;

/** One key of `vault_integration.engines.pki.roles`. */
export type PkiRoleKey = (typeof PKI_ROLE_KEYS)[number];

/**
 * Role names the Cassandra estate creates when the seed leaves `server`/`client` out. Defined here,
 * next to the schema, so the stack that creates the roles and the certificate daemon that uses
 * them read one constant and cannot disagree.
 */
export const DEFAULT_PKI_ROLE_NAMES: Readonly<Partial<Record<PkiRoleKey, string>>> = { server: "server-cert", client: "client-cert" };

/** Mount the estate puts its issuing CA on when the seed names none. */
export const DEFAULT_PKI_MOUNT = "pki";

/**
 * The PKI roles a seed stands for, by key: what it declares, else the estate's defaults — exactly
 * the role names `CassandraCertManagerStack` builds from the same seed. `code_signing` is present
 * only when declared (the estate creates no code-signing role of its own).
 */
export function seedPkiRoles(config: VaultIntegration): Readonly<Partial<Record<PkiRoleKey, string>>> {
  const declared = config.engines.pki?.roles ?? {};
  const out: Partial<Record<PkiRoleKey, string>> = {};
  for (const key of PKI_ROLE_KEYS) {
    const name = declared[key] ?? DEFAULT_PKI_ROLE_NAMES[key];
    if (name !== undefined) out[key] = name;
  }
  return out;
}

/** The PKI mount a seed stands for (`engines.pki.mount_path`, else {@link DEFAULT_PKI_MOUNT}), as the estate builds it. */
export function seedPkiMount(config: VaultIntegration): string {
  return config.engines.pki?.mount_path ?? DEFAULT_PKI_MOUNT;
}
