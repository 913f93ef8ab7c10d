import { App, Testing } from "cdktf";
import { TargetServer } from "../../../model/target";
import { TenantStack } from "../../../stacks/tenant-stack";

const OPENBAO: TargetServer = { edition: "openbao", version: "2.6.1" };

interface Json {
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

describe("TenantStack", () => {
  const app: App = Testing.app();
  const stack = new TenantStack(app, "tenants", {
    target: OPENBAO,
    tenants: [{ name: "acme", transitKeys: ["orders"], requestsPerSecond: 50 }, { name: "globex" }],
  });
  const json = JSON.parse(Testing.synth(stack, true)) as Json;
  const namespaceIds = Object.fromEntries(Object.entries(json.resource.vault_namespace).map(([id, ns]) => [ns.path, id]));

  it("creates one namespace per tenant with its own mounts inside", () => {
    expect(Object.keys(namespaceIds).sort()).toEqual(["acme", "globex"]);
    const mounts = Object.values(json.resource.vault_mount).map((m) => [m.namespace, m.type, m.path]);
    expect(mounts).toEqual(
      expect.arrayContaining([
        [`\${vault_namespace.${namespaceIds.acme}.path_fq}`, "kv", "secret"],
        [`\${vault_namespace.${namespaceIds.acme}.path_fq}`, "transit", "transit"],
        [`\${vault_namespace.${namespaceIds.globex}.path_fq}`, "kv", "secret"],
      ]),
    );
    expect(mounts).toHaveLength(3);
  });

  it("gives each tenant an admin and a reader policy and an AppRole bound to the reader policy, all in its namespace", () => {
    const policies = Object.values(json.resource.vault_policy);
    const acmeReader = policies.find((p) => p.name === "acme-reader");
    expect(acmeReader).toEqual({
      name: "acme-reader",
      namespace: `\${vault_namespace.${namespaceIds.acme}.path_fq}`,
      policy: 'path "secret/data/*" {\n  capabilities = ["read"]\n}\n\npath "secret/metadata/*" {\n  capabilities = ["read", "list"]\n}\n',
    });
    expect(String(policies.find((p) => p.name === "acme-admin")?.policy)).toContain('path "transit/encrypt/orders"');
    expect(String(policies.find((p) => p.name === "globex-admin")?.policy)).not.toContain("transit");
    const roles = Object.values(json.resource.vault_approle_auth_backend_role);
    expect(roles).toContainEqual(
      expect.objectContaining({
        role_name: "app",
        token_policies: ["globex-reader"],
        token_ttl: 3600,
        token_max_ttl: 14_400,
        namespace: `\${vault_namespace.${namespaceIds.globex}.path_fq}`,
      }),
    );
  });

  it("rate-limits a tenant's namespace from the root, once the namespace exists", () => {
    // Without depends_on the first apply raced: `invalid mount path "acme/"` (nothing refers to the namespace).
    expect(Object.values(json.resource.vault_quota_rate_limit)).toEqual([
      { name: "acme-requests", path: "acme/", rate: 50, depends_on: [`vault_namespace.${namespaceIds.acme}`] },
    ]);
  });

  it("protects transit keys unless the tenant lets them be deleted (so it can be destroyed)", () => {
    const keys = Object.values(json.resource.vault_transit_secret_backend_key);
    expect(keys).toEqual([expect.objectContaining({ name: "orders", deletion_allowed: false, lifecycle: { prevent_destroy: true } })]);
    const disposable = new TenantStack(Testing.app(), "disposable", {
      target: OPENBAO,
      tenants: [{ name: "acme", transitKeys: ["orders"], transitKeyDeletionAllowed: true }],
    });
    const out = JSON.parse(Testing.synth(disposable)) as Json;
    const [key] = Object.values(out.resource.vault_transit_secret_backend_key);
    expect(key).toMatchObject({ name: "orders", deletion_allowed: true });
    expect(key).not.toHaveProperty("lifecycle");
  });

  it("is refused on Vault CE", () => {
    expect(
      () => new TenantStack(Testing.app(), "ce", { target: { edition: "vault-ce", version: "1.21.4" }, tenants: [{ name: "acme" }] }),
    ).toThrow("ce/tenant-acme: namespaces are not available on the target Vault CE 1.21.4");
  });

  it("loads from YAML with line-numbered errors", () => {
    const yaml = "target:\n  edition: openbao\n  version: 2.6.1\ntenants:\n  - name: acme\n  - name: Bad_Name\n";
    expect(() => TenantStack.fromYaml(Testing.app(), "y", yaml, { file: "tenants.yaml" })).toThrow(
      /^tenants\.yaml:6:\d+: tenants\[1\]\.name: tenant names are lower-case/,
    );
    const ok = TenantStack.fromYaml(Testing.app(), "y2", yaml.replace("Bad_Name", "initech"));
    expect([...ok.tenants.keys()]).toEqual(["acme", "initech"]);
    expect(() => new TenantStack(Testing.app(), "dup", { target: OPENBAO, tenants: [{ name: "a" }, { name: "a" }] })).toThrow(
      /tenants\[1\]\.name: tenant "a" is declared twice/,
    );
    expect(() => TenantStack.fromYaml(Testing.app(), "y3", yaml.replace("Bad_Name", "acme"), { file: "tenants.yaml" })).toThrow(
      /^tenants\.yaml:6:\d+: tenants\[1\]\.name: tenant "acme" is declared twice/,
    );
  });
});
