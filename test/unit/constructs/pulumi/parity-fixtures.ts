/**
 * The parity fixtures: for every construct (and both stacks, and the full estate) one builder
 * per engine, with the same props. Shared prop objects are defined once here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, TerraformResource, TerraformStack, Testing } from "cdktf";
import * as pulumi from "@pulumi/pulumi";
import * as C from "../../../../constructs/cdktf";
import * as P from "../../../../constructs/pulumi";
import { loadEstateYaml } from "../../../../model/estate-loader";
import { TargetServer } from "../../../../model/target";
import { CassandraCertManagerStack as CdktfCassandra } from "../../../../stacks/cassandra-cert-manager-stack";
import { TenantStack as CdktfTenants } from "../../../../stacks/tenant-stack";
import { buildEstate as cdktfBuildEstate } from "../../../../stacks/estate-constructs";
import { CassandraCertManagerStack as PulumiCassandra } from "../../../../stacks/pulumi/cassandra-cert-manager-stack";
import { TenantStack as PulumiTenants } from "../../../../stacks/pulumi/tenant-stack";
import { buildEstate as pulumiBuildEstate } from "../../../../stacks/pulumi/estate-components";
import { PkiHierarchyProps } from "../../../../model/kinds/pki";
import { DatabaseSecretsProps } from "../../../../model/kinds/database";
import { SshSecretsProps } from "../../../../model/kinds/ssh";
import { TransitEngineProps } from "../../../../model/kinds/transit";
import { recording } from "./pulumi-harness";

/** OpenBao 2.6.1. */
export const OPENBAO: TargetServer = { edition: "openbao", version: "2.6.1" };
/** Vault CE 1.21.4 (audit devices: OpenBao refuses them through the API). */
export const VAULT_CE: TargetServer = { edition: "vault-ce", version: "1.21.4" };
/** Vault Enterprise 1.21.4 (synthesis only). */
export const VAULT_ENTERPRISE: TargetServer = { edition: "vault-enterprise", version: "1.21.4" };

/** Fixture files. */
const FIXTURES = join(__dirname, "../../../fixtures/constructs");

/** Secret inputs used by the fixtures; the Pulumi config gets `${var.<name>}` for each. */
export const SECRET_VARIABLES = [
  "cassandra_pw",
  "pg_pw",
  "mysql_pw",
  "mongo_pw",
  "ldap_bindpass",
  "oidc_client_secret",
  "cassandra_admin_password",
  "postgres_password",
];

/** A CDKTF synthesis with each resource's construct path (`<type>.<logical id>` → path). */
export interface CdktfRendering {
  /** The synthesized stack. */
  readonly json: unknown;
  /** Stack id (construct paths start with it). */
  readonly stackId: string;
  /** Construct path of every resource. */
  readonly paths: ReadonlyMap<string, string>;
}

function rendering(stack: TerraformStack): CdktfRendering {
  const json: unknown = JSON.parse(Testing.synth(stack, true));
  const paths = new Map<string, string>();
  for (const c of stack.node.findAll()) {
    if (c instanceof TerraformResource) paths.set(`${c.terraformResourceType}.${c.friendlyUniqueId}`, c.node.path);
  }
  return { json, stackId: stack.node.id, paths };
}

/** One parity case. */
export interface ParityFixture {
  /** Fixture name (the construct or stack). */
  readonly name: string;
  /** Synthesize under CDKTF; returns the stack JSON and the stack id. */
  readonly cdktf: () => CdktfRendering;
  /** Build under Pulumi (mocks installed); returns the prefix of a stack's own children, if any. */
  readonly pulumi: () => string | undefined;
}

function cdktfStack(target: TargetServer, build: (stack: C.VaultStack) => void): () => CdktfRendering {
  return () => {
    const app: App = Testing.app();
    const stack = new C.VaultStack(app, "test", { target });
    build(stack);
    return rendering(stack);
  };
}

function pulumiStack(target: TargetServer, build: (stack: P.VaultStack, child: pulumi.ComponentResourceOptions) => void): () => undefined {
  return () => {
    const stack = new P.VaultStack("test", { target }, recording());
    build(stack, { parent: stack });
    return undefined;
  };
}

function synthStack(build: (app: App) => TerraformStack): () => CdktfRendering {
  return () => rendering(build(Testing.app()));
}

const ROOT = {
  mountPath: "pki-root",
  commonName: "Example Root CA",
  ttl: "87600h",
  organization: "Example",
  country: "DE",
  issuingCertificates: ["http://pki.example.com/ca"],
  crlDistribution: ["http://pki.example.com/crl"],
  crl: { expiry: "72h", autoRebuild: true },
};

const INTERMEDIATE = {
  mountPath: "pki",
  commonName: "Example Issuing CA",
  ttl: "43800h",
  maxLeaseTtl: "8760h",
  issuerName: "issuing-2026",
  ocspServers: ["http://ocsp.example.com"],
  crl: { expiry: "24h", enableDelta: true, autoRebuild: true, deltaRebuildInterval: "15m" },
};

const SERVER_ROLE = {
  roleName: "server-cert",
  template: "server" as const,
  ttl: "720h",
  allowedDomains: ["example.com"],
  allowSubdomains: true,
  allowIpSans: true,
  organization: ["Example"],
  ou: ["Ops"],
};

const SIGNING_ROLE = {
  roleName: "code-signing",
  template: "code-signing" as const,
  ttl: "24h",
  allowAnyName: true,
  keyType: "rsa" as const,
};

const HIERARCHY: PkiHierarchyProps = {
  root: { mountPath: "root", commonName: "Root", ttl: "87600h", keyType: "rsa" },
  intermediates: [
    { mountPath: "issuing-a", commonName: "A", ttl: "43800h", maxLeaseTtl: "8760h", roles: [SERVER_ROLE] },
    { mountPath: "issuing-b", commonName: "B", ttl: "43800h", maxLeaseTtl: "8760h", revokeOnDestroy: false, roles: [SIGNING_ROLE] },
  ],
};

const TRANSIT: TransitEngineProps = {
  mountPath: "transit",
  keys: [
    { name: "orders", autoRotatePeriod: "720h" },
    { name: "signing", type: "ed25519" },
    { name: "tmp", deletionAllowed: true, derived: true, convergentEncryption: true },
  ],
};

const SSH: SshSecretsProps = {
  mountPath: "ssh-client",
  maxLeaseTtl: "720h",
  roles: [
    {
      name: "deploy",
      certType: "user",
      allowedUsers: ["deploy", "ops"],
      defaultUser: "deploy",
      defaultExtensions: { "permit-pty": "" },
      ttl: "1h",
      maxTtl: "8h",
    },
    { name: "hosts", certType: "host", allowedDomains: ["example.internal"], allowSubdomains: true, ttl: "720h" },
  ],
};

const DATABASE: DatabaseSecretsProps = {
  maxLeaseTtl: "24h",
  connections: [
    {
      name: "cassandra",
      plugin: "cassandra",
      hosts: ["c2.example.com", "c1.example.com"],
      username: "vault_admin",
      passwordVariable: "cassandra_pw",
      tls: true,
    },
    {
      name: "pg",
      plugin: "postgresql",
      connectionUrl: "postgresql://{{username}}:{{password}}@pg:5432/app",
      username: "vault",
      passwordVariable: "pg_pw",
    },
    {
      name: "mysql",
      plugin: "mysql",
      connectionUrl: "{{username}}:{{password}}@tcp(mysql:3306)/",
      username: "vault",
      passwordVariable: "mysql_pw",
      passwordVersion: 2,
    },
    {
      name: "mongo",
      plugin: "mongodb",
      connectionUrl: "mongodb://{{username}}:{{password}}@mongo:27017/admin",
      username: "vault",
      passwordVariable: "mongo_pw",
    },
  ],
  roles: [
    {
      name: "cassandra-app",
      connection: "cassandra",
      creationStatements: ["CREATE USER '{{username}}' WITH PASSWORD '{{password}}' NOSUPERUSER;"],
    },
    {
      name: "reporting",
      connection: "pg",
      creationStatements: ["CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}';"],
      defaultTtl: "30m",
      maxTtl: "2h",
    },
  ],
};

const TUNE = { defaultLeaseTtl: "1h", maxLeaseTtl: "24h", tokenType: "default-batch" as const };

const LDAP = {
  url: "ldaps://ldap.example.com",
  userdn: "ou=people,dc=example,dc=com",
  userattr: "uid",
  groupdn: "ou=groups,dc=example,dc=com",
  binddn: "cn=vault,dc=example,dc=com",
  bindpassVariable: "ldap_bindpass",
  starttls: false,
  tune: { listingVisibility: "unauth" as const },
};

const JWT = {
  type: "oidc" as const,
  oidcDiscoveryUrl: "https://sso.example.com",
  oidcClientId: "vault",
  oidcClientSecretVariable: "oidc_client_secret",
  defaultRole: "people",
  tune: TUNE,
};

const JWT_ROLE = {
  name: "people",
  userClaim: "email",
  boundAudiences: ["vault"],
  boundClaims: { groups: "ops", "https://example.com/tenant": "a" },
  groupsClaim: "groups",
  allowedRedirectUris: ["https://vault.example.com/ui/vault/auth/oidc/oidc/callback"],
  oidcScopes: ["profile", "email"],
  tokenTtl: "1h",
};

const CERT_PEM =
  "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBCwUAMA0xCzAJBgNVBAYTAkRF\n-----END CERTIFICATE-----\n";

const TENANTS = [{ name: "acme", transitKeys: ["orders"], requestsPerSecond: 50 }, { name: "globex" }];

const FULL_ESTATE = (): ReturnType<typeof loadEstateYaml> =>
  loadEstateYaml(readFileSync(join(FIXTURES, "full-estate.yaml"), "utf8"), { env: {} });

const SEED = (): string => readFileSync(join(FIXTURES, "seed-vault-integration.yaml"), "utf8");

/** Every parity case. */
export const PARITY_FIXTURES: readonly ParityFixture[] = [
  {
    name: "AclPolicy",
    cdktf: cdktfStack(OPENBAO, (s) => {
      new C.AclPolicy(s, "app", { policyName: "app", rules: [{ path: "secret/data/app/*", capabilities: ["read"] }] })
        .allow("sys/health", ["read"])
        .deny("secret/data/admin/*");
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      new P.AclPolicy("app", { policyName: "app", rules: [{ path: "secret/data/app/*", capabilities: ["read"] }] }, o)
        .allow("sys/health", ["read"])
        .deny("secret/data/admin/*");
    }),
  },
  {
    name: "RootCa",
    cdktf: cdktfStack(OPENBAO, (s) => {
      new C.RootCa(s, "root", ROOT);
      new C.RootCa(s, "scratch", {
        mountPath: "scratch",
        commonName: "Scratch",
        ttl: "1h",
        protect: false,
        exportKey: true,
        keyType: "rsa",
        altNames: ["ca.example.com", "10.0.0.1"],
      });
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      new P.RootCa("root", ROOT, o);
      new P.RootCa(
        "scratch",
        {
          mountPath: "scratch",
          commonName: "Scratch",
          ttl: "1h",
          protect: false,
          exportKey: true,
          keyType: "rsa",
          altNames: ["ca.example.com", "10.0.0.1"],
        },
        o,
      );
    }),
  },
  {
    name: "IntermediateCa",
    cdktf: cdktfStack(OPENBAO, (s) => {
      new C.IntermediateCa(s, "issuing", { ...INTERMEDIATE, root: new C.RootCa(s, "root", ROOT) });
      new C.IntermediateCa(s, "external", {
        ...INTERMEDIATE,
        mountPath: "pki-ext",
        root: C.RootCa.fromMountPath(s, "existing", { mountPath: "offline-root", issuerRef: "root-2024", ttl: "87600h" }),
      });
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      new P.IntermediateCa("issuing", { ...INTERMEDIATE, root: new P.RootCa("root", ROOT, o) }, o);
      new P.IntermediateCa(
        "external",
        {
          ...INTERMEDIATE,
          mountPath: "pki-ext",
          root: P.RootCa.fromMountPath("existing", { mountPath: "offline-root", issuerRef: "root-2024", ttl: "87600h" }),
        },
        o,
      );
    }),
  },
  {
    name: "PkiRole",
    cdktf: cdktfStack(OPENBAO, (s) => {
      const ca = new C.IntermediateCa(s, "issuing", { ...INTERMEDIATE, root: new C.RootCa(s, "root", ROOT) });
      const policy = new C.AclPolicy(s, "issuer", { policyName: "issuer" });
      const server = ca.addRole("server", SERVER_ROLE);
      server.grantIssue(policy);
      server.grantRevoke(policy);
      new C.PkiRole(s, "signing", { ...SIGNING_ROLE, issuer: ca }).grantSign(policy);
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      const ca = new P.IntermediateCa("issuing", { ...INTERMEDIATE, root: new P.RootCa("root", ROOT, o) }, o);
      const policy = new P.AclPolicy("issuer", { policyName: "issuer" }, o);
      const server = ca.addRole("server", SERVER_ROLE);
      server.grantIssue(policy);
      server.grantRevoke(policy);
      new P.PkiRole("signing", { ...SIGNING_ROLE, issuer: ca }, o).grantSign(policy);
    }),
  },
  {
    name: "PkiHierarchy",
    cdktf: cdktfStack(OPENBAO, (s) => void new C.PkiHierarchy(s, "pki", HIERARCHY)),
    pulumi: pulumiStack(OPENBAO, (_, o) => void new P.PkiHierarchy("pki", HIERARCHY, o)),
  },
  {
    name: "KvV2Store",
    cdktf: cdktfStack(OPENBAO, (s) => {
      const kv = new C.KvV2Store(s, "kv", {
        mountPath: "apps",
        description: "app secrets",
        maxVersions: 5,
        casRequired: true,
        deleteVersionAfter: "720h",
      });
      const p = new C.AclPolicy(s, "p", { policyName: "p" });
      kv.grantReadWrite(p, "team-a/*");
      kv.grantDelete(p);
      kv.grantDestroy(p);
      kv.grantList(p);
      C.KvV2Store.fromMountPath(s, "legacy", "/legacy/").grantRead(p);
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      const kv = new P.KvV2Store(
        "kv",
        { mountPath: "apps", description: "app secrets", maxVersions: 5, casRequired: true, deleteVersionAfter: "720h" },
        o,
      );
      const p = new P.AclPolicy("p", { policyName: "p" }, o);
      kv.grantReadWrite(p, "team-a/*");
      kv.grantDelete(p);
      kv.grantDestroy(p);
      kv.grantList(p);
      P.KvV2Store.fromMountPath("/legacy/").grantRead(p);
    }),
  },
  {
    name: "TransitEngine",
    cdktf: cdktfStack(OPENBAO, (s) => {
      const t = new C.TransitEngine(s, "transit", TRANSIT);
      const p = new C.AclPolicy(s, "p", { policyName: "p" });
      t.grantEncryptDecrypt(p, "orders");
      t.grantSign(p, "signing");
      t.grantVerify(p, "signing");
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      const t = new P.TransitEngine("transit", TRANSIT, o);
      const p = new P.AclPolicy("p", { policyName: "p" }, o);
      t.grantEncryptDecrypt(p, "orders");
      t.grantSign(p, "signing");
      t.grantVerify(p, "signing");
    }),
  },
  {
    name: "DatabaseSecrets",
    cdktf: cdktfStack(OPENBAO, (s) => {
      const db = new C.DatabaseSecrets(s, "db", DATABASE);
      db.grantCredentials(new C.AclPolicy(s, "p", { policyName: "p" }), "reporting");
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      const db = new P.DatabaseSecrets("db", DATABASE, o);
      db.grantCredentials(new P.AclPolicy("p", { policyName: "p" }, o), "reporting");
    }),
  },
  {
    name: "SshSecrets",
    cdktf: cdktfStack(OPENBAO, (s) => {
      const ssh = new C.SshSecrets(s, "ssh", SSH);
      ssh.grantSign(new C.AclPolicy(s, "p", { policyName: "p" }), "deploy");
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      const ssh = new P.SshSecrets("ssh", SSH, o);
      ssh.grantSign(new P.AclPolicy("p", { policyName: "p" }, o), "deploy");
    }),
  },
  {
    name: "AppRoleAuth",
    cdktf: cdktfStack(OPENBAO, (s) => {
      const reader = new C.AclPolicy(s, "reader", { policyName: "reader", rules: [{ path: "secret/data/*", capabilities: ["read"] }] });
      const deployer = new C.AclPolicy(s, "deployer", { policyName: "deployer" });
      const auth = new C.AppRoleAuth(s, "approle", {
        path: "machines",
        tune: TUNE,
        roles: [
          {
            name: "app",
            policies: [reader, "default-extra"],
            tokenTtl: "1h",
            tokenMaxTtl: "4h",
            secretIdTtl: "24h",
            secretIdNumUses: 3,
            tokenBoundCidrs: ["10.0.0.0/8"],
          },
        ],
      });
      auth.grantReadRoleId(deployer, "app");
      auth.grantCreateSecretId(deployer, "app");
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      const reader = new P.AclPolicy("reader", { policyName: "reader", rules: [{ path: "secret/data/*", capabilities: ["read"] }] }, o);
      const deployer = new P.AclPolicy("deployer", { policyName: "deployer" }, o);
      const auth = new P.AppRoleAuth(
        "approle",
        {
          path: "machines",
          tune: TUNE,
          roles: [
            {
              name: "app",
              policies: [reader, "default-extra"],
              tokenTtl: "1h",
              tokenMaxTtl: "4h",
              secretIdTtl: "24h",
              secretIdNumUses: 3,
              tokenBoundCidrs: ["10.0.0.0/8"],
            },
          ],
        },
        o,
      );
      auth.grantReadRoleId(deployer, "app");
      auth.grantCreateSecretId(deployer, "app");
    }),
  },
  {
    name: "KubernetesAuth",
    cdktf: cdktfStack(OPENBAO, (s) => {
      new C.KubernetesAuth(s, "k8s", {
        kubernetesHost: "https://kubernetes.default.svc",
        kubernetesCaCert: CERT_PEM,
        issuer: "https://kubernetes.default.svc.cluster.local",
        roles: [
          {
            name: "web",
            serviceAccountNames: ["web"],
            serviceAccountNamespaces: ["prod", "staging"],
            audience: "vault",
            policies: ["web"],
            tokenPeriod: "1h",
          },
        ],
      });
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      new P.KubernetesAuth(
        "k8s",
        {
          kubernetesHost: "https://kubernetes.default.svc",
          kubernetesCaCert: CERT_PEM,
          issuer: "https://kubernetes.default.svc.cluster.local",
          roles: [
            {
              name: "web",
              serviceAccountNames: ["web"],
              serviceAccountNamespaces: ["prod", "staging"],
              audience: "vault",
              policies: ["web"],
              tokenPeriod: "1h",
            },
          ],
        },
        o,
      );
    }),
  },
  {
    name: "LdapAuth",
    cdktf: cdktfStack(OPENBAO, (s) => {
      const ops = new C.AclPolicy(s, "ops", { policyName: "ops", rules: [{ path: "sys/*", capabilities: ["read"] }] });
      new C.LdapAuth(s, "ldap", { ...LDAP, groups: [{ name: "ops", policies: [ops, "audit"] }] });
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      const ops = new P.AclPolicy("ops", { policyName: "ops", rules: [{ path: "sys/*", capabilities: ["read"] }] }, o);
      new P.LdapAuth("ldap", { ...LDAP, groups: [{ name: "ops", policies: [ops, "audit"] }] }, o);
    }),
  },
  {
    name: "JwtOidcAuth",
    cdktf: cdktfStack(OPENBAO, (s) => {
      new C.JwtOidcAuth(s, "sso", { ...JWT, roles: [JWT_ROLE] });
      new C.JwtOidcAuth(s, "ci", {
        jwksUrl: "https://ci.example.com/jwks",
        boundIssuer: "https://ci.example.com",
        roles: [{ name: "deploy", userClaim: "sub", boundSubject: "repo:x" }],
      });
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      new P.JwtOidcAuth("sso", { ...JWT, roles: [JWT_ROLE] }, o);
      new P.JwtOidcAuth(
        "ci",
        {
          jwksUrl: "https://ci.example.com/jwks",
          boundIssuer: "https://ci.example.com",
          roles: [{ name: "deploy", userClaim: "sub", boundSubject: "repo:x" }],
        },
        o,
      );
    }),
  },
  {
    name: "CertAuth",
    cdktf: cdktfStack(OPENBAO, (s) => {
      new C.CertAuth(s, "cert", {
        roles: [
          {
            name: "nodes",
            certificate: CERT_PEM,
            allowedCommonNames: ["*.example.com"],
            allowedDnsSans: ["node-*.example.com"],
            policies: ["nodes"],
          },
        ],
      });
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      new P.CertAuth(
        "cert",
        {
          roles: [
            {
              name: "nodes",
              certificate: CERT_PEM,
              allowedCommonNames: ["*.example.com"],
              allowedDnsSans: ["node-*.example.com"],
              policies: ["nodes"],
            },
          ],
        },
        o,
      );
    }),
  },
  {
    name: "SentinelPolicy",
    cdktf: cdktfStack(VAULT_ENTERPRISE, (s) => {
      new C.SentinelPolicy(s, "hours", {
        policyName: "business-hours",
        kind: "egp",
        paths: ["secret/*", "kv/data/x"],
        enforcementLevel: "soft-mandatory",
        policy: "main = rule { true }",
      });
      new C.SentinelPolicy(s, "mfa", {
        policyName: "require-mfa",
        kind: "rgp",
        enforcementLevel: "hard-mandatory",
        policy: "main = rule { true }",
      });
    }),
    pulumi: pulumiStack(VAULT_ENTERPRISE, (_, o) => {
      new P.SentinelPolicy(
        "hours",
        {
          policyName: "business-hours",
          kind: "egp",
          paths: ["secret/*", "kv/data/x"],
          enforcementLevel: "soft-mandatory",
          policy: "main = rule { true }",
        },
        o,
      );
      new P.SentinelPolicy(
        "mfa",
        { policyName: "require-mfa", kind: "rgp", enforcementLevel: "hard-mandatory", policy: "main = rule { true }" },
        o,
      );
    }),
  },
  {
    name: "Namespace",
    cdktf: cdktfStack(OPENBAO, (s) => {
      const tenant = new C.Namespace(s, "tenant-a", { path: "tenant-a", customMetadata: { owner: "team-a" } });
      const team = new C.Namespace(tenant, "team-1", { path: "team-1" });
      new C.KvV2Store(team, "kv");
    }),
    pulumi: pulumiStack(OPENBAO, (_, o) => {
      const tenant = new P.Namespace("tenant-a", { path: "tenant-a", customMetadata: { owner: "team-a" } }, o);
      const team = new P.Namespace("tenant-a-team-1", { path: "team-1" }, { parent: tenant });
      new P.KvV2Store("tenant-a-team-1-kv", {}, { parent: team });
    }),
  },
  {
    name: "RateLimitQuota and LeaseCountQuota",
    cdktf: cdktfStack(VAULT_ENTERPRISE, (s) => {
      new C.RateLimitQuota(s, "global", { quotaName: "global", rate: 500, interval: "1s", blockInterval: "1m" });
      new C.LeaseCountQuota(s, "db", { quotaName: "db-leases", path: "database/", maxLeases: 1000, inheritable: true });
    }),
    pulumi: pulumiStack(VAULT_ENTERPRISE, (_, o) => {
      new P.RateLimitQuota("global", { quotaName: "global", rate: 500, interval: "1s", blockInterval: "1m" }, o);
      new P.LeaseCountQuota("db", { quotaName: "db-leases", path: "database/", maxLeases: 1000, inheritable: true }, o);
    }),
  },
  {
    name: "FileAuditDevice and SocketAuditDevice",
    cdktf: cdktfStack(VAULT_CE, (s) => {
      new C.FileAuditDevice(s, "file", { filePath: "/var/log/vault/audit.log", mode: "0600" });
      new C.SocketAuditDevice(s, "siem", {
        path: "siem",
        address: "siem.example.com:9090",
        socketType: "tcp",
        writeTimeout: "5s",
        local: true,
      });
    }),
    pulumi: pulumiStack(VAULT_CE, (_, o) => {
      new P.FileAuditDevice("file", { filePath: "/var/log/vault/audit.log", mode: "0600" }, o);
      new P.SocketAuditDevice(
        "siem",
        { path: "siem", address: "siem.example.com:9090", socketType: "tcp", writeTimeout: "5s", local: true },
        o,
      );
    }),
  },
  {
    name: "CassandraCertManagerStack.fromOptions",
    cdktf: synthStack((app) => CdktfCassandra.fromOptions(app, "cassandra", { target: OPENBAO })),
    pulumi: () => {
      PulumiCassandra.fromOptions("cassandra", { target: OPENBAO }, {}, recording());
      return "cassandra";
    },
  },
  {
    name: "CassandraCertManagerStack.fromSeedYaml (namespace, no database)",
    cdktf: synthStack((app) => CdktfCassandra.fromSeedYaml(app, "seed", SEED(), { target: OPENBAO, cassandraHosts: [] })),
    pulumi: () => {
      PulumiCassandra.fromSeedYaml("seed", SEED(), { target: OPENBAO, cassandraHosts: [] }, recording());
      return "seed";
    },
  },
  {
    name: "TenantStack",
    cdktf: synthStack((app) => new CdktfTenants(app, "tenants", { target: OPENBAO, tenants: TENANTS })),
    pulumi: () => {
      new PulumiTenants("tenants", { target: OPENBAO, tenants: TENANTS }, recording());
      return "tenants";
    },
  },
  {
    name: "full estate (every resource type) through buildEstate",
    cdktf: synthStack((app) => {
      const estate = FULL_ESTATE();
      const stack = new C.VaultStack(app, "estate", { target: estate.target });
      cdktfBuildEstate(stack, estate);
      return stack;
    }),
    pulumi: () => {
      const estate = FULL_ESTATE();
      pulumiBuildEstate(new P.VaultStack("estate", { target: estate.target }, recording()), estate);
      return "estate";
    },
  },
];
