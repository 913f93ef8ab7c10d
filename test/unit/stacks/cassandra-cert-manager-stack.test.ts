import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { AclPolicy } from "../../../constructs/cdktf/acl-policy";
import { renderGraph } from "../../../constructs/cdktf/graph-renderer";
import { VaultStack } from "../../../constructs/cdktf/vault-stack";
import { compileEstate } from "../../../model/graph-estate";
import { ModelValidationError } from "../../../model/errors";
import { parseEstate } from "../../../model/rules";
import { TargetServer } from "../../../model/target";
import { renderHcl } from "../../../policies/hcl-render";
import { CassandraCertManagerStack, cassandraEstate } from "../../../stacks/cassandra-cert-manager-stack";

const SEED = readFileSync(join(__dirname, "../../fixtures/constructs/seed-vault-integration.yaml"), "utf8");
const OPENBAO: TargetServer = { edition: "openbao", version: "2.6.1" };
const VAULT_CE: TargetServer = { edition: "vault-ce", version: "1.21.4" };

interface Json {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  variable?: Record<string, Record<string, unknown>>;
}

function values(json: Json, type: string): Record<string, unknown>[] {
  return Object.values(json.resource[type] ?? {});
}

describe("CassandraCertManagerStack", () => {
  const app: App = Testing.app();
  const stack = CassandraCertManagerStack.fromOptions(app, "cassandra", { target: OPENBAO });
  const json = JSON.parse(Testing.synth(stack, true)) as Json;

  it("is the seed's estate: root + intermediate, server and client roles at 720h, KV, transit, Cassandra DB, AppRole", () => {
    expect(
      values(json, "vault_mount")
        .map((m) => `${m.type}:${m.path}`)
        .sort(),
    ).toEqual(["database:database", "kv:secret", "pki:pki", "pki:pki-root", "transit:transit"]);
    expect(values(json, "vault_pki_secret_backend_root_cert")).toEqual([
      expect.objectContaining({
        common_name: "Cassandra Root CA",
        ttl: "315360000",
        type: "internal",
        lifecycle: { prevent_destroy: true },
      }),
    ]);
    const roles = values(json, "vault_pki_secret_backend_role");
    expect(roles.map((r) => [r.name, r.ttl, r.server_flag, r.client_flag])).toEqual(
      expect.arrayContaining([
        // Node certificates serve and open internode connections (require_client_auth): ClientAuth too.
        ["server-cert", "2592000", true, true],
        ["client-cert", "2592000", false, true],
      ]),
    );
    expect(roles).toHaveLength(2);
    expect(values(json, "vault_transit_secret_backend_key")).toEqual([
      expect.objectContaining({ name: "cassandra-encryption", type: "aes256-gcm96", deletion_allowed: false }),
    ]);
    expect(values(json, "vault_kv_secret_backend_v2")).toEqual([expect.objectContaining({ max_versions: 10, cas_required: true })]);
    expect(values(json, "vault_database_secret_backend_connection")).toEqual([
      expect.objectContaining({
        name: "cassandra",
        allowed_roles: ["cassandra-app"],
        // CQL protocol 4 unless told otherwise: the provider alone would use 2, which Cassandra 3.0+ refuses.
        cassandra: expect.objectContaining({
          hosts: ["cassandra.example.com"],
          password: "${var.cassandra_admin_password}",
          port: 9042,
          protocol_version: 4,
        }),
      }),
    ]);
    // Each CA's CA-issuers (AIA) URL, so leaf certificates name where their issuer can be fetched.
    expect(
      values(json, "vault_pki_secret_backend_config_urls")
        .map((u) => u.issuing_certificates)
        .sort(),
    ).toEqual([["https://vault.example.com:8200/v1/pki-root/ca"], ["https://vault.example.com:8200/v1/pki/ca"]]);
    for (const urls of values(json, "vault_pki_secret_backend_config_urls")) {
      expect(urls).toMatchObject({ crl_distribution_points: ["http://crl.example.com"], ocsp_servers: ["http://ocsp.example.com"] });
    }
    expect(values(json, "vault_approle_auth_backend_role")).toEqual([
      expect.objectContaining({ role_name: "cassandra-cert-manager", token_policies: ["cassandra-cert-manager"], token_ttl: 3600 }),
    ]);
  });

  it("the manager's policy is least privilege, exactly what the typed grants produce", () => {
    const granted = CassandraCertManagerStack.fromOptions(Testing.app(), "g", { target: OPENBAO });
    const viaGrants = new AclPolicy(granted, "via-grants", { policyName: "via-grants" });
    granted.serverRole.grantIssue(viaGrants);
    granted.clientRole.grantIssue(viaGrants);
    granted.kv.grantReadWrite(viaGrants, "cassandra/*");
    granted.transit.grantEncryptDecrypt(viaGrants, "cassandra-encryption");
    granted.database?.grantCredentials(viaGrants, "cassandra-app");
    expect(viaGrants.document().rules).toHaveLength(7);
    expect(values(json, "vault_policy")[0]).toEqual({ name: "cassandra-cert-manager", policy: renderHcl(viaGrants.document()) });
  });

  it("renders exactly the resource graph of its estate (parity between constructs and model)", () => {
    const estate = parseEstate(cassandraEstate({ target: OPENBAO }));
    const viaGraph = new VaultStack(Testing.app(), "cassandra", { target: OPENBAO });
    renderGraph(viaGraph, compileEstate(estate).resources);
    expect(JSON.parse(Testing.synth(viaGraph))).toEqual(JSON.parse(Testing.synth(stack)));
  });

  it("builds from the seed YAML: its mounts, role names, TTL, key name and namespace", () => {
    const seeded = CassandraCertManagerStack.fromSeedYaml(Testing.app(), "seed", SEED, { target: OPENBAO, load: { env: {} } });
    const out = JSON.parse(Testing.synth(seeded)) as Json;
    expect(seeded.estate.namespace).toBe("cassandra-cert-manager");
    // A fresh server has no such namespace (6 × "404 namespace not found" on the first apply): the stack creates it.
    const namespaces = Object.entries(out.resource.vault_namespace ?? {});
    expect(namespaces.map(([, ns]) => ns)).toEqual([{ path: "cassandra-cert-manager" }]);
    const ref = `\${vault_namespace.${namespaces[0][0]}.path_fq}`;
    const types = Object.keys(out.resource).filter((t) => t !== "vault_namespace");
    for (const type of types) for (const r of values(out, type)) expect([type, r.namespace]).toEqual([type, ref]);
    // An estate whose namespace is provisioned elsewhere keeps it literal.
    const existing = JSON.parse(
      Testing.synth(
        CassandraCertManagerStack.fromSeedYaml(Testing.app(), "seed2", SEED, {
          target: OPENBAO,
          createNamespace: false,
          load: { env: {} },
        }),
      ),
    ) as Json;
    expect(existing.resource.vault_namespace).toBeUndefined();
    expect(values(existing, "vault_mount").every((m) => m.namespace === "cassandra-cert-manager")).toBe(true);
    expect(
      values(out, "vault_pki_secret_backend_role")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["client-cert", "server-cert"]);
    expect(values(out, "vault_transit_secret_backend_key")[0].name).toBe("cassandra-encryption");
    // The seed's address and namespace make the CA-issuers URLs.
    expect(values(out, "vault_pki_secret_backend_config_urls").map((u) => u.issuing_certificates)).toContainEqual([
      "https://vault.example.com:8200/v1/cassandra-cert-manager/pki/ca",
    ]);
  });

  it("the seed's namespace on Vault CE is refused naming the field and the target; dropping it works", () => {
    let error: unknown;
    try {
      CassandraCertManagerStack.fromSeedYaml(Testing.app(), "ce", SEED, { target: VAULT_CE, load: { env: {} } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelValidationError);
    expect((error as Error).message).toBe("namespace: namespaces are not available on the target Vault CE 1.21.4");
    expect(() =>
      CassandraCertManagerStack.fromSeedYaml(Testing.app(), "ce2", SEED, { target: VAULT_CE, useSeedNamespace: false, load: { env: {} } }),
    ).not.toThrow();
  });

  it("bad seed input names file, line and field, never a cdktf stack trace", () => {
    const bad = SEED.replace('ttl: "720h"', 'ttl: "10x"');
    expect(() =>
      CassandraCertManagerStack.fromSeedYaml(Testing.app(), "bad", bad, { target: OPENBAO, load: { file: "vault.yaml", env: {} } }),
    ).toThrow(/^vault\.yaml:\d+:\d+: vault_integration\.engines\.pki\.ttl: invalid duration "10x"/);
    expect(() => CassandraCertManagerStack.fromOptions(Testing.app(), "b2", { target: OPENBAO, intermediateTtl: "90000h" })).toThrow(
      "pki.intermediates[0].ttl: intermediate TTL 324000000s (90000h) exceeds the root TTL 315360000s (87600h)",
    );
  });

  it("leaves the database out when there are no Cassandra hosts", () => {
    const s = CassandraCertManagerStack.fromOptions(Testing.app(), "nodb", { target: OPENBAO, cassandraHosts: [] });
    expect(s.database).toBeUndefined();
    const out = JSON.parse(Testing.synth(s)) as Json;
    expect(out.resource.vault_database_secret_backend_connection).toBeUndefined();
    expect(String(values(out, "vault_policy")[0].policy)).not.toContain("database/creds");
  });
});
