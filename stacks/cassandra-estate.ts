/**
 * The engine-neutral part of the Cassandra certificate manager estate: its options with the
 * seed story's defaults, the manager's least-privilege rules and the estate (model input) they
 * compile to. Used by the CDKTF and the Pulumi `CassandraCertManagerStack`.
 */
import { PathRule } from "../policies/policy-document";
import { ModelValidationError } from "../model/errors";
import { Estate, EstateInput } from "../model/schema";
import {
  DEFAULT_PKI_MOUNT,
  DEFAULT_PKI_ROLE_NAMES,
  LoadSeedOptions,
  VaultIntegration,
  seedPkiMount,
  seedPkiRoles,
} from "../model/seed-config";
import { TargetServer } from "../model/target";

/** Options of the Cassandra estate (everything has a default taken from the seed story). */
export interface CassandraEstateOptions {
  /** The server the estate deploys to. */
  readonly target: TargetServer;
  /** Namespace of the whole estate (needs a target with namespaces). @default none (the provider's) */
  readonly namespace?: string;
  /**
   * Create `namespace` with the estate (its last segment, inside the rest, which must exist)
   * rather than expect it to exist. @default true when `namespace` is set
   */
  readonly createNamespace?: boolean;
  /** Mount of the issuing (intermediate) CA; roles live here. The root lives at `<pkiMount>-root`. @default "pki" */
  readonly pkiMount?: string;
  /** Domain node certificates are issued under. @default "example.com" */
  readonly domain?: string;
  /**
   * Short host names of the nodes (e.g. `cassandra-node-1`) that server certificates may carry
   * besides names under `domain` — the seed's request asks for one. They become allowed domains
   * with `allow_bare_domains` (which also admits `domain` itself); no glob, since
   * `cassandra-node-*` would match `cassandra-node-1.evil.com` as well. @default none
   */
  readonly nodeHostnames?: readonly string[];
  /** Root CA TTL. @default "87600h" */
  readonly rootTtl?: string | number;
  /** Intermediate CA TTL. @default "43800h" */
  readonly intermediateTtl?: string | number;
  /** Certificate TTL of the server and client roles. @default "720h" */
  readonly certTtl?: string | number;
  /** Server-certificate role name. @default "server-cert" */
  readonly serverRole?: string;
  /** Client-certificate role name. @default "client-cert" */
  readonly clientRole?: string;
  /** CRL distribution points. @default ["http://crl.example.com"] */
  readonly crlDistribution?: readonly string[];
  /** OCSP responders. @default ["http://ocsp.example.com"] */
  readonly ocspServers?: readonly string[];
  /**
   * Vault's address as clients reach it: the CA-issuers (AIA) URL of each CA,
   * `<address>/v1/[<namespace>/]<mount>/ca`, is put in the certificates it signs. @default "https://vault.example.com:8200"
   */
  readonly vaultAddress?: string;
  /** KV v2 mount. @default "secret" */
  readonly kvMount?: string;
  /** Transit mount. @default "transit" */
  readonly transitMount?: string;
  /** Transit key. @default "cassandra-encryption" */
  readonly transitKey?: string;
  /** Allow the transit key to be deleted (needed for a full destroy). @default false */
  readonly transitKeyDeletionAllowed?: boolean;
  /** Database mount. @default "database" */
  readonly databaseMount?: string;
  /** Cassandra hosts; `[]` leaves the database engine out. @default ["cassandra.example.com"] */
  readonly cassandraHosts?: readonly string[];
  /** Cassandra admin user Vault connects as. @default "vault_admin" */
  readonly cassandraUsername?: string;
  /** Sensitive variable holding the Cassandra admin password. @default "cassandra_admin_password" */
  readonly cassandraPasswordVariable?: string;
  /** Cassandra port. @default 9042 */
  readonly cassandraPort?: number;
  /** CQL native protocol version (Cassandra 3.0+ speaks 3 and 4, 4.0+ also 5; the provider alone would use 2). @default 4 */
  readonly cassandraProtocolVersion?: number;
  /** Connect to Cassandra with TLS. @default false */
  readonly cassandraTls?: boolean;
  /** PEM CA certificate(s) Cassandra's certificate is verified against (needs `cassandraTls`). @default the system roots */
  readonly cassandraCaCert?: string;
  /** Skip verification of Cassandra's certificate (needs `cassandraTls`; tests only). @default false */
  readonly cassandraInsecureTls?: boolean;
  /** Verify the Cassandra connection on apply (turn off to apply before Cassandra is up). @default true */
  readonly verifyConnection?: boolean;
  /** AppRole mount. @default "approle" */
  readonly appRoleMount?: string;
  /** Name of the manager's AppRole role and policy. @default "cassandra-cert-manager" */
  readonly managerName?: string;
}

/** Least-privilege rules of the manager: issue both roles, its KV subtree, its transit key, its DB creds. */
export function cassandraManagerRules(o: Defaulted): PathRule[] {
  const rules: PathRule[] = [
    { path: `${o.pkiMount}/issue/${o.serverRole}`, capabilities: ["update"] },
    { path: `${o.pkiMount}/issue/${o.clientRole}`, capabilities: ["update"] },
    { path: `${o.kvMount}/data/cassandra/*`, capabilities: ["create", "read", "update", "patch"] },
    { path: `${o.kvMount}/metadata/cassandra/*`, capabilities: ["read", "list"] },
    { path: `${o.transitMount}/encrypt/${o.transitKey}`, capabilities: ["update"] },
    { path: `${o.transitMount}/decrypt/${o.transitKey}`, capabilities: ["update"] },
  ];
  if (o.cassandraHosts.length > 0) rules.push({ path: `${o.databaseMount}/creds/cassandra-app`, capabilities: ["read"] });
  return rules;
}

/** Options without a default. */
type Optional = "target" | "namespace" | "createNamespace" | "cassandraCaCert" | "cassandraInsecureTls";
/** The options with their defaults filled. */
type Defaulted = Required<Omit<CassandraEstateOptions, Optional>> & Pick<CassandraEstateOptions, Optional>;

function withDefaults(options: CassandraEstateOptions): Defaulted {
  return {
    ...options,
    pkiMount: options.pkiMount ?? DEFAULT_PKI_MOUNT,
    domain: options.domain ?? "example.com",
    nodeHostnames: [...(options.nodeHostnames ?? [])],
    rootTtl: options.rootTtl ?? "87600h",
    intermediateTtl: options.intermediateTtl ?? "43800h",
    certTtl: options.certTtl ?? "720h",
    serverRole: options.serverRole ?? DEFAULT_PKI_ROLE_NAMES.server!,
    clientRole: options.clientRole ?? DEFAULT_PKI_ROLE_NAMES.client!,
    crlDistribution: options.crlDistribution ?? ["http://crl.example.com"],
    ocspServers: options.ocspServers ?? ["http://ocsp.example.com"],
    vaultAddress: (options.vaultAddress ?? "https://vault.example.com:8200").replace(/\/+$/, ""),
    kvMount: options.kvMount ?? "secret",
    transitMount: options.transitMount ?? "transit",
    transitKey: options.transitKey ?? "cassandra-encryption",
    transitKeyDeletionAllowed: options.transitKeyDeletionAllowed ?? false,
    databaseMount: options.databaseMount ?? "database",
    cassandraHosts: options.cassandraHosts ?? ["cassandra.example.com"],
    cassandraUsername: options.cassandraUsername ?? "vault_admin",
    cassandraPasswordVariable: options.cassandraPasswordVariable ?? "cassandra_admin_password",
    cassandraPort: options.cassandraPort ?? 9042,
    cassandraProtocolVersion: options.cassandraProtocolVersion ?? 4,
    cassandraTls: options.cassandraTls ?? false,
    verifyConnection: options.verifyConnection ?? true,
    appRoleMount: options.appRoleMount ?? "approle",
    managerName: options.managerName ?? "cassandra-cert-manager",
  };
}

/** The estate (model input) of the Cassandra certificate manager. */
export function cassandraEstate(options: CassandraEstateOptions): EstateInput {
  const o = withDefaults(options);
  // Unauthenticated `<mount>/ca` (DER) of the CA that signed a certificate: its CA-issuers URL.
  const aia = (mount: string): string => `${o.vaultAddress}/v1/${options.namespace ? `${options.namespace}/` : ""}${mount}/ca`;
  const role = (name: string, template: "server" | "client") => ({
    name,
    template,
    // Cassandra's internode encryption with require_client_auth uses one certificate per node
    // both to accept and to open connections to its peers: node certificates need ClientAuth too.
    clientAuth: template === "server",
    ttl: o.certTtl,
    allowedDomains: template === "server" ? [o.domain, ...o.nodeHostnames] : [o.domain],
    ...(template === "server" && o.nodeHostnames.length > 0 ? { allowBareDomains: true } : {}),
    allowSubdomains: true,
    allowIpSans: true,
    allowLocalhost: template === "server",
  });
  return {
    target: options.target,
    ...(options.namespace !== undefined ? { namespace: options.namespace, createNamespace: options.createNamespace ?? true } : {}),
    pki: {
      root: {
        mount: `${o.pkiMount}-root`,
        commonName: "Cassandra Root CA",
        ttl: o.rootTtl,
        urls: {
          issuingCertificates: [aia(`${o.pkiMount}-root`)],
          crlDistribution: [...o.crlDistribution],
          ocspServers: [...o.ocspServers],
        },
      },
      intermediates: [
        {
          mount: o.pkiMount,
          commonName: "Cassandra Issuing CA",
          ttl: o.intermediateTtl,
          maxLeaseTtl: o.intermediateTtl,
          urls: { issuingCertificates: [aia(o.pkiMount)], crlDistribution: [...o.crlDistribution], ocspServers: [...o.ocspServers] },
          crl: { expiry: "72h", autoRebuild: true },
          roles: [role(o.serverRole, "server"), role(o.clientRole, "client")],
        },
      ],
    },
    kv: [{ mount: o.kvMount, maxVersions: 10, casRequired: true }],
    transit: [
      {
        mount: o.transitMount,
        keys: [{ name: o.transitKey, type: "aes256-gcm96", autoRotatePeriod: "720h", deletionAllowed: o.transitKeyDeletionAllowed }],
      },
    ],
    database:
      o.cassandraHosts.length === 0
        ? []
        : [
            {
              mount: o.databaseMount,
              connections: [
                {
                  name: "cassandra",
                  plugin: "cassandra",
                  hosts: [...o.cassandraHosts],
                  username: o.cassandraUsername,
                  password: { variable: o.cassandraPasswordVariable },
                  port: o.cassandraPort,
                  protocolVersion: o.cassandraProtocolVersion,
                  ...(o.cassandraTls ? { tls: true } : {}),
                  ...(o.cassandraCaCert !== undefined ? { caCert: o.cassandraCaCert } : {}),
                  ...(o.cassandraInsecureTls !== undefined ? { insecureTls: o.cassandraInsecureTls } : {}),
                  verifyConnection: o.verifyConnection,
                },
              ],
              roles: [
                {
                  name: "cassandra-app",
                  connection: "cassandra",
                  creationStatements: [
                    "CREATE USER '{{username}}' WITH PASSWORD '{{password}}' NOSUPERUSER;",
                    "GRANT SELECT ON ALL KEYSPACES TO '{{username}}';",
                  ],
                  revocationStatements: ["DROP USER '{{username}}';"],
                  defaultTtl: "1h",
                  maxTtl: "24h",
                },
              ],
            },
          ],
    auth: {
      appRole: {
        path: o.appRoleMount,
        roles: [{ name: o.managerName, policies: [o.managerName], tokenTtl: "1h", tokenMaxTtl: "4h", secretIdTtl: "24h" }],
      },
    },
    policies: [{ name: o.managerName, rules: cassandraManagerRules(o).map((r) => ({ path: r.path, capabilities: [...r.capabilities] })) }],
  };
}

/** Options of {@link CassandraCertManagerStack.fromSeedYaml}. */
export interface CassandraSeedOptions extends Omit<
  CassandraEstateOptions,
  | "namespace"
  | "pkiMount"
  | "certTtl"
  | "serverRole"
  | "clientRole"
  | "kvMount"
  | "transitMount"
  | "transitKey"
  | "databaseMount"
  | "appRoleMount"
> {
  /** Use the seed's `namespace` for the estate (needs a target with namespaces). @default true */
  readonly useSeedNamespace?: boolean;
  /** How the YAML is read (file name for messages, environment). @default see LoadSeedOptions */
  readonly load?: LoadSeedOptions;
}

/** Estate options from a seed `vault_integration` block (its mounts, role names, TTL, key name). */
export function cassandraOptionsFromSeed(seed: VaultIntegration, options: Omit<CassandraSeedOptions, "load">): CassandraEstateOptions {
  const { useSeedNamespace, ...rest } = options;
  const e = seed.engines;
  const roles = seedPkiRoles(seed);
  return {
    ...rest,
    ...(useSeedNamespace !== false && seed.namespace !== undefined ? { namespace: seed.namespace } : {}),
    // Mount and role names come from the one resolver the certificate daemon (`cert watch`) uses too.
    pkiMount: seedPkiMount(seed),
    serverRole: roles.server!,
    clientRole: roles.client!,
    ...(e.pki ? { certTtl: e.pki.ttl } : {}),
    ...(rest.vaultAddress === undefined ? { vaultAddress: seed.address } : {}),
    ...(e.kv ? { kvMount: e.kv.mount_path } : {}),
    ...(e.transit ? { transitMount: e.transit.mount_path, transitKey: e.transit.key_name } : {}),
    ...(e.database ? { databaseMount: e.database.mount_path } : {}),
    ...(seed.authentication.method === "approle" ? { appRoleMount: seed.authentication.mount_path } : {}),
  };
}

/** What an estate was built into, by kind (the shape `buildEstate` of either engine returns). */
export interface BuiltEstate<Root, Ca, Role extends { readonly roleName: string }, Kv, Transit, Db, AppRole, Policy> {
  /** The root CA, when the estate has PKI. */
  readonly rootCa?: Root;
  /** Intermediates by mount path. */
  readonly intermediates: ReadonlyMap<string, Ca>;
  /** PKI roles by name. */
  readonly pkiRoles: ReadonlyMap<string, Role>;
  /** KV v2 stores by mount path. */
  readonly kv: ReadonlyMap<string, Kv>;
  /** Transit engines by mount path. */
  readonly transit: ReadonlyMap<string, Transit>;
  /** Database engines by mount path. */
  readonly database: ReadonlyMap<string, Db>;
  /** AppRole auth, when declared. */
  readonly appRole?: AppRole;
  /** ACL policies by name. */
  readonly policies: ReadonlyMap<string, Policy>;
}

/** The parts of a built Cassandra estate a stack exposes. */
export interface CassandraParts<Root, Ca, Role, Kv, Transit, Db, AppRole, Policy> {
  /** The root CA. */
  readonly rootCa: Root;
  /** The issuing CA. */
  readonly issuingCa: Ca;
  /** Server-certificate role. */
  readonly serverRole: Role;
  /** Client-certificate role. */
  readonly clientRole: Role;
  /** KV v2 store. */
  readonly kv: Kv;
  /** Transit engine. */
  readonly transit: Transit;
  /** Cassandra database engine, unless left out. */
  readonly database?: Db;
  /** AppRole auth. */
  readonly appRole: AppRole;
  /** The manager's policy. */
  readonly managerPolicy: Policy;
}

/**
 * Pick the Cassandra stack's parts out of a built estate.
 * @throws ModelValidationError naming the part the estate lacks
 */
export function cassandraParts<Root, Ca, Role extends { readonly roleName: string }, Kv, Transit, Db, AppRole, Policy>(
  estate: Estate,
  built: BuiltEstate<Root, Ca, Role, Kv, Transit, Db, AppRole, Policy>,
): CassandraParts<Root, Ca, Role, Kv, Transit, Db, AppRole, Policy> {
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new ModelValidationError([{ path: what, message: `the Cassandra estate needs ${what}` }]);
    return value;
  };
  const pki = need(estate.pki, "pki");
  const issuing = need(pki.intermediates[0], "pki.intermediates[0]");
  const roles = issuing.roles.map((r) => need(built.pkiRoles.get(r.name), `pki role ${r.name}`));
  const withTemplate = (template: string): Role | undefined =>
    roles.find((r) => issuing.roles.find((s) => s.name === r.roleName)?.template === template);
  return {
    rootCa: need(built.rootCa, "pki.root"),
    issuingCa: need(built.intermediates.get(issuing.mount), "pki.intermediates[0]"),
    serverRole: need(withTemplate("server"), "a server role"),
    clientRole: need(withTemplate("client"), "a client role"),
    kv: need([...built.kv.values()][0], "kv[0]"),
    transit: need([...built.transit.values()][0], "transit[0]"),
    database: [...built.database.values()][0],
    appRole: need(built.appRole, "auth.appRole"),
    managerPolicy: need([...built.policies.values()][0], "policies[0]"),
  };
}
