import { ModelValidationError } from "../../../model/errors";
import { checkKubernetes } from "../../../model/kinds/auth/kubernetes";
import {
  canonicalizePki,
  checkPkiRole,
  defaultKeyBits,
  splitAltNames,
  PkiRoleSpec,
  PkiSpec,
  pkiRoleSchema,
  pkiSchema,
} from "../../../model/kinds/pki";
import { checkTransitKey, transitKeySchema } from "../../../model/kinds/transit";
import { parseEstate } from "../../../model/rules";
import { locateIssues, unsetEnvIssues } from "../../../model/validation";
import { EstateInput } from "../../../model/schema";
import { patched, pkiEstate } from "./estate-fixtures";

function issuesOf(input: EstateInput): { path: string; message: string }[] {
  try {
    parseEstate(input);
  } catch (e) {
    if (e instanceof ModelValidationError) return e.issues.map((i) => ({ path: i.path, message: i.message }));
    throw e;
  }
  throw new Error("expected a ModelValidationError");
}

describe("estate cross-field rules", () => {
  it("accepts the base estate and fills canonical defaults", () => {
    const e = parseEstate(pkiEstate());
    expect(e.pki?.root.ttl).toBe(315_360_000);
    expect(e.pki?.root.maxLeaseTtl).toBe(315_360_000); // defaults to the longest certificate under it
    expect(e.pki?.root.keyBits).toBe(256);
    expect(e.pki?.root.protect).toBe(true);
    expect(e.pki?.root.exportKey).toBe(false);
    expect(e.pki?.intermediates[0].roles[0].ttl).toBe(2_592_000);
  });

  it("intermediate TTL must not exceed the root TTL", () => {
    const input = patched([[["pki", "intermediates", 0, "ttl"], "90000h"]]);
    expect(issuesOf(input)).toContainEqual({
      path: "pki.intermediates[0].ttl",
      message: "intermediate TTL 324000000s (90000h) exceeds the root TTL 315360000s (87600h)",
    });
  });

  it("root mount max TTL must cover the root certificate and the intermediates it signs", () => {
    const input = patched([[["pki", "root", "maxLeaseTtl"], "768h"]]);
    const issues = issuesOf(input);
    expect(issues).toContainEqual(
      expect.objectContaining({ path: "pki.root.maxLeaseTtl", message: expect.stringMatching(/below the root certificate TTL/) }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ path: "pki.intermediates[0].ttl", message: expect.stringMatching(/root mount's max TTL/) }),
    );
  });

  it("role TTL and max TTL must fit the mount max TTL and the CA lifetime", () => {
    expect(issuesOf(patched([[["pki", "intermediates", 0, "roles", 0, "ttl"], "9000h"]]))).toContainEqual({
      path: "pki.intermediates[0].roles[0].ttl",
      message: 'role TTL 32400000s (9000h) exceeds the mount max TTL 31536000s (8760h) of "pki"',
    });
    expect(issuesOf(patched([[["pki", "intermediates", 0, "roles", 0, "maxTtl"], "9000h"]]))).toContainEqual(
      expect.objectContaining({
        path: "pki.intermediates[0].roles[0].maxTtl",
        message: expect.stringMatching(/max TTL .* exceeds the mount max TTL/),
      }),
    );
    expect(issuesOf(patched([[["pki", "intermediates", 0, "roles", 0, "maxTtl"], "1h"]]))).toContainEqual(
      expect.objectContaining({ path: "pki.intermediates[0].roles[0].ttl", message: expect.stringMatching(/exceeds the role max TTL/) }),
    );
    const outlive = patched([
      [["pki", "intermediates", 0, "ttl"], "100h"],
      [["pki", "intermediates", 0, "roles", 0, "ttl"], "720h"],
    ]);
    expect(issuesOf(outlive)).toContainEqual(
      expect.objectContaining({ path: "pki.intermediates[0].roles[0].ttl", message: expect.stringMatching(/outlive their issuing CA/) }),
    );
  });

  it("a role must allow some names", () => {
    const input = patched([[["pki", "intermediates", 0, "roles", 0, "allowedDomains"], []]]);
    expect(issuesOf(input)).toContainEqual(expect.objectContaining({ path: "pki.intermediates[0].roles[0].allowedDomains" }));
  });

  it("key sizes must match the key type", () => {
    const input = patched([[["pki", "root", "keyBits"], 2048]]);
    expect(issuesOf(input)).toContainEqual({
      path: "pki.root.keyBits",
      message: 'keyBits 2048 is not valid for keyType "ec" (allowed: 224, 256, 384, 521)',
    });
    const rsa = parseEstate(patched([[["pki", "root", "keyType"], "rsa"]]));
    expect(rsa.pki?.root.keyBits).toBe(4096);
  });

  it("a generated root needs a common name and a TTL", () => {
    const input = patched([
      [["pki", "root", "commonName"], undefined],
      [["pki", "root", "ttl"], undefined],
    ]);
    const paths = issuesOf(input).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["pki.root.commonName", "pki.root.ttl"]));
  });

  it("rejects unknown keys at any depth, naming each", () => {
    const input = patched([
      [["bogus"], 1],
      [["pki", "intermediates", 0, "roles", 0, "ttll"], "1h"],
    ]);
    expect(issuesOf(input)).toEqual(
      expect.arrayContaining([
        { path: "bogus", message: 'unknown key "bogus"' },
        { path: "pki.intermediates[0].roles[0].ttll", message: 'unknown key "ttll"' },
      ]),
    );
  });

  it("rejects a bad duration with its path", () => {
    const input = patched([[["pki", "intermediates", 0, "ttl"], "10x"]]);
    expect(issuesOf(input)).toContainEqual({ path: "pki.intermediates[0].ttl", message: expect.stringMatching(/^invalid duration "10x"/) });
  });

  it("policy names must be lower-case", () => {
    const input: EstateInput = { ...pkiEstate(), policies: [{ name: "App-Read", rules: [{ path: "secret/*", capabilities: ["read"] }] }] };
    expect(issuesOf(input)).toContainEqual({
      path: "policies[0].name",
      message: "policy names must be lower-case (Vault lower-cases them silently)",
    });
  });

  it("alt names are split into DNS and IP SANs; anything else is refused", () => {
    expect(splitAltNames(["cassandra-node-1", "10.0.1.100", "::1", "*.example.com", "cassandra-node-1"])).toEqual({
      dns: ["cassandra-node-1", "*.example.com"],
      ip: ["10.0.1.100", "::1"],
    });
    expect(() => splitAltNames(["ok.example.com", "not a name"], "root.altNames")).toThrow(
      'root.altNames[1]: "not a name" is neither a DNS name nor an IP address',
    );
    const input = patched([[["pki", "intermediates", 0, "altNames"], ["bad name!"]]]);
    expect(issuesOf(input)).toContainEqual(expect.objectContaining({ path: "pki.intermediates[0].altNames[0]" }));
  });

  it("transit key rules", () => {
    const key = (k: object) => checkTransitKey(transitKeySchema.parse({ name: "k", ...k }));
    expect(key({ convergentEncryption: true })).toContainEqual({
      path: ["convergentEncryption"],
      message: "convergent encryption requires derived: true",
    });
    expect(key({ type: "ed25519", derived: true, convergentEncryption: true })).toContainEqual(
      expect.objectContaining({ message: "convergent encryption is not supported for key type ed25519" }),
    );
    expect(key({ type: "ecdsa-p384", derived: true })).toContainEqual(expect.objectContaining({ path: ["derived"] }));
    expect(key({ autoRotatePeriod: "30m" })).toContainEqual(expect.objectContaining({ path: ["autoRotatePeriod"] }));
    expect(key({ type: "chacha20-poly1305", derived: true, convergentEncryption: true, autoRotatePeriod: "24h" })).toEqual([]);
    expect(key({ type: "ed25519", derived: true })).toEqual([]);
  });

  it("database rules", () => {
    const db = (d: object): EstateInput =>
      ({ target: { edition: "vault-ce", version: "1.21.4" }, database: [{ mount: "database", ...d }] }) as unknown as EstateInput;
    const conn = {
      name: "pg",
      plugin: "postgresql",
      connectionUrl: "postgresql://{{username}}:{{password}}@db/app",
      username: "vault",
      password: { variable: "pg_pw" },
    };
    const role = { name: "app", connection: "pg", creationStatements: ["CREATE ROLE"] };
    expect(() => parseEstate(db({ connections: [conn], roles: [role] }))).not.toThrow();
    expect(issuesOf(db({ connections: [{ ...conn, connectionUrl: "postgresql://vault:hunter2@db/app" }] }))).toContainEqual(
      expect.objectContaining({ path: "database[0].connections[0].connectionUrl", message: expect.stringMatching(/templates/) }),
    );
    expect(issuesOf(db({ connections: [{ ...conn, plugin: "cassandra", connectionUrl: undefined }] }))).toContainEqual(
      expect.objectContaining({ path: "database[0].connections[0].hosts" }),
    );
    expect(issuesOf(db({ connections: [conn], roles: [{ ...role, connection: "nope" }] }))).toContainEqual({
      path: "database[0].roles[0].connection",
      message: 'unknown connection "nope"',
    });
    expect(issuesOf(db({ connections: [{ ...conn, allowedRoles: ["other"] }], roles: [role] }))).toContainEqual(
      expect.objectContaining({ path: "database[0].roles[0].name" }),
    );
    expect(issuesOf(db({ connections: [conn], roles: [{ ...role, defaultTtl: "2d", maxTtl: "1d" }] }))).toContainEqual(
      expect.objectContaining({ path: "database[0].roles[0].defaultTtl" }),
    );
    expect(issuesOf(db({ maxLeaseTtl: "1h", connections: [conn], roles: [role] }))).toContainEqual(
      expect.objectContaining({ path: "database[0].roles[0].maxTtl" }),
    );
    expect(issuesOf(db({ connections: [{ ...conn, password: "hunter2" }] }))).toContainEqual(
      expect.objectContaining({ path: "database[0].connections[0].password" }),
    );
    const cassandra = { name: "c", plugin: "cassandra", hosts: ["c1"], username: "vault", password: { variable: "c_pw" } };
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    expect(() => parseEstate(db({ connections: [{ ...cassandra, tls: true, caCert: pem, protocolVersion: 4 }] }))).not.toThrow();
    expect(issuesOf(db({ connections: [{ ...cassandra, caCert: pem }] }))).toContainEqual({
      path: "database[0].connections[0].caCert",
      message: "caCert and insecureTls need tls: true",
    });
    expect(issuesOf(db({ connections: [{ ...cassandra, protocolVersion: 1 }] }))).toContainEqual(
      expect.objectContaining({ path: "database[0].connections[0].protocolVersion" }),
    );
    expect(issuesOf(db({ connections: [{ ...conn, protocolVersion: 4 }] }))).toContainEqual({
      path: "database[0].connections[0].protocolVersion",
      message: "protocolVersion is for cassandra; postgresql takes it in the connectionUrl",
    });
  });

  it("auth rules: token TTLs, JWT key source, OIDC redirect URIs", () => {
    const base: EstateInput = { target: { edition: "vault-ce", version: "1.21.4" } };
    expect(issuesOf({ ...base, auth: { appRole: { roles: [{ name: "a", tokenTtl: "2h", tokenMaxTtl: "1h" }] } } })).toContainEqual(
      expect.objectContaining({ path: "auth.appRole.roles[0].tokenTtl" }),
    );
    expect(issuesOf({ ...base, auth: { jwt: { roles: [] } } })).toContainEqual({
      path: "auth.jwt",
      message: "set exactly one of oidcDiscoveryUrl, jwksUrl, jwtValidationPubkeys",
    });
    const oidc = {
      type: "oidc" as const,
      oidcDiscoveryUrl: "https://idp.example.com",
      oidcClientId: "vault",
      roles: [{ name: "r", userClaim: "sub" }],
    };
    expect(issuesOf({ ...base, auth: { jwt: oidc } })).toContainEqual(
      expect.objectContaining({ path: "auth.jwt.roles[0].allowedRedirectUris" }),
    );
  });

  it("mount paths, auth paths and policy names are unique; RGPs share names with ACL policies", () => {
    const input: EstateInput = {
      target: { edition: "vault-enterprise", version: "1.21.4" },
      kv: [{ mount: "secret" }, { mount: "/secret/" }],
      policies: [{ name: "ops", rules: [{ path: "sys/*", capabilities: ["read"] }] }],
      sentinelPolicies: [{ name: "ops", kind: "rgp", enforcementLevel: "hard-mandatory", policy: "main = rule { true }" }],
    };
    expect(issuesOf(input)).toEqual(
      expect.arrayContaining([
        { path: "kv[1].mount", message: 'mount path "secret" is used twice' },
        { path: "sentinelPolicies[0].name", message: 'policy name "ops" is used twice' },
      ]),
    );
  });

  it("EGPs need paths, RGPs must not have them", () => {
    const input: EstateInput = {
      target: { edition: "vault-enterprise", version: "1.21.4" },
      sentinelPolicies: [
        { name: "e", kind: "egp", enforcementLevel: "advisory", policy: "main = rule { true }" },
        { name: "r", kind: "rgp", paths: ["secret/*"], enforcementLevel: "advisory", policy: "main = rule { true }" },
      ],
    };
    expect(issuesOf(input).map((i) => i.path)).toEqual(["sentinelPolicies[0].paths", "sentinelPolicies[1].paths"]);
  });

  it("namespaces: parents first, no duplicates", () => {
    const input: EstateInput = {
      target: { edition: "openbao", version: "2.6.1" },
      namespaces: [{ path: "team", parent: "tenant" }, { path: "tenant" }, { path: "tenant" }],
    };
    expect(issuesOf(input)).toEqual([
      { path: "namespaces[0].parent", message: 'parent namespace "tenant" must be declared before "tenant/team"' },
      { path: "namespaces[2].path", message: 'namespace "tenant" is declared twice' },
    ]);
  });

  it("refuses features the target lacks, naming feature and target", () => {
    const ce = { edition: "vault-ce", version: "1.21.4" } as const;
    expect(issuesOf({ target: ce, namespaces: [{ path: "a" }] })).toEqual([
      { path: "namespaces", message: "namespaces are not available on the target Vault CE 1.21.4" },
    ]);
    expect(issuesOf({ target: ce, namespace: "a" })).toEqual([
      { path: "namespace", message: "namespaces are not available on the target Vault CE 1.21.4" },
    ]);
    expect(issuesOf({ target: { edition: "openbao", version: "2.6.1" }, leaseCountQuotas: [{ name: "q", maxLeases: 10 }] })).toEqual([
      { path: "leaseCountQuotas", message: "lease-count-quotas are not available on the target OpenBao 2.6.1" },
    ]);
    expect(
      issuesOf({
        target: ce,
        sentinelPolicies: [{ name: "e", kind: "egp", paths: ["*"], enforcementLevel: "advisory", policy: "main = rule { true }" }],
      }),
    ).toEqual([{ path: "sentinelPolicies", message: "sentinel-policies are not available on the target Vault CE 1.21.4" }]);
    expect(issuesOf({ target: { edition: "openbao", version: "2.6.1" }, audit: [{ type: "file", filePath: "/x" }] })).toEqual([
      {
        path: "audit",
        message:
          'api-audit-devices are not available on the target OpenBao 2.6.1: OpenBao refuses audit devices created through the API; declare them in the server configuration (audit "file" "<path>" { ... }) instead',
      },
    ]);
    expect(() =>
      parseEstate({
        target: { edition: "vault-enterprise", version: "1.21.4" },
        namespaces: [{ path: "a" }],
        leaseCountQuotas: [{ name: "q", maxLeases: 5 }],
      }),
    ).not.toThrow();
  });

  it("reports every problem at once", () => {
    const input = patched([
      [["pki", "intermediates", 0, "ttl"], "90000h"],
      [["pki", "root", "keyBits"], 1],
    ]);
    expect(issuesOf(input).length).toBeGreaterThanOrEqual(2);
  });
});

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const ENTERPRISE = { edition: "vault-enterprise", version: "1.21.4" } as const;
const PG = {
  name: "pg",
  plugin: "postgresql",
  connectionUrl: "postgresql://{{username}}:{{password}}@db/app",
  username: "vault",
  password: { variable: "pg_pw" },
} as const;
const CASSANDRA = { name: "c", plugin: "cassandra" as const, hosts: ["c1"], username: "vault", password: { variable: "c_pw" } };

/**
 * An estate that sits on every boundary a rule draws and still passes: equal TTLs where only a
 * larger one is wrong, a code-signing role without names, an EGP named like an ACL policy, etc.
 */
function boundaryEstate(): EstateInput {
  return {
    target: ENTERPRISE,
    namespace: "team",
    createNamespace: true,
    pki: {
      root: {
        mount: "pki-root",
        commonName: "Root",
        ttl: "87600h",
        maxLeaseTtl: "87600h",
        altNames: [
          "root.example.com",
          "*.example.com",
          "a",
          "x.y",
          "cassandra.node.local",
          `${"l".repeat(63)}.example.com`,
          "10.0.0.1",
          "::1",
        ],
      },
      intermediates: [
        {
          mount: "pki",
          commonName: "Issuing",
          ttl: "87600h",
          maxLeaseTtl: "8760h",
          keyType: "rsa",
          keyBits: 2048,
          roles: [
            { name: "server", template: "server", ttl: "8760h", maxTtl: "8760h", allowedDomains: ["example.com"] },
            { name: "long-max", template: "server", ttl: "1h", maxTtl: "8760h", allowedDomains: ["example.com"] },
            { name: "signing", template: "code-signing", ttl: "1h" },
            { name: "local", template: "client", ttl: "1h", allowLocalhost: true, keyType: "any", keyBits: 2048 },
            { name: "any-name", template: "client", ttl: "1h", allowAnyName: true, keyType: "ed25519", keyBits: 0 },
          ],
        },
        {
          mount: "pki-short",
          commonName: "Short",
          ttl: "720h",
          maxLeaseTtl: "720h",
          roles: [{ name: "server", template: "server", ttl: "720h", allowedDomains: ["example.com"] }],
        },
      ],
    },
    kv: [{ mount: "secret" }],
    transit: [
      {
        mount: "transit",
        keys: [
          { name: "k", derived: true, convergentEncryption: true, autoRotatePeriod: "1h" },
          { name: "k128", type: "aes128-gcm96", derived: true, convergentEncryption: true },
          { name: "sig", type: "ed25519", derived: true },
        ],
      },
    ],
    database: [
      {
        mount: "database",
        maxLeaseTtl: "24h",
        connections: [
          { ...PG, allowedRoles: ["app"] },
          { ...CASSANDRA, tls: true, insecureTls: false, caCert: PEM },
          { ...CASSANDRA, name: "plain" },
        ],
        roles: [
          { name: "app", connection: "pg", creationStatements: ["CREATE ROLE"], defaultTtl: "24h", maxTtl: "24h" },
          { name: "c-role", connection: "c", creationStatements: ["x"] },
        ],
      },
      { mount: "database-2", connections: [PG], roles: [{ name: "long", connection: "pg", creationStatements: ["x"], maxTtl: "720h" }] },
    ],
    auth: {
      appRole: {
        path: "apps",
        roles: [
          { name: "a", tokenTtl: "1h", tokenMaxTtl: "1h" },
          { name: "b", tokenTtl: "2h" },
          { name: "c", tokenMaxTtl: "1h" },
        ],
      },
      kubernetes: {
        kubernetesHost: "https://k8s.example.com",
        vaultInCluster: false,
        kubernetesCaCert: PEM,
        roles: [{ name: "k", serviceAccountNames: ["sa"], serviceAccountNamespaces: ["ns"], tokenTtl: "1h", tokenMaxTtl: "2h" }],
      },
      jwt: { jwksUrl: "https://idp.example.com/jwks", roles: [{ name: "ci", userClaim: "sub", tokenTtl: "1h", tokenMaxTtl: "1h" }] },
      cert: { roles: [{ name: "node", certificate: PEM, tokenTtl: "1h", tokenMaxTtl: "1h" }] },
    },
    policies: [{ name: "ops", rules: [{ path: "sys/*", capabilities: ["read"] }] }],
    sentinelPolicies: [
      { name: "e", kind: "egp", paths: ["secret/*"], enforcementLevel: "advisory", policy: "main = rule { true }" },
      { name: "r", kind: "rgp", enforcementLevel: "advisory", policy: "main = rule { true }" },
      { name: "ops", kind: "egp", paths: ["sys/*"], enforcementLevel: "advisory", policy: "main = rule { true }" },
    ],
    namespaces: [{ path: "tenant" }, { path: "team", parent: "tenant" }, { path: "team" }],
    leaseCountQuotas: [{ name: "q", maxLeases: 10 }],
    audit: [
      { type: "file", filePath: "/var/log/vault.log" },
      { type: "socket", address: "127.0.0.1:9090" },
    ],
  };
}

/** Every issue of `input`, exactly ([] when it parses). */
function allIssues(input: EstateInput): { path: string; message: string }[] {
  try {
    parseEstate(input);
    return [];
  } catch (e) {
    if (e instanceof ModelValidationError) return e.issues.map((i) => ({ path: i.path, message: i.message }));
    throw e;
  }
}

function role(fields: Partial<PkiRoleSpec> & { ttl: number }): PkiRoleSpec {
  return { ...pkiRoleSchema.parse({ name: "r", template: "server", ttl: 1, allowedDomains: ["example.com"] }), ...fields };
}

describe("estate rules on their boundaries", () => {
  it("accept an estate that sits on every boundary", () => {
    expect(allIssues(boundaryEstate())).toEqual([]);
  });

  it("fill canonical key sizes per key type, and a root max TTL only from a positive TTL", () => {
    const pki = parseEstate(boundaryEstate()).pki as PkiSpec;
    expect(pki.root.keyBits).toBe(256);
    expect(pki.intermediates.map((i) => i.keyBits)).toEqual([2048, 256]);
    expect(pki.intermediates[0].roles.map((r) => [r.name, r.keyBits])).toEqual([
      ["server", 256],
      ["long-max", 256],
      ["signing", 256],
      ["local", 2048],
      ["any-name", 0],
    ]);
    const bare = pkiSchema.parse({ root: { mount: "r", source: "existing" } });
    expect(canonicalizePki(bare).root.maxLeaseTtl).toBeUndefined();
    const roles = pkiSchema.parse({
      root: { mount: "r", source: "existing", keyType: "rsa" },
      intermediates: [
        {
          mount: "i",
          commonName: "I",
          ttl: 10,
          maxLeaseTtl: 10,
          keyType: "ed25519",
          roles: [
            { name: "a", template: "server", ttl: 1, keyType: "any" },
            { name: "b", template: "server", ttl: 1, keyType: "rsa" },
          ],
        },
      ],
    });
    const canonical = canonicalizePki(roles);
    expect(canonical.root).toMatchObject({ keyBits: 4096, maxLeaseTtl: 10 });
    expect(canonical.intermediates[0].keyBits).toBe(0);
    expect(canonical.intermediates[0].roles.map((r) => r.keyBits)).toEqual([0, 4096]);
    expect([defaultKeyBits("rsa"), defaultKeyBits("ec"), defaultKeyBits("ed25519"), defaultKeyBits("any")]).toEqual([4096, 256, 0, 0]);
  });

  it("an existing root needs neither common name nor TTL; its max TTL still bounds the intermediates", () => {
    const existing = patched([
      [["pki", "root", "source"], "existing"],
      [["pki", "root", "ttl"], undefined],
      [["pki", "root", "commonName"], undefined],
    ]);
    expect(allIssues(existing)).toEqual([]);
    expect(allIssues(patched([[["pki", "root", "maxLeaseTtl"], "100h"]], existing))).toEqual([
      {
        path: "pki.intermediates[0].ttl",
        message: "intermediate TTL 157680000s (43800h) exceeds the root mount's max TTL 360000s (100h), which signs it",
      },
    ]);
  });

  it("a generated root without common name or TTL gets one exact issue each", () => {
    const input = patched([
      [["pki", "root", "commonName"], undefined],
      [["pki", "root", "ttl"], undefined],
    ]);
    expect(allIssues(input)).toEqual([
      { path: "pki.root.commonName", message: "a generated root CA needs a commonName" },
      { path: "pki.root.ttl", message: "a generated root CA needs a ttl" },
    ]);
  });

  it("a root max TTL above its TTL is fine, below it is one issue", () => {
    expect(allIssues(patched([[["pki", "root", "maxLeaseTtl"], "87601h"]]))).toEqual([]);
    expect(allIssues(patched([[["pki", "root", "maxLeaseTtl"], "87599h"]]))).toEqual([
      {
        path: "pki.root.maxLeaseTtl",
        message:
          "mount max TTL 315356400s (87599h) is below the root certificate TTL 315360000s (87600h); Vault would silently shorten the certificate",
      },
    ]);
  });

  it("names the root's bad alternative names at their index", () => {
    expect(
      allIssues(
        patched([
          [
            ["pki", "root", "altNames"],
            ["ok.example.com", "bad name", `${"l".repeat(64)}.com`, "-a.com", "a..b"],
          ],
        ]),
      ),
    ).toEqual([
      { path: "pki.root.altNames[1]", message: '"bad name" is neither a DNS name nor an IP address' },
      { path: "pki.root.altNames[2]", message: `"${"l".repeat(64)}.com" is neither a DNS name nor an IP address` },
      { path: "pki.root.altNames[3]", message: '"-a.com" is neither a DNS name nor an IP address' },
      { path: "pki.root.altNames[4]", message: '"a..b" is neither a DNS name nor an IP address' },
    ]);
    expect(() => splitAltNames(["not a name"])).toThrow('altNames[0]: "not a name" is neither a DNS name nor an IP address');
  });

  it("a mount used twice in the hierarchy is named at its second use", () => {
    expect(allIssues(patched([[["pki", "intermediates", 0, "mount"], "pki-root"]]))).toEqual([
      { path: "pki.intermediates[0].mount", message: 'mount "pki-root" is used twice in the hierarchy' },
      { path: "pki.intermediates[0].mount", message: 'mount path "pki-root" is used twice' },
    ]);
    const second = { mount: "pki", commonName: "Again", ttl: "1h", maxLeaseTtl: "1h" };
    expect(allIssues(patched([[["pki", "intermediates", 1], second]]))).toEqual([
      { path: "pki.intermediates[1].mount", message: 'mount "pki" is used twice in the hierarchy' },
      { path: "pki.intermediates[1].mount", message: 'mount path "pki" is used twice' },
    ]);
  });

  it("a role name used twice under one intermediate is named at its second use", () => {
    const again = { name: "server-cert", template: "server", ttl: "1h", allowedDomains: ["example.com"] };
    expect(allIssues(patched([[["pki", "intermediates", 0, "roles", 1], again]]))).toEqual([
      { path: "pki.intermediates[0].roles[1].name", message: 'role "server-cert" is declared twice' },
    ]);
  });

  it("checks key sizes of intermediates and roles (not of roles taking any key type)", () => {
    expect(
      allIssues(
        patched([
          [["pki", "intermediates", 0, "keyType"], "ed25519"],
          [["pki", "intermediates", 0, "keyBits"], 256],
          [["pki", "intermediates", 0, "roles", 0, "keyBits"], 2048],
        ]),
      ),
    ).toEqual([
      { path: "pki.intermediates[0].keyBits", message: 'keyBits 256 is not valid for keyType "ed25519" (allowed: 0)' },
      {
        path: "pki.intermediates[0].roles[0].keyBits",
        message: 'keyBits 2048 is not valid for keyType "ec" (allowed: 224, 256, 384, 521)',
      },
    ]);
    // A key type the schema does not know (called directly) allows no size at all.
    expect(checkPkiRole(role({ ttl: 1, keyType: "dsa" as PkiRoleSpec["keyType"], keyBits: 1024 }), { mount: "pki" })).toEqual([
      { path: ["keyBits"], message: 'keyBits 1024 is not valid for keyType "dsa" (allowed: )' },
    ]);
  });

  it("a role's certificates may live exactly as long as its CA, not longer, named at the field that sets it", () => {
    const issuer = { mount: "pki", ttl: 15 };
    expect(checkPkiRole(role({ ttl: 15 }), issuer)).toEqual([]);
    expect(checkPkiRole(role({ ttl: 10, maxTtl: 15 }), issuer)).toEqual([]);
    expect(checkPkiRole(role({ ttl: 10, maxTtl: 20 }), issuer)).toEqual([
      { path: ["maxTtl"], message: 'certificates of role "r" (20s (20s)) would outlive their issuing CA (15s (15s))' },
    ]);
    expect(checkPkiRole(role({ ttl: 20 }), issuer)).toEqual([
      { path: ["ttl"], message: 'certificates of role "r" (20s (20s)) would outlive their issuing CA (15s (15s))' },
    ]);
    expect(checkPkiRole(role({ ttl: 20, maxTtl: 10 }), { mount: "pki" })).toEqual([
      { path: ["ttl"], message: "role TTL 20s (20s) exceeds the role max TTL 10s (10s)" },
    ]);
  });

  it("a role that allows no names is one issue; code-signing, localhost and any-name roles need none", () => {
    const bare = { allowedDomains: [] };
    expect(checkPkiRole(role({ ttl: 1, ...bare }), { mount: "pki" })).toEqual([
      { path: ["allowedDomains"], message: 'role "r" allows no names: set allowedDomains or allowAnyName' },
    ]);
    expect(checkPkiRole(role({ ttl: 1, ...bare, template: "code-signing" }), { mount: "pki" })).toEqual([]);
    expect(checkPkiRole(role({ ttl: 1, ...bare, allowLocalhost: true }), { mount: "pki" })).toEqual([]);
    expect(checkPkiRole(role({ ttl: 1, ...bare, allowAnyName: true }), { mount: "pki" })).toEqual([]);
  });

  it("transit keys: exact paths and messages", () => {
    const key = (k: object) => checkTransitKey(transitKeySchema.parse({ name: "k", ...k }));
    expect(key({ type: "rsa-2048", derived: true, convergentEncryption: true })).toEqual([
      { path: ["convergentEncryption"], message: "convergent encryption is not supported for key type rsa-2048" },
      { path: ["derived"], message: "key derivation is not supported for key type rsa-2048" },
    ]);
    expect(key({ autoRotatePeriod: "59m59s" })).toEqual([
      { path: ["autoRotatePeriod"], message: "auto-rotate period 3599s (59m59s) is below Vault's minimum of 1h (use 0 to disable)" },
    ]);
    expect(key({ type: "aes256-gcm96", derived: true, convergentEncryption: true, autoRotatePeriod: 3600 })).toEqual([]);
    const estate: EstateInput = {
      target: ENTERPRISE,
      transit: [{ mount: "t", keys: [{ name: "ok" }, { name: "k", convergentEncryption: true }] }],
    };
    expect(allIssues(estate)).toEqual([
      { path: "transit[0].keys[1].convergentEncryption", message: "convergent encryption requires derived: true" },
    ]);
  });

  describe("database connections and roles", () => {
    const db = (d: object): EstateInput => ({ target: ENTERPRISE, database: [{ mount: "database", ...d }] }) as unknown as EstateInput;

    it("cassandra: hosts, no connectionUrl, TLS options only with tls", () => {
      expect(allIssues(db({ connections: [{ ...CASSANDRA, hosts: [], connectionUrl: "cassandra://x" }] }))).toEqual([
        { path: "database[0].connections[0].hosts", message: "a cassandra connection needs at least one host" },
        { path: "database[0].connections[0].connectionUrl", message: "cassandra connections take hosts, not a connectionUrl" },
      ]);
      expect(allIssues(db({ connections: [{ ...CASSANDRA, insecureTls: true }] }))).toEqual([
        { path: "database[0].connections[0].insecureTls", message: "caCert and insecureTls need tls: true" },
      ]);
      expect(allIssues(db({ connections: [{ ...CASSANDRA, tls: false, caCert: PEM }] }))).toEqual([
        { path: "database[0].connections[0].caCert", message: "caCert and insecureTls need tls: true" },
      ]);
    });

    it("others: a templated connectionUrl, no hosts", () => {
      expect(allIssues(db({ connections: [{ ...PG, connectionUrl: undefined, hosts: ["db1"] }] }))).toEqual([
        {
          path: "database[0].connections[0].connectionUrl",
          message: "a postgresql connection needs a connectionUrl templated with {{username}} and {{password}}",
        },
        { path: "database[0].connections[0].hosts", message: "hosts are for cassandra; postgresql takes a connectionUrl" },
      ]);
      const templates = "connectionUrl must use {{username}} and {{password}} templates so no credential is written into state";
      for (const connectionUrl of ["postgresql://{{username}}:pw@db/app", "postgresql://vault:{{password}}@db/app"]) {
        expect(allIssues(db({ connections: [{ ...PG, connectionUrl }] }))).toEqual([
          { path: "database[0].connections[0].connectionUrl", message: templates },
        ]);
      }
    });

    it("roles: known connection, allowed by it, TTLs in order and within the mount's", () => {
      const r = { name: "app", connection: "pg", creationStatements: ["x"] };
      expect(allIssues(db({ connections: [{ ...PG, allowedRoles: ["other"] }], roles: [r] }))).toEqual([
        { path: "database[0].roles[0].name", message: 'role "app" is not in allowedRoles of connection "pg"' },
      ]);
      expect(allIssues(db({ maxLeaseTtl: "1h", connections: [PG], roles: [{ ...r, defaultTtl: "2h", maxTtl: "90m" }] }))).toEqual([
        { path: "database[0].roles[0].defaultTtl", message: "default TTL 7200s (2h) exceeds max TTL 5400s (1h30m)" },
        { path: "database[0].roles[0].maxTtl", message: "role max TTL 5400s (1h30m) exceeds the mount max TTL 3600s (1h)" },
      ]);
    });
  });

  describe("auth methods", () => {
    const auth = (a: object): EstateInput => ({ target: ENTERPRISE, auth: a }) as unknown as EstateInput;
    const k8s = { kubernetesHost: "https://k8s.example.com" };
    const saRole = { name: "k", serviceAccountNames: ["sa"], serviceAccountNamespaces: ["ns"] };
    const tooLong = "token TTL 7200s (2h) exceeds token max TTL 3600s (1h)";

    it("token TTLs of every method's roles", () => {
      expect(
        allIssues(
          auth({
            appRole: { roles: [{ name: "a", tokenTtl: "2h", tokenMaxTtl: "1h" }] },
            kubernetes: { ...k8s, roles: [{ ...saRole, tokenTtl: "2h", tokenMaxTtl: "1h" }] },
            cert: { roles: [{ name: "c", certificate: PEM, tokenTtl: "2h", tokenMaxTtl: "1h" }] },
            jwt: { jwksUrl: "https://idp/jwks", roles: [{ name: "j", userClaim: "sub", tokenTtl: "2h", tokenMaxTtl: "1h" }] },
          }),
        ),
      ).toEqual([
        { path: "auth.appRole.roles[0].tokenTtl", message: tooLong },
        { path: "auth.kubernetes.roles[0].tokenTtl", message: tooLong },
        { path: "auth.cert.roles[0].tokenTtl", message: tooLong },
        { path: "auth.jwt.roles[0].tokenTtl", message: tooLong },
      ]);
    });

    it("kubernetes outside the cluster needs the API server's CA", () => {
      expect(allIssues(auth({ kubernetes: { ...k8s, vaultInCluster: false } }))).toEqual([
        {
          path: "auth.kubernetes.kubernetesCaCert",
          message: "Vault outside the cluster has no pod-local CA: set kubernetesCaCert (the API server's PEM CA)",
        },
      ]);
      expect(checkKubernetes({ vaultInCluster: true })).toEqual([]);
      expect(checkKubernetes({})).toEqual([]);
      expect(checkKubernetes({ vaultInCluster: false, kubernetesCaCert: PEM })).toEqual([]);
    });

    it("jwt: exactly one key source, OIDC with discovery URL and client id, OIDC roles with redirect URIs", () => {
      expect(allIssues(auth({ jwt: { jwtValidationPubkeys: [PEM] } }))).toEqual([]);
      expect(allIssues(auth({ jwt: { jwksUrl: "https://idp/jwks", jwtValidationPubkeys: [PEM] } }))).toEqual([
        { path: "auth.jwt", message: "set exactly one of oidcDiscoveryUrl, jwksUrl, jwtValidationPubkeys" },
      ]);
      const oidc = { type: "oidc", oidcDiscoveryUrl: "https://idp", oidcClientId: "vault" };
      const redirect = { name: "r", userClaim: "sub", allowedRedirectUris: ["https://app/cb"] };
      expect(allIssues(auth({ jwt: { ...oidc, roles: [redirect] } }))).toEqual([]);
      const needs = { path: "auth.jwt.oidcClientId", message: "OIDC needs oidcDiscoveryUrl and oidcClientId" };
      expect(allIssues(auth({ jwt: { ...oidc, oidcClientId: undefined } }))).toEqual([needs]);
      expect(allIssues(auth({ jwt: { type: "oidc", jwksUrl: "https://idp/jwks", oidcClientId: "vault" } }))).toEqual([needs]);
      expect(
        allIssues(auth({ jwt: { jwksUrl: "https://idp/jwks", roles: [{ ...redirect, roleType: "oidc", allowedRedirectUris: [] }] } })),
      ).toEqual([{ path: "auth.jwt.roles[0].allowedRedirectUris", message: "an OIDC role needs at least one allowed redirect URI" }]);
    });
  });

  it("mount paths are unique across every engine, auth paths across methods, audit paths across devices", () => {
    const input = {
      target: ENTERPRISE,
      pki: {
        root: { mount: "kv-a", commonName: "R", ttl: "1h" },
        intermediates: [{ mount: "kv-b", commonName: "I", ttl: "1h", maxLeaseTtl: "1h" }],
      },
      kv: [{ mount: "kv-a" }, { mount: "kv-b" }, { mount: "kv-c" }, { mount: "kv-d" }],
      transit: [{ mount: "kv-c" }],
      database: [{ mount: "kv-d" }],
      auth: { appRole: { path: "login" }, jwt: { path: "login", jwksUrl: "https://idp/jwks" } },
      audit: [
        { type: "file", path: "audit", filePath: "/a.log" },
        { type: "socket", path: "audit", address: "127.0.0.1:1" },
      ],
    } as unknown as EstateInput;
    expect(allIssues(input)).toEqual([
      { path: "kv[0].mount", message: 'mount path "kv-a" is used twice' },
      { path: "kv[1].mount", message: 'mount path "kv-b" is used twice' },
      { path: "transit[0].mount", message: 'mount path "kv-c" is used twice' },
      { path: "database[0].mount", message: 'mount path "kv-d" is used twice' },
      { path: "auth.jwt.path", message: 'auth path "login" is used twice' },
      { path: "audit[1].path", message: 'audit device path "audit" is used twice' },
    ]);
  });

  it("policy names are unique among ACL policies and RGPs; EGPs need paths and RGPs have none", () => {
    const sentinel = { enforcementLevel: "advisory", policy: "main = rule { true }" } as const;
    const input: EstateInput = {
      target: ENTERPRISE,
      policies: [
        { name: "ops", rules: [] },
        { name: "ops", rules: [] },
      ],
      sentinelPolicies: [
        { ...sentinel, name: "e", kind: "egp" },
        { ...sentinel, name: "r", kind: "rgp", paths: ["secret/*"] },
      ],
    };
    expect(allIssues(input)).toEqual([
      { path: "sentinelPolicies[0].paths", message: "an EGP needs at least one path" },
      { path: "sentinelPolicies[1].paths", message: "an RGP is bound to tokens, not paths: remove paths" },
      { path: "policies[1].name", message: 'policy name "ops" is used twice' },
    ]);
  });

  it("createNamespace needs the estate's namespace", () => {
    expect(allIssues({ target: ENTERPRISE, createNamespace: true })).toEqual([
      { path: "createNamespace", message: "createNamespace needs the estate's namespace" },
    ]);
  });
});

describe("issue paths and locations", () => {
  it("turns unset ${NAME} references into path arrays, indexes as numbers", () => {
    expect(
      unsetEnvIssues([
        { name: "A", path: "pki.intermediates[0].roles[12].name" },
        { name: "B", path: "engines.kv2.mount_path" },
        { name: "C", path: "x.3des" },
      ]),
    ).toEqual([
      { path: ["pki", "intermediates", 0, "roles", 12, "name"], message: "environment variable A is not set" },
      { path: ["engines", "kv2", "mount_path"], message: "environment variable B is not set" },
      { path: ["x", "3des"], message: "environment variable C is not set" },
    ]);
  });

  it("adds file, line and column only when known, after the path prefix", () => {
    const raw = [{ path: ["a", 0], message: "m" }];
    expect(locateIssues(raw, { file: "f.yaml", locate: () => ({ line: 3, column: 4 }), pathPrefix: ["x"] })).toStrictEqual([
      { path: "x.a[0]", message: "m", file: "f.yaml", line: 3, column: 4 },
    ]);
    expect(locateIssues(raw, { locate: () => undefined })).toStrictEqual([{ path: "a[0]", message: "m" }]);
    expect(locateIssues(raw)).toStrictEqual([{ path: "a[0]", message: "m" }]);
  });
});
