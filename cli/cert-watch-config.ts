/**
 * The YAML of `vaultsmith cert watch`: which certificates a node keeps current, where their files
 * go, and which server issues them. Validated with zod; every problem is reported as
 * `file:line:column: field.path: message`, like the estate and seed loaders.
 *
 * Roles are named by their key in `vault_integration.engines.pki.roles` (`role: server`) — the
 * same map `CassandraCertManagerStack` creates the roles from, resolved by the same
 * {@link seedPkiRoles} — so a role declared as code and used at run time cannot drift apart. A
 * literal name (`role_name: server-cert`) is there for roles outside that map. The server block
 * is embedded (`vault_integration:`) or pointed at (`vault_integration_file:`), so the daemon
 * reads the very file the stack is built from.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { tryParseWholeDuration } from "../model/duration";
import { resolveEnv } from "../model/env";
import { ModelIssue, ModelValidationError } from "../model/errors";
import { Locator, RawIssue, locateIssues, unsetEnvIssues, zodIssues } from "../model/validation";
import {
  PKI_ROLE_KEYS,
  PkiRoleKey,
  VaultIntegration,
  checkVaultIntegration,
  loadSeedConfig,
  seedPkiMount,
  seedPkiRoles,
  vaultIntegrationSchema,
} from "../model/seed-config";
import { parseYaml } from "../model/yaml-loader";
import type { PkiIssueRequest } from "../runtime/engines/pki";
import type { LocalKeySpec } from "../runtime/engines/pki-csr";
import type { CertificatePurpose } from "../runtime/certs/cert-events";
import type { PemFileSinkOptions } from "../runtime/certs/cert-sinks";

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const seconds = tryParseWholeDuration(value);
  if (seconds === undefined || seconds <= 0) {
    ctx.addIssue({ code: "custom", message: `invalid duration ${JSON.stringify(value)}: expected e.g. "720h", "15m", "30s"` });
    return z.NEVER;
  }
  return seconds;
});

const filePath = z.string().min(1);
const names = z.array(z.string().min(1)).optional();
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected the name of an environment variable (e.g. KEYSTORE_PASSWORD)");

const certificateSchema = z.strictObject({
  name: z.string().min(1).optional(),
  role: z.string().min(1).optional(),
  role_name: z.string().min(1).optional(),
  common_name: z.string().min(1),
  alt_names: names,
  ip_sans: names,
  uri_sans: names,
  ttl: duration.optional(),
  purpose: z.enum(["server", "client", "code-signing"]).optional(),
  key_type: z.enum(["vault", "ec", "rsa", "ed25519"]).default("vault"),
  key_bits: z.number().int().optional(),
  pem: z
    .strictObject({ key: filePath.optional(), cert: filePath.optional(), chain: filePath.optional(), full_chain: filePath.optional() })
    .optional(),
  pkcs12: z
    .strictObject({
      keystore: filePath,
      truststore: filePath.optional(),
      alias: z.string().min(1).default("server"),
      password_env: envName,
      truststore_password_env: envName.optional(),
    })
    .optional(),
  after_renewal: z
    .strictObject({
      command: z.array(z.string().min(1)).min(1, "give the program and its arguments, e.g. [nodetool, reloadssl]"),
      timeout: duration.optional(),
    })
    .optional(),
});

/** zod schema of a `cert watch` file (`vault_integration` checked by the seed's own schema). */
export const certWatchSchema = z.strictObject({
  vault_integration: vaultIntegrationSchema.optional(),
  vault_integration_file: filePath.optional(),
  mount: z.string().min(1).optional(),
  min_margin: duration.optional(),
  certificates: z.array(certificateSchema).min(1, "declare at least one certificate"),
});

type RawWatchFile = z.output<typeof certWatchSchema>;
type RawCertificate = z.output<typeof certificateSchema>;

/** PKCS#12 files of one certificate, with paths absolute and passwords named by environment variable. */
export interface WatchPkcs12 {
  /** Keystore file. */
  readonly keystorePath: string;
  /** Truststore file (the CA chain), when wanted. */
  readonly truststorePath?: string;
  /** Alias of the key entry. */
  readonly alias: string;
  /** Environment variable holding the keystore password (read when the file is written, never stored). */
  readonly passwordEnv: string;
  /** Environment variable of the truststore password; the keystore's when absent. */
  readonly truststorePasswordEnv?: string;
}

/** One certificate the daemon keeps current, resolved: role name, request, key, sinks. */
export interface WatchedCertificate {
  /** Name it is managed, printed and audited under. */
  readonly name: string;
  /** The role key it named (`server`, `client`, `code_signing`), when it named one. */
  readonly roleKey: PkiRoleKey | undefined;
  /** The PKI role name sent to the server. */
  readonly role: string;
  /** The issue request (Vault field names). */
  readonly request: PkiIssueRequest;
  /** Purpose checked against the certificate's extended key usages. */
  readonly purpose: CertificatePurpose | undefined;
  /** Key generated locally, or `"vault"` for OpenBao-generated keys (`issue/:role`, what the estate's policy grants). */
  readonly key: LocalKeySpec | "vault";
  /** PEM files, when wanted (absolute paths). */
  readonly pem: PemFileSinkOptions | undefined;
  /** PKCS#12 files, when wanted. */
  readonly pkcs12: WatchPkcs12 | undefined;
  /** Command run after each renewed certificate's files are written (e.g. `nodetool reloadssl`). */
  readonly afterRenewal: AfterRenewal | undefined;
}

/**
 * A program the daemon runs after a renewal is written, so the service picks the new files up
 * (Cassandra 5.0 re-reads a changed keystore by itself only every 10 minutes). Run without a
 * shell; a non-zero exit or a timeout fails the delivery, which is retried with the same
 * certificate — a service that cannot reload does not make the daemon issue one per attempt.
 */
export interface AfterRenewal {
  /** Program and arguments. */
  readonly command: readonly string[];
  /** Longest run, in ms. */
  readonly timeoutMs: number;
}

/** A validated `cert watch` file. */
export interface CertWatchConfig {
  /** The file as named in messages. */
  readonly file: string;
  /** The server block (embedded or from `vault_integration_file`); absent: VAULT_ADDR / VAULT_TOKEN / VAULT_CACERT. */
  readonly vaultIntegration: VaultIntegration | undefined;
  /** PKI mount: `mount`, else the seed's `engines.pki.mount_path`, else `pki`. */
  readonly mount: string;
  /** Renew at least this long before expiry (ms), when set. */
  readonly minMarginMs: number | undefined;
  /** Certificates to keep current. */
  readonly certificates: readonly WatchedCertificate[];
}

/** A certificate names a role key its `vault_integration.engines.pki.roles` does not declare. */
export class UnknownPkiRoleKeyError extends ModelValidationError {
  /** The key as written. */
  public readonly key: string;
  /** Keys the configuration does declare, with their role names. */
  public readonly declared: Readonly<Partial<Record<PkiRoleKey, string>>>;

  /** @internal */
  constructor(issue: ModelIssue, key: string, declared: Readonly<Partial<Record<PkiRoleKey, string>>>) {
    super([issue]);
    this.name = "UnknownPkiRoleKeyError";
    this.key = key;
    this.declared = declared;
  }
}

/**
 * The role name `key` stands for in `roles` (see {@link seedPkiRoles}), or `undefined` when the
 * key is not declared — a typo must never be sent as a role name.
 */
export function resolvePkiRoleKey(key: string, roles: Readonly<Partial<Record<PkiRoleKey, string>>>): string | undefined {
  return (PKI_ROLE_KEYS as readonly string[]).includes(key) ? roles[key as PkiRoleKey] : undefined;
}

const PURPOSE_OF_KEY: Readonly<Record<PkiRoleKey, CertificatePurpose>> = {
  server: "server",
  client: "client",
  code_signing: "code-signing",
};

function keySpec(c: RawCertificate, at: PropertyKey[], out: RawIssue[]): LocalKeySpec | "vault" {
  const bits = c.key_bits;
  const bad = (allowed: string): void =>
    void out.push({ path: [...at, "key_bits"], message: `key_bits for ${c.key_type} must be ${allowed}` });
  switch (c.key_type) {
    case "vault":
      if (bits !== undefined)
        out.push({ path: [...at, "key_bits"], message: "key_bits applies to local keys; the role decides for key_type vault" });
      return "vault";
    case "ed25519":
      if (bits !== undefined) bad("left out");
      return { type: "ed25519" };
    case "ec":
      if (bits !== undefined && bits !== 256 && bits !== 384) bad("256 or 384");
      return { type: "ec", curve: bits === 384 ? "P-384" : "P-256" };
    case "rsa":
      if (bits !== undefined && bits !== 2048 && bits !== 3072 && bits !== 4096) bad("2048, 3072 or 4096");
      return { type: "rsa", bits: bits === 3072 || bits === 4096 ? bits : 2048 };
  }
}

/** A `role:` key the configuration does not declare, reported on its own as {@link UnknownPkiRoleKeyError}. */
interface UnknownKey {
  readonly path: PropertyKey[];
  readonly key: string;
}

function check(
  raw: RawWatchFile,
  seed: VaultIntegration | undefined,
  configDir: string,
  out: RawIssue[],
  unknownKeys: UnknownKey[],
): CertWatchConfig["certificates"] {
  const roles = seed ? seedPkiRoles(seed) : {};
  const seen = new Map<string, number>();
  const certificates: WatchedCertificate[] = [];
  raw.certificates.forEach((c, i) => {
    const at: PropertyKey[] = ["certificates", i];
    const name = c.name ?? c.common_name;
    const earlier = seen.get(name);
    if (earlier !== undefined)
      out.push({
        path: [...at, c.name ? "name" : "common_name"],
        message: `certificate name "${name}" is also used by certificates[${earlier}]`,
      });
    seen.set(name, i);
    if ((c.role === undefined) === (c.role_name === undefined)) {
      out.push({
        path: at,
        message: "give exactly one of role (a key of vault_integration.engines.pki.roles) or role_name (a literal role)",
      });
    }
    if (!c.pem && !c.pkcs12) out.push({ path: at, message: "give pem and/or pkcs12: a certificate nobody receives is pointless" });
    if (c.pem && !c.pem.key && !c.pem.cert && !c.pem.chain && !c.pem.full_chain)
      out.push({ path: [...at, "pem"], message: "give at least one of key, cert, chain, full_chain" });
    const key = keySpec(c, at, out);
    let role = c.role_name ?? "";
    let roleKey: PkiRoleKey | undefined;
    if (c.role !== undefined) {
      const found = resolvePkiRoleKey(c.role, roles);
      if (found === undefined) unknownKeys.push({ path: [...at, "role"], key: c.role });
      else {
        role = found;
        roleKey = c.role as PkiRoleKey;
      }
    }
    const abs = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(configDir, p));
    const ttl = c.ttl ?? seed?.engines.pki?.ttl;
    certificates.push({
      name,
      roleKey,
      role,
      request: {
        common_name: c.common_name,
        ...(c.alt_names ? { alt_names: c.alt_names } : {}),
        ...(c.ip_sans ? { ip_sans: c.ip_sans } : {}),
        ...(c.uri_sans ? { uri_sans: c.uri_sans } : {}),
        ...(ttl !== undefined ? { ttl } : {}),
      },
      purpose: c.purpose ?? (roleKey ? PURPOSE_OF_KEY[roleKey] : undefined),
      key,
      pem: c.pem
        ? { keyPath: abs(c.pem.key), certPath: abs(c.pem.cert), chainPath: abs(c.pem.chain), fullChainPath: abs(c.pem.full_chain) }
        : undefined,
      pkcs12: c.pkcs12
        ? {
            keystorePath: resolve(configDir, c.pkcs12.keystore),
            ...(c.pkcs12.truststore ? { truststorePath: resolve(configDir, c.pkcs12.truststore) } : {}),
            alias: c.pkcs12.alias,
            passwordEnv: c.pkcs12.password_env,
            ...(c.pkcs12.truststore_password_env ? { truststorePasswordEnv: c.pkcs12.truststore_password_env } : {}),
          }
        : undefined,
      afterRenewal: c.after_renewal ? { command: c.after_renewal.command, timeoutMs: (c.after_renewal.timeout ?? 120) * 1000 } : undefined,
    });
  });
  return certificates;
}

/** Options of {@link loadCertWatchConfig}. */
export interface LoadCertWatchOptions {
  /** File name used in messages (as the user wrote it). @default "cert-watch.yaml" */
  readonly file?: string;
  /** Directory relative paths (sinks, `vault_integration_file`) are resolved against. @default the process's working directory */
  readonly baseDir?: string;
  /** Environment `${NAME}` references are resolved from; every reference must resolve. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Reads `vault_integration_file`. @default fs.readFileSync(path, "utf8") */
  readonly readFile?: (path: string) => string;
}

/**
 * Parse and validate a `cert watch` file.
 * @throws ModelValidationError (file, line, column, field path) for malformed YAML, schema errors,
 * unset `${NAME}`s and broken rules; {@link UnknownPkiRoleKeyError} for an undeclared role key.
 */
export function loadCertWatchConfig(text: string, options: LoadCertWatchOptions = {}): CertWatchConfig {
  const file = options.file ?? "cert-watch.yaml";
  const baseDir = options.baseDir ?? process.cwd();
  const env = options.env ?? process.env;
  const { data, locate } = parseYaml(text, file);
  const { value, unresolved } = resolveEnv(data, env);
  if (unresolved.length > 0) throw new ModelValidationError(locateIssues(unsetEnvIssues(unresolved), { file, locate }));
  const parsed = certWatchSchema.safeParse(value);
  if (!parsed.success) throw new ModelValidationError(locateIssues(zodIssues(parsed.error), { file, locate }));
  const raw = parsed.data;
  const issues: RawIssue[] = [];
  if (raw.vault_integration && raw.vault_integration_file) {
    issues.push({ path: ["vault_integration_file"], message: "give vault_integration or vault_integration_file, not both" });
  }
  const seed = raw.vault_integration
    ? checked(raw.vault_integration, file, locate)
    : linkedSeed(raw, { ...options, env, baseDir, file }, locate);
  const unknownKeys: UnknownKey[] = [];
  const certificates = check(raw, seed, baseDir, issues, unknownKeys);
  if (issues.length > 0) throw new ModelValidationError(locateIssues(issues, { file, locate }));
  const unknown = unknownKeys[0];
  if (unknown) {
    const key = unknown.key;
    const roles = seed ? seedPkiRoles(seed) : {};
    const listed = Object.entries(roles).map(([k, v]) => `${k} (${v})`);
    const message = seed
      ? `unknown role key "${key}": vault_integration.engines.pki.roles declares ${listed.join(", ")}; use one of those keys or role_name for a literal role`
      : `role key "${key}" needs vault_integration (or vault_integration_file) to resolve; give role_name for a literal role`;
    const [issue] = locateIssues([{ path: unknown.path, message }], { file, locate });
    throw new UnknownPkiRoleKeyError(issue, key, roles);
  }
  return {
    file,
    vaultIntegration: seed,
    mount: raw.mount ?? (seed ? seedPkiMount(seed) : "pki"),
    minMarginMs: raw.min_margin === undefined ? undefined : raw.min_margin * 1000,
    certificates,
  };
}

function checked(config: VaultIntegration, file: string, locate: Locator): VaultIntegration {
  const issues = checkVaultIntegration(config);
  if (issues.length > 0) throw new ModelValidationError(locateIssues(issues, { file, locate }));
  return config;
}

function linkedSeed(
  raw: RawWatchFile,
  options: LoadCertWatchOptions & { env: Readonly<Record<string, string | undefined>>; baseDir: string; file: string },
  locate: Locator,
): VaultIntegration | undefined {
  const linked = raw.vault_integration_file;
  if (linked === undefined) return undefined;
  const path = resolve(options.baseDir, linked);
  let text: string;
  try {
    text = (options.readFile ?? ((p: string) => readFileSync(p, "utf8")))(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ModelValidationError(
      locateIssues([{ path: ["vault_integration_file"], message: `cannot read ${linked}: ${code}` }], { file: options.file, locate }),
    );
  }
  // Messages about the linked file name it as the user would reach it: next to the watch file.
  const shown = isAbsolute(linked) ? linked : join(dirname(options.file), linked);
  return loadSeedConfig(text, { file: shown, env: options.env, envMode: "resolve" }).config;
}
