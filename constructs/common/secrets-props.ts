/**
 * Props of the KV v2, transit and database constructs of both engines, their mapping onto the
 * model, the checks the model does not do per construct, and the ACL rules their `grant*` emit.
 */
import { Capability, PathRule } from "../../policies/policy-document";
import { RawIssue, checkTransitKey } from "../../model/rules";
import { TRANSIT_KEY_TYPES, TransitSpec } from "../../model/schema";
import { defined } from "./validation";

/** Props of `KvV2Store`. */
export interface KvV2StoreProps {
  /** Mount path. @default "secret" */
  readonly mountPath?: string;
  /** Mount description. @default none */
  readonly description?: string;
  /** Versions kept per secret (0 = Vault's default of 10). @default 0 */
  readonly maxVersions?: number;
  /** Require check-and-set on every write. @default false */
  readonly casRequired?: boolean;
  /** Delete versions this long after they are written (`0` = never). @default 0 */
  readonly deleteVersionAfter?: string | number;
}

/** Model input of a KV v2 store. */
export function kvInput(props: KvV2StoreProps): Record<string, unknown> {
  return defined({ ...props, mount: props.mountPath ?? "secret", mountPath: undefined });
}

/** Mount path of an imported KV v2 store (surrounding `/` removed). */
export function trimMountPath(mountPath: string): string {
  return mountPath.replace(/^\/+|\/+$/g, "");
}

/** What a KV v2 grant covers. */
export type KvGrant = "read" | "write" | "read-write" | "delete" | "destroy" | "list";

const KV_GRANTS: Readonly<Record<KvGrant, readonly [string, readonly Capability[]][]>> = {
  read: [
    ["data", ["read"]],
    ["metadata", ["read", "list"]],
  ],
  write: [
    ["data", ["create", "update", "patch"]],
    ["metadata", ["read"]],
  ],
  "read-write": [
    ["data", ["create", "read", "update", "patch"]],
    ["metadata", ["read", "list"]],
  ],
  delete: [
    ["data", ["delete"]],
    ["delete", ["update"]],
    ["undelete", ["update"]],
  ],
  destroy: [
    ["destroy", ["update"]],
    ["metadata", ["delete"]],
  ],
  list: [["metadata", ["list"]]],
};

/** The rules of KV v2 grant `kind` on `<mount>/<prefix>/<pattern>` (pattern relative to the mount). */
export function kvGrantRules(mountPath: string, kind: KvGrant, pattern: string): PathRule[] {
  if (pattern.startsWith("/")) throw new Error(`KV grant pattern "${pattern}" must be relative to the mount (no leading "/")`);
  if (/^(data|metadata|delete|undelete|destroy)(\/|$)/.test(pattern)) {
    throw new Error(`KV grant pattern "${pattern}" must not start with a KV v2 API prefix: grants add data/, metadata/, ... themselves`);
  }
  return KV_GRANTS[kind].map(([prefix, capabilities]) => ({ path: `${mountPath}/${prefix}/${pattern}`, capabilities }));
}

/** Key types a transit key can have. */
export type TransitKeyType = (typeof TRANSIT_KEY_TYPES)[number];

/** One transit key. */
export interface TransitKeyOptions {
  /** Key name. */
  readonly name: string;
  /** Key type. @default "aes256-gcm96" */
  readonly type?: TransitKeyType;
  /** Derive a key per context (required for convergent encryption). @default false */
  readonly derived?: boolean;
  /** Same plaintext + context → same ciphertext (needs `derived`). @default false */
  readonly convergentEncryption?: boolean;
  /** Rotate automatically after this period (`0` = never, else at least 1h). @default 0 */
  readonly autoRotatePeriod?: string | number;
  /** Allow the key to be deleted (Vault refuses deletion otherwise; destroy is also blocked). @default false */
  readonly deletionAllowed?: boolean;
  /** Allow exporting the key (irreversible once set). @default false */
  readonly exportable?: boolean;
  /** Allow plaintext backups (irreversible once set). @default false */
  readonly allowPlaintextBackup?: boolean;
  /** Oldest key version that may decrypt. @default all versions */
  readonly minDecryptionVersion?: number;
}

/** Props of `TransitEngine`. */
export interface TransitEngineProps {
  /** Mount path. @default "transit" */
  readonly mountPath?: string;
  /** Keys. @default none */
  readonly keys?: readonly TransitKeyOptions[];
}

/** Model input of a transit engine. */
export function transitInput(props: TransitEngineProps): Record<string, unknown> {
  return { mount: props.mountPath ?? "transit", keys: (props.keys ?? []).map((k) => defined({ ...k })) };
}

/** Per-key violations: duplicate names and the model's key rules (paths `keys[i].…`). */
export function transitIssues(spec: TransitSpec): RawIssue[] {
  const issues: RawIssue[] = [];
  const names = new Set<string>();
  spec.keys.forEach((k, i) => {
    if (names.has(k.name)) issues.push({ path: ["keys", i, "name"], message: `key "${k.name}" is declared twice` });
    names.add(k.name);
    issues.push(...checkTransitKey(k).map((issue) => ({ path: ["keys", i, ...issue.path], message: issue.message })));
  });
  return issues;
}

/** Transit operations a policy can be granted. */
export type TransitOperation = "encrypt" | "decrypt" | "sign" | "verify";

/** `update` on `<mount>/<op>/<key>`. */
export function transitGrantRule(mountPath: string, op: TransitOperation, keyName: string): PathRule {
  return { path: `${mountPath}/${op}/${keyName}`, capabilities: ["update"] };
}

/** Database plugins. */
export type DatabasePlugin = "cassandra" | "postgresql" | "mysql" | "mongodb";

/** One connection. */
export interface DatabaseConnectionOptions {
  /** Connection name. */
  readonly name: string;
  /** Plugin. */
  readonly plugin: DatabasePlugin;
  /** Cassandra: host names. @default none (required for cassandra) */
  readonly hosts?: readonly string[];
  /** Cassandra: port. @default 9042 */
  readonly port?: number;
  /** Cassandra: use TLS. @default plugin default */
  readonly tls?: boolean;
  /** Cassandra: skip verification of the server certificate (needs `tls`). @default false */
  readonly insecureTls?: boolean;
  /** Cassandra: PEM CA certificate(s) to verify the server against (`pem_bundle`; needs `tls`). @default the system roots */
  readonly caCert?: string;
  /** Cassandra: CQL native protocol version, 2–5 (Cassandra 3.0+ speaks 3 and 4). @default the provider's, 2 */
  readonly protocolVersion?: number;
  /** Cassandra: connection timeout. @default plugin default */
  readonly connectTimeout?: string | number;
  /** SQL / MongoDB: URL with `{{username}}` and `{{password}}` templates. @default none (required for them) */
  readonly connectionUrl?: string;
  /** Root user name. */
  readonly username: string;
  /** Name of the sensitive deploy-time input that holds the root password. */
  readonly passwordVariable: string;
  /** Bump to send a new password through the write-only argument. @default 1 */
  readonly passwordVersion?: number;
  /** Roles allowed to use the connection. @default the roles declared on it */
  readonly allowedRoles?: readonly string[];
  /** Verify the connection on write. @default true */
  readonly verifyConnection?: boolean;
  /** Statements used by rotate-root. @default plugin default */
  readonly rootRotationStatements?: readonly string[];
}

/** One role. */
export interface DatabaseRoleOptions {
  /** Role name (`<mount>/creds/<name>`). */
  readonly name: string;
  /** Connection the role issues credentials from. */
  readonly connection: string;
  /** Statements that create the user. */
  readonly creationStatements: readonly string[];
  /** Statements that drop the user. @default plugin default */
  readonly revocationStatements?: readonly string[];
  /** Statements run on renewal. @default none */
  readonly renewStatements?: readonly string[];
  /** Statements run when creation fails. @default none */
  readonly rollbackStatements?: readonly string[];
  /** Default lease TTL. @default 1h */
  readonly defaultTtl?: string | number;
  /** Max lease TTL. @default 24h */
  readonly maxTtl?: string | number;
}

/** Props of `DatabaseSecrets`. */
export interface DatabaseSecretsProps {
  /** Mount path. @default "database" */
  readonly mountPath?: string;
  /** Mount max lease TTL; every role's max TTL must fit. @default the system max */
  readonly maxLeaseTtl?: string | number;
  /** Connections. @default none */
  readonly connections?: readonly DatabaseConnectionOptions[];
  /** Roles. @default none */
  readonly roles?: readonly DatabaseRoleOptions[];
}

/** Model input of a database engine (password variables become secret inputs). */
export function databaseInput(props: DatabaseSecretsProps): Record<string, unknown> {
  return defined({
    mount: props.mountPath ?? "database",
    maxLeaseTtl: props.maxLeaseTtl,
    connections: (props.connections ?? []).map(({ passwordVariable, passwordVersion, ...c }) =>
      defined({ ...c, password: defined({ variable: passwordVariable, version: passwordVersion }) }),
    ),
    roles: (props.roles ?? []).map((r) => defined({ ...r })),
  });
}

/** `read` on `<mount>/creds/<role>` (dynamic credentials). */
export function databaseCredentialsRule(mountPath: string, roleName: string): PathRule {
  return { path: `${mountPath}/creds/${roleName}`, capabilities: ["read"] };
}
