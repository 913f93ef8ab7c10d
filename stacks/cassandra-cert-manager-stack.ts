/**
 * The estate of the seed story's Cassandra certificate manager: root + intermediate CA, server-
 * and client-certificate roles (720h), KV v2 at `secret`, transit key `cassandra-encryption`, a
 * Cassandra database engine, AppRole auth and a least-privilege policy for the manager.
 * Configured from options, from the seed's `vault_integration` YAML, or from a whole estate.
 */
import { Construct } from "constructs";
import { AclPolicy } from "../constructs/cdktf/acl-policy";
import { AppRoleAuth } from "../constructs/cdktf/approle-auth";
import { DatabaseSecrets } from "../constructs/cdktf/database-secrets";
import { IntermediateCa } from "../constructs/cdktf/intermediate-ca";
import { KvV2Store } from "../constructs/cdktf/kv-v2-store";
import { PkiRole } from "../constructs/cdktf/pki-role";
import { IRootCa } from "../constructs/cdktf/root-ca";
import { TransitEngine } from "../constructs/cdktf/transit-engine";
import { VaultStack, VaultStackProps } from "../constructs/cdktf/vault-stack";
import { PathRule } from "../policies/policy-document";
import { ModelValidationError } from "../constructs/model/errors";
import { parseEstate } from "../constructs/model/rules";
import { Estate, EstateInput } from "../constructs/model/schema";
import { LoadSeedOptions, VaultIntegration, loadSeedConfig } from "../constructs/model/seed-config";
import { TargetServer } from "../constructs/model/target";
import { buildEstate } from "./estate-constructs";

/** Options of the Cassandra estate (everything has a default taken from the seed story). */
export interface CassandraEstateOptions {
  /** The server the estate deploys to. */
  readonly target: TargetServer;
  /** Namespace of the whole estate (needs a target with namespaces). @default none (the provider's) */
  readonly namespace?: string;
  /** Mount of the issuing (intermediate) CA; roles live here. The root lives at `<pkiMount>-root`. @default "pki" */
  readonly pkiMount?: string;
  /** Domain node certificates are issued under. @default "example.com" */
  readonly domain?: string;
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
  /** Verify the Cassandra connection on apply. @default true */
  readonly verifyConnection?: boolean;
  /** AppRole mount. @default "approle" */
  readonly appRoleMount?: string;
  /** Name of the manager's AppRole role and policy. @default "cassandra-cert-manager" */
  readonly managerName?: string;
}

/** Least-privilege rules of the manager: issue both roles, its KV subtree, its transit key, its DB creds. */
export function cassandraManagerRules(o: Required<Omit<CassandraEstateOptions, "target" | "namespace">>): PathRule[] {
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

function withDefaults(options: CassandraEstateOptions): Required<Omit<CassandraEstateOptions, "target" | "namespace">> {
  return {
    pkiMount: options.pkiMount ?? "pki",
    domain: options.domain ?? "example.com",
    rootTtl: options.rootTtl ?? "87600h",
    intermediateTtl: options.intermediateTtl ?? "43800h",
    certTtl: options.certTtl ?? "720h",
    serverRole: options.serverRole ?? "server-cert",
    clientRole: options.clientRole ?? "client-cert",
    crlDistribution: options.crlDistribution ?? ["http://crl.example.com"],
    ocspServers: options.ocspServers ?? ["http://ocsp.example.com"],
    kvMount: options.kvMount ?? "secret",
    transitMount: options.transitMount ?? "transit",
    transitKey: options.transitKey ?? "cassandra-encryption",
    transitKeyDeletionAllowed: options.transitKeyDeletionAllowed ?? false,
    databaseMount: options.databaseMount ?? "database",
    cassandraHosts: options.cassandraHosts ?? ["cassandra.example.com"],
    cassandraUsername: options.cassandraUsername ?? "vault_admin",
    cassandraPasswordVariable: options.cassandraPasswordVariable ?? "cassandra_admin_password",
    verifyConnection: options.verifyConnection ?? true,
    appRoleMount: options.appRoleMount ?? "approle",
    managerName: options.managerName ?? "cassandra-cert-manager",
  };
}

/** The estate (model input) of the Cassandra certificate manager. */
export function cassandraEstate(options: CassandraEstateOptions): EstateInput {
  const o = withDefaults(options);
  const role = (name: string, template: "server" | "client") => ({
    name,
    template,
    ttl: o.certTtl,
    allowedDomains: [o.domain],
    allowSubdomains: true,
    allowIpSans: true,
    allowLocalhost: template === "server",
  });
  return {
    target: options.target,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    pki: {
      root: {
        mount: `${o.pkiMount}-root`,
        commonName: "Cassandra Root CA",
        ttl: o.rootTtl,
        urls: { crlDistribution: [...o.crlDistribution], ocspServers: [...o.ocspServers] },
      },
      intermediates: [
        {
          mount: o.pkiMount,
          commonName: "Cassandra Issuing CA",
          ttl: o.intermediateTtl,
          maxLeaseTtl: o.intermediateTtl,
          urls: { crlDistribution: [...o.crlDistribution], ocspServers: [...o.ocspServers] },
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
  return {
    ...rest,
    ...(useSeedNamespace !== false && seed.namespace !== undefined ? { namespace: seed.namespace } : {}),
    ...(e.pki ? { pkiMount: e.pki.mount_path, certTtl: e.pki.ttl } : {}),
    ...(e.pki?.roles.server ? { serverRole: e.pki.roles.server } : {}),
    ...(e.pki?.roles.client ? { clientRole: e.pki.roles.client } : {}),
    ...(e.kv ? { kvMount: e.kv.mount_path } : {}),
    ...(e.transit ? { transitMount: e.transit.mount_path, transitKey: e.transit.key_name } : {}),
    ...(e.database ? { databaseMount: e.database.mount_path } : {}),
    ...(seed.authentication.method === "approle" ? { appRoleMount: seed.authentication.mount_path } : {}),
  };
}

/** Props of {@link CassandraCertManagerStack}. */
export interface CassandraCertManagerStackProps extends Omit<VaultStackProps, "target"> {
  /** The validated estate (from `parseEstate(cassandraEstate(...))` or a YAML loader). */
  readonly estate: Estate;
}

/** A VaultStack holding the Cassandra certificate manager's estate; its parts are exposed for grants. */
export class CassandraCertManagerStack extends VaultStack {
  /** Build the stack from estate options. */
  public static fromOptions(
    scope: Construct,
    id: string,
    options: CassandraEstateOptions,
    props: Omit<CassandraCertManagerStackProps, "estate"> = {},
  ): CassandraCertManagerStack {
    return new CassandraCertManagerStack(scope, id, { ...props, estate: parseEstate(cassandraEstate(options)) });
  }

  /**
   * Build the stack from seed-style YAML. `${ENV}` references (runtime credentials) are only
   * reported, since synthesis does not need them.
   * @throws ModelValidationError with file, line and field for bad input.
   */
  public static fromSeedYaml(scope: Construct, id: string, yamlText: string, options: CassandraSeedOptions): CassandraCertManagerStack {
    const { load, ...rest } = options;
    const { config } = loadSeedConfig(yamlText, load);
    return CassandraCertManagerStack.fromOptions(scope, id, cassandraOptionsFromSeed(config, rest));
  }

  /** The estate the stack was built from. */
  public readonly estate: Estate;
  /** The root CA. */
  public readonly rootCa: IRootCa;
  /** The issuing CA. */
  public readonly issuingCa: IntermediateCa;
  /** Server-certificate role. */
  public readonly serverRole: PkiRole;
  /** Client-certificate role. */
  public readonly clientRole: PkiRole;
  /** KV v2 store. */
  public readonly kv: KvV2Store;
  /** Transit engine. */
  public readonly transit: TransitEngine;
  /** Cassandra database engine, unless left out. */
  public readonly database?: DatabaseSecrets;
  /** AppRole auth. */
  public readonly appRole: AppRoleAuth;
  /** The manager's policy. */
  public readonly managerPolicy: AclPolicy;

  constructor(scope: Construct, id: string, props: CassandraCertManagerStackProps) {
    super(scope, id, { ...props, target: props.estate.target });
    const estate = props.estate;
    const built = buildEstate(this, estate);
    const need = <T>(value: T | undefined, what: string): T => {
      if (value === undefined) throw new ModelValidationError([{ path: what, message: `the Cassandra estate needs ${what}` }]);
      return value;
    };
    const pki = need(estate.pki, "pki");
    const issuing = need(pki.intermediates[0], "pki.intermediates[0]");
    const roles = issuing.roles.map((r) => need(built.pkiRoles.get(r.name), `pki role ${r.name}`));
    this.estate = estate;
    this.rootCa = need(built.rootCa, "pki.root");
    this.issuingCa = need(built.intermediates.get(issuing.mount), "pki.intermediates[0]");
    this.serverRole = need(
      roles.find((r) => issuing.roles.find((s) => s.name === r.roleName)?.template === "server"),
      "a server role",
    );
    this.clientRole = need(
      roles.find((r) => issuing.roles.find((s) => s.name === r.roleName)?.template === "client"),
      "a client role",
    );
    this.kv = need([...built.kv.values()][0], "kv[0]");
    this.transit = need([...built.transit.values()][0], "transit[0]");
    this.database = [...built.database.values()][0];
    this.appRole = need(built.appRole, "auth.appRole");
    this.managerPolicy = need([...built.policies.values()][0], "policies[0]");
  }
}
