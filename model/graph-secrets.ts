/** KV v2, transit and database secrets engines → descriptors. */
import { AttrRef, AttributeValue, ResourceDescriptor, SecretInput, StringValue, compact, nonEmpty, ownerId, sortedSet } from "./graph";
import { FragmentOptions } from "./graph-pki";
import { DatabaseConnectionSpec, DatabaseRoleSpec, DatabaseSpec, KvSpec, TransitKeySpec, TransitSpec } from "./schema";

function ns(options: FragmentOptions): { namespace?: StringValue } {
  return options.namespace === undefined ? {} : { namespace: options.namespace };
}

/** Logical ids of a KV v2 fragment's resources, by role (constructs look them up by name, not position). */
export interface KvV2Ids {
  readonly mount: string;
  readonly config: string;
}

/** A KV v2 mount (`vault_mount` with `options.version = "2"`) and its engine configuration. */
export function kvV2Fragment(
  spec: KvSpec,
  options: FragmentOptions,
): { resources: ResourceDescriptor[]; mountPath: AttrRef; ids: KvV2Ids } {
  const owner = ownerId(options.owner);
  const mount: ResourceDescriptor = {
    type: "vault_mount",
    id: `${owner}.mount`,
    attributes: compact({ path: spec.mount, type: "kv", options: { version: "2" }, description: spec.description, ...ns(options) }),
  };
  const mountPath = new AttrRef(mount.id, "path");
  const config: ResourceDescriptor = {
    type: "vault_kv_secret_backend_v2",
    id: `${owner}.config`,
    attributes: compact({
      mount: mountPath,
      max_versions: spec.maxVersions,
      cas_required: spec.casRequired,
      delete_version_after: spec.deleteVersionAfter,
      ...ns(options),
    }),
  };
  return { resources: [mount, config], mountPath, ids: { mount: mount.id, config: config.id } };
}

/** A transit key on `backend`; protected from destroy unless deletion is allowed. */
export function transitKeyDescriptor(spec: TransitKeySpec, backend: StringValue, options: FragmentOptions): ResourceDescriptor {
  return {
    type: "vault_transit_secret_backend_key",
    id: `${ownerId(options.owner)}.key-${spec.name}`,
    protect: !spec.deletionAllowed,
    attributes: compact({
      backend,
      name: spec.name,
      type: spec.type,
      derived: spec.derived,
      convergent_encryption: spec.convergentEncryption,
      auto_rotate_period: spec.autoRotatePeriod,
      deletion_allowed: spec.deletionAllowed,
      exportable: spec.exportable,
      allow_plaintext_backup: spec.allowPlaintextBackup,
      min_decryption_version: spec.minDecryptionVersion,
      ...ns(options),
    }),
  };
}

/** Logical ids of a transit fragment's resources: the mount and each key by name. */
export interface TransitIds {
  readonly mount: string;
  readonly keys: ReadonlyMap<string, string>;
}

/** A transit mount and its keys. */
export function transitFragment(
  spec: TransitSpec,
  options: FragmentOptions,
): { resources: ResourceDescriptor[]; mountPath: AttrRef; ids: TransitIds } {
  const owner = ownerId(options.owner);
  const mount: ResourceDescriptor = {
    type: "vault_mount",
    id: `${owner}.mount`,
    attributes: compact({ path: spec.mount, type: "transit", ...ns(options) }),
  };
  const mountPath = new AttrRef(mount.id, "path");
  const keys = spec.keys.map((k) => transitKeyDescriptor(k, mountPath, { ...options, owner }));
  return {
    resources: [mount, ...keys],
    mountPath,
    ids: { mount: mount.id, keys: new Map(spec.keys.map((k, i) => [k.name, keys[i].id])) },
  };
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
      ...ns(options),
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
      ...ns(options),
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
    attributes: compact({ path: spec.mount, type: "database", max_lease_ttl_seconds: spec.maxLeaseTtl, ...ns(options) }),
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
