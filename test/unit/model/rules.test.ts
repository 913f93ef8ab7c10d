import { ModelValidationError } from "../../../model/errors";
import { checkTransitKey, parseEstate, splitAltNames } from "../../../model/rules";
import { EstateInput, transitKeySchema } from "../../../model/schema";
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
