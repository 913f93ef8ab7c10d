/**
 * The database secrets kind: schema, connection/role rules, graph fragment, construct props and the credentials grant.
 */
import { describeSeconds, durationSeconds } from "../duration";
import { mountPathField, resourceName, secretInputSchema } from "../fields";
import {
  AttributeValue,
  AttrRef,
  compact,
  FragmentOptions,
  namespaceField,
  nonEmpty,
  ownerId,
  ResourceDescriptor,
  SecretInput,
  sortedSet,
  StringValue,
} from "../graph";
import { omitUndefined, RawIssue, validateLabelled } from "../validation";
import { PathRule } from "../../policies/policy-document";
import { PolicyGrantee, grantRules } from "../grants";
import { z } from "zod";

/** Database plugins vaultsmith supports. */
export const DATABASE_PLUGINS = ["cassandra", "postgresql", "mysql", "mongodb"] as const;

/** A database connection. */
export const databaseConnectionSchema = z.strictObject({
  name: resourceName,
  plugin: z.enum(DATABASE_PLUGINS),
  /** Cassandra only: host names. */
  hosts: z.array(z.string()).default([]),
  /** Cassandra only. @default 9042 */
  port: z.number().int().min(1).max(65535).optional(),
  /** Cassandra only: connect with TLS. */
  tls: z.boolean().optional(),
  /** Cassandra only: skip verification of the server's certificate (TLS). */
  insecureTls: z.boolean().optional(),
  /** Cassandra only: PEM CA certificate(s) the server's certificate is verified against (`pem_bundle`; needs `tls`). */
  caCert: z.string().includes("BEGIN CERTIFICATE", { message: "expected a PEM certificate" }).optional(),
  /** Cassandra only: CQL native protocol version (Cassandra 3.0+ speaks 3 and 4, 4.0+ also 5; the provider's default is 2). */
  protocolVersion: z.number().int().min(2).max(5).optional(),
  /** Cassandra only: connection timeout. */
  connectTimeout: durationSeconds.optional(),
  /** SQL / MongoDB: a URL templated with `{{username}}` and `{{password}}`. */
  connectionUrl: z.string().optional(),
  username: z.string().min(1),
  password: secretInputSchema,
  allowedRoles: z.array(resourceName).default([]),
  verifyConnection: z.boolean().default(true),
  rootRotationStatements: z.array(z.string()).default([]),
});

/** A database role. */
export const databaseRoleSchema = z.strictObject({
  name: resourceName,
  connection: resourceName,
  creationStatements: z.array(z.string().min(1)).min(1),
  revocationStatements: z.array(z.string()).default([]),
  renewStatements: z.array(z.string()).default([]),
  rollbackStatements: z.array(z.string()).default([]),
  defaultTtl: durationSeconds.default(3600),
  maxTtl: durationSeconds.default(86400),
});

/** A database secrets mount. */
export const databaseSchema = z.strictObject({
  mount: mountPathField,
  maxLeaseTtl: durationSeconds.optional(),
  connections: z.array(databaseConnectionSchema).default([]),
  roles: z.array(databaseRoleSchema).default([]),
});

/** Canonical database mount. */
export type DatabaseSpec = z.output<typeof databaseSchema>;

/** Canonical database connection. */
export type DatabaseConnectionSpec = z.output<typeof databaseConnectionSchema>;

/** Canonical database role. */
export type DatabaseRoleSpec = z.output<typeof databaseRoleSchema>;

/** Check a database mount; paths relative to the mount. */
export function checkDatabase(db: DatabaseSpec): RawIssue[] {
  const out: RawIssue[] = [];
  const connections = new Map(db.connections.map((c) => [c.name, c]));
  db.connections.forEach((c, i) => {
    const at = ["connections", i];
    if (c.plugin === "cassandra") {
      if (c.hosts.length === 0) out.push({ path: [...at, "hosts"], message: "a cassandra connection needs at least one host" });
      if (c.connectionUrl !== undefined)
        out.push({ path: [...at, "connectionUrl"], message: "cassandra connections take hosts, not a connectionUrl" });
      if (c.tls !== true && (c.caCert !== undefined || c.insecureTls !== undefined))
        out.push({ path: [...at, c.caCert !== undefined ? "caCert" : "insecureTls"], message: "caCert and insecureTls need tls: true" });
    } else {
      if (c.connectionUrl === undefined) {
        out.push({
          path: [...at, "connectionUrl"],
          message: `a ${c.plugin} connection needs a connectionUrl templated with {{username}} and {{password}}`,
        });
      } else if (!c.connectionUrl.includes("{{username}}") || !c.connectionUrl.includes("{{password}}")) {
        out.push({
          path: [...at, "connectionUrl"],
          message: "connectionUrl must use {{username}} and {{password}} templates so no credential is written into state",
        });
      }
      if (c.hosts.length > 0) out.push({ path: [...at, "hosts"], message: `hosts are for cassandra; ${c.plugin} takes a connectionUrl` });
      for (const key of ["port", "tls", "insecureTls", "caCert", "protocolVersion", "connectTimeout"] as const) {
        if (c[key] !== undefined)
          out.push({ path: [...at, key], message: `${key} is for cassandra; ${c.plugin} takes it in the connectionUrl` });
      }
    }
  });
  db.roles.forEach((r, i) => {
    const at = ["roles", i];
    const c = connections.get(r.connection);
    if (!c) {
      out.push({ path: [...at, "connection"], message: `unknown connection "${r.connection}"` });
    } else if (c.allowedRoles.length > 0 && !c.allowedRoles.includes(r.name)) {
      out.push({ path: [...at, "name"], message: `role "${r.name}" is not in allowedRoles of connection "${c.name}"` });
    }
    if (r.defaultTtl > r.maxTtl)
      out.push({
        path: [...at, "defaultTtl"],
        message: `default TTL ${describeSeconds(r.defaultTtl)} exceeds max TTL ${describeSeconds(r.maxTtl)}`,
      });
    // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
    if (db.maxLeaseTtl !== undefined && r.maxTtl > db.maxLeaseTtl) {
      out.push({
        path: [...at, "maxTtl"],
        message: `role max TTL ${describeSeconds(r.maxTtl)} exceeds the mount max TTL ${describeSeconds(db.maxLeaseTtl)}`,
      });
    }
  });
  return out;
}

/** The plugin block of a connection (`cassandra { ... }` etc.); credentials never literal. */
export function connectionBlock(spec: DatabaseConnectionSpec): { [key: string]: AttributeValue } {
  if (spec.plugin === "cassandra") {
    // No provider 5.x has password_wo for cassandra (5.11.0's schema checked): the value comes
    // from a sensitive input (never the configuration) but Terraform keeps it in state;
    // rotate-root afterwards makes the stored value dead.
    return compact({
      hosts: sortedSet(spec.hosts),
      port: spec.port ?? 9042,
      username: spec.username,
      password: new SecretInput(spec.password.variable),
      tls: spec.tls,
      insecure_tls: spec.insecureTls,
      pem_bundle: spec.caCert,
      protocol_version: spec.protocolVersion,
      connect_timeout: spec.connectTimeout,
    });
  }
  return compact({
    connection_url: spec.connectionUrl,
    username: spec.username,
    password_wo: new SecretInput(spec.password.variable),
    password_wo_version: spec.password.version,
  });
}

/** A connection on `backend`; `allowedRoles` defaults to the roles that use it. */
export function databaseConnectionDescriptor(
  spec: DatabaseConnectionSpec,
  backend: StringValue,
  rolesUsingIt: readonly string[],
  options: FragmentOptions,
): ResourceDescriptor {
  return {
    type: "vault_database_secret_backend_connection",
    id: `${ownerId(options.owner)}.connection-${spec.name}`,
    attributes: compact({
      backend,
      name: spec.name,
      allowed_roles: sortedSet(spec.allowedRoles.length > 0 ? spec.allowedRoles : rolesUsingIt),
      verify_connection: spec.verifyConnection,
      root_rotation_statements: nonEmpty(spec.rootRotationStatements),
      [spec.plugin]: connectionBlock(spec),
      ...namespaceField(options),
    }),
  };
}

/** A role on `backend` issuing credentials from `connectionName`. */
export function databaseRoleDescriptor(
  spec: DatabaseRoleSpec,
  backend: StringValue,
  connectionName: StringValue,
  options: FragmentOptions,
): ResourceDescriptor {
  return {
    type: "vault_database_secret_backend_role",
    id: `${ownerId(options.owner)}.role-${spec.name}`,
    attributes: compact({
      backend,
      name: spec.name,
      db_name: connectionName,
      creation_statements: spec.creationStatements,
      revocation_statements: nonEmpty(spec.revocationStatements),
      renew_statements: nonEmpty(spec.renewStatements),
      rollback_statements: nonEmpty(spec.rollbackStatements),
      default_ttl: spec.defaultTtl,
      max_ttl: spec.maxTtl,
      ...namespaceField(options),
    }),
  };
}

/** Logical ids of a database fragment's resources: the mount and each connection by name. */
export interface DatabaseIds {
  readonly mount: string;
  readonly connections: ReadonlyMap<string, string>;
}

/** A database mount with its connections and roles. */
export function databaseFragment(
  spec: DatabaseSpec,
  options: FragmentOptions,
): { resources: ResourceDescriptor[]; mountPath: AttrRef; ids: DatabaseIds } {
  const owner = ownerId(options.owner);
  const opts = { ...options, owner };
  const mount: ResourceDescriptor = {
    type: "vault_mount",
    id: `${owner}.mount`,
    attributes: compact({ path: spec.mount, type: "database", max_lease_ttl_seconds: spec.maxLeaseTtl, ...namespaceField(options) }),
  };
  const mountPath = new AttrRef(mount.id, "path");
  const connections = spec.connections.map((c) =>
    databaseConnectionDescriptor(
      c,
      mountPath,
      spec.roles.filter((r) => r.connection === c.name).map((r) => r.name),
      opts,
    ),
  );
  const byName = new Map(connections.map((c) => [c.attributes.name as string, c]));
  const roles = spec.roles.map((r) => {
    const connection = byName.get(r.connection);
    if (!connection) throw new Error(`database role "${r.name}": unknown connection "${r.connection}"`);
    return databaseRoleDescriptor(r, mountPath, new AttrRef(connection.id, "name"), opts);
  });
  return {
    resources: [mount, ...connections, ...roles],
    mountPath,
    ids: { mount: mount.id, connections: new Map(spec.connections.map((c, i) => [c.name, connections[i].id])) },
  };
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
  return omitUndefined({
    mount: props.mountPath ?? "database",
    maxLeaseTtl: props.maxLeaseTtl,
    connections: (props.connections ?? []).map(({ passwordVariable, passwordVersion, ...c }) =>
      omitUndefined({ ...c, password: omitUndefined({ variable: passwordVariable, version: passwordVersion }) }),
    ),
    roles: (props.roles ?? []).map((r) => omitUndefined({ ...r })),
  });
}

/** `read` on `<mount>/creds/<role>` (dynamic credentials). */
export function databaseCredentialsRule(mountPath: string, roleName: string): PathRule {
  return { path: `${mountPath}/creds/${roleName}`, capabilities: ["read"] };
}

/** The props of a database engine: each connection's password becomes its secret variable. */
export function databaseProps(d: DatabaseSpec): DatabaseSecretsProps {
  return {
    mountPath: d.mount,
    maxLeaseTtl: d.maxLeaseTtl,
    connections: d.connections.map(({ password, ...c }) => ({
      ...c,
      passwordVariable: password.variable,
      passwordVersion: password.version,
    })),
    roles: d.roles,
  };
}

/** A database secrets engine, created here or imported: its mount, its known roles and its grants. */
export interface IDatabaseSecrets {
  /** Mount path as a literal. */
  readonly mountPath: string;
  /** Names of the roles grants may name (created ones, or those an importer was told about). */
  readonly roleNames: ReadonlySet<string>;
  /** Grant `read` on `<mount>/creds/<role>` (dynamic credentials); refuses a role the engine is not known to have. */
  grantCredentials(policy: PolicyGrantee, roleName: string): PathRule[];
}

/** What an importer of an existing database secrets engine is told. */
export interface DatabaseSecretsAttributes {
  /** Mount path of the existing engine. */
  readonly mountPath: string;
  /** Names of its roles that grants may name (nothing is read from Vault at synthesis). */
  readonly roleNames: readonly string[];
}

const databaseImportSchema = z.strictObject({
  mountPath: mountPathField,
  roleNames: z.array(resourceName).min(1, "name at least one role"),
});

/**
 * Validate the attributes of an imported database engine and return its grants.
 * @throws ModelValidationError naming `label` and the field
 */
export function importDatabaseSecrets(label: string, attrs: DatabaseSecretsAttributes): DatabaseGrants {
  const spec = validateLabelled(label, databaseImportSchema, { ...attrs, roleNames: [...(attrs.roleNames ?? [])] });
  return new DatabaseGrants(spec.mountPath, new Set(spec.roleNames), label, true);
}

/** The one implementation of the database grants, for both engines. */
export class DatabaseGrants implements IDatabaseSecrets {
  constructor(
    public readonly mountPath: string,
    public readonly roleNames: ReadonlySet<string>,
    private readonly label: string,
    private readonly imported = false,
  ) {}

  /** Grant `read` on `<mount>/creds/<role>` (dynamic credentials); refuses a role the engine does not have. */
  public grantCredentials(policy: PolicyGrantee, roleName: string): PathRule[] {
    if (!this.roleNames.has(roleName)) {
      throw new Error(
        this.imported
          ? `${this.label}: no role "${roleName}" among the roles it was told about (${[...this.roleNames].join(", ")}); add it to roleNames if the engine has it`
          : `DatabaseSecrets ${this.label}: no role "${roleName}"`,
      );
    }
    return grantRules(policy, [databaseCredentialsRule(this.mountPath, roleName)]);
  }
}
