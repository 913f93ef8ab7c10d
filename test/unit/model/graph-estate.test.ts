import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadEstateYaml } from "../../../model/estate-loader";
import { referencesOf, toPlain } from "../../../model/graph";
import { compileEstate, estateNamespaceParts, owners } from "../../../model/graph-estate";
import { parseEstate } from "../../../model/rules";

const FIXTURES = join(__dirname, "../../fixtures/constructs");

describe("compileEstate", () => {
  const estate = loadEstateYaml(readFileSync(join(FIXTURES, "full-estate.yaml"), "utf8"), { file: "full-estate.yaml", env: {} });
  const graph = compileEstate(estate);

  it("compiles the full estate to the golden resource graph", () => {
    const golden: unknown = JSON.parse(readFileSync(join(FIXTURES, "golden/full-estate.graph.json"), "utf8"));
    expect(toPlain(graph.resources)).toEqual(golden);
  });

  it("every reference points to an earlier descriptor of the graph", () => {
    expect(graph.externalReferences()).toEqual([]);
    const seen = new Set<string>();
    let references = 0;
    for (const d of graph.resources) {
      for (const match of JSON.stringify(toPlain([d])[0].attributes).matchAll(
        /\$\{([^}.]+(?:\/[^}.]+)*\.[^}.]+)\.[a-z_]+(?:\[\d+\])?\}/g,
      )) {
        expect(seen.has(match[1])).toBe(true);
        references++;
      }
      seen.add(d.id);
    }
    expect(references).toBe(graph.resources.flatMap((d) => referencesOf(d.attributes)).length);
    expect(references).toBeGreaterThan(30);
  });

  it("covers every resource kind once the estate has it, with the estate namespace everywhere but nested namespaces", () => {
    const types = new Set(graph.resources.map((d) => d.type));
    expect([...types].sort()).toEqual([
      "vault_approle_auth_backend_role",
      "vault_audit",
      "vault_auth_backend",
      "vault_cert_auth_backend_role",
      "vault_database_secret_backend_connection",
      "vault_database_secret_backend_role",
      "vault_egp_policy",
      "vault_jwt_auth_backend",
      "vault_jwt_auth_backend_role",
      "vault_kubernetes_auth_backend_config",
      "vault_kubernetes_auth_backend_role",
      "vault_kv_secret_backend_v2",
      "vault_ldap_auth_backend",
      "vault_ldap_auth_backend_group",
      "vault_mount",
      "vault_namespace",
      "vault_pki_secret_backend_config_issuers",
      "vault_pki_secret_backend_config_urls",
      "vault_pki_secret_backend_crl_config",
      "vault_pki_secret_backend_intermediate_cert_request",
      "vault_pki_secret_backend_intermediate_set_signed",
      "vault_pki_secret_backend_issuer",
      "vault_pki_secret_backend_role",
      "vault_pki_secret_backend_root_cert",
      "vault_pki_secret_backend_root_sign_intermediate",
      "vault_policy",
      "vault_quota_lease_count",
      "vault_quota_rate_limit",
      "vault_rgp_policy",
      "vault_transit_secret_backend_key",
    ]);
    const withoutNamespace = graph.resources.filter((d) => d.attributes.namespace !== "platform").map((d) => d.id);
    expect(withoutNamespace).toEqual([
      "namespace-tenant-a/namespace-team-1.namespace",
      // sys/quotas and sys/audit exist in the root namespace only: their paths name the namespace.
      "rate-limit-global.quota",
      "lease-count-database-leases.quota",
      "audit-file.device",
      "audit-siem.device",
    ]);
    for (const id of withoutNamespace.slice(1)) expect(graph.get(id)?.attributes).not.toHaveProperty("namespace");
  });

  it("creates the estate's namespace when asked: everything refers to it, root-namespace quotas wait for it", () => {
    const created = compileEstate(
      parseEstate({
        target: { edition: "openbao", version: "2.6.1" },
        namespace: "cassandra-cert-manager",
        createNamespace: true,
        kv: [{ mount: "secret" }],
        rateLimitQuotas: [{ name: "estate", path: "cassandra-cert-manager/", rate: 100 }],
      }),
    );
    expect(toPlain(created.resources)).toEqual([
      { type: "vault_namespace", id: "estate-namespace.namespace", protect: false, attributes: { path: "cassandra-cert-manager" } },
      expect.objectContaining({
        id: "kv-secret.mount",
        attributes: expect.objectContaining({ namespace: "${estate-namespace.namespace.path_fq}" }),
      }),
      expect.objectContaining({
        id: "kv-secret.config",
        attributes: expect.objectContaining({ namespace: "${estate-namespace.namespace.path_fq}" }),
      }),
      {
        type: "vault_quota_rate_limit",
        id: "rate-limit-estate.quota",
        protect: false,
        attributes: { name: "estate", path: "cassandra-cert-manager/", rate: 100 },
        dependsOn: ["estate-namespace.namespace"],
      },
    ]);
    expect(estateNamespaceParts("teams/cassandra")).toEqual({ parent: "teams", path: "cassandra" });
    const nested = compileEstate(
      parseEstate({ target: { edition: "openbao", version: "2.6.1" }, namespace: "teams/cassandra", createNamespace: true }),
    );
    expect(toPlain(nested.resources)[0].attributes).toEqual({ path: "cassandra", namespace: "teams" });
    expect(() => parseEstate({ target: { edition: "openbao", version: "2.6.1" }, createNamespace: true })).toThrow(
      "createNamespace: createNamespace needs the estate's namespace",
    );
  });

  it("protects the root certificate and undeletable transit keys only", () => {
    expect(graph.resources.filter((d) => d.protect).map((d) => d.id)).toEqual([
      "pki-root.cert",
      "transit-transit.key-data",
      "transit-transit.key-tokens",
      "transit-transit.key-signing",
    ]);
  });

  it("never puts a secret literal in the graph: credentials are deploy-time inputs", () => {
    const text = JSON.stringify(toPlain(graph.resources));
    expect(text).toContain('"password":"${var.cassandra_admin_password}"');
    expect(text).toContain('"password_wo":"${var.postgres_password}"');
    expect(text).toContain('"bindpass_wo":"${var.ldap_bindpass}"');
    expect(text).not.toContain('"bindpass":');
  });

  it("owner names are stable", () => {
    expect(owners.namespace("a/b")).toBe("namespace-a/namespace-b");
    expect(owners.pkiIntermediate("pki")).toBe("pki-pki");
  });
});
