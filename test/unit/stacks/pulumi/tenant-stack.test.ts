import { TenantStack } from "../../../../stacks/pulumi/tenant-stack";
import { registered, settle, useMocks, valueOf } from "../../constructs/pulumi/pulumi-harness";

describe("TenantStack (Pulumi)", () => {
  it("one namespace per tenant with its mounts, policies and AppRole inside; quotas at the stack", async () => {
    await useMocks();
    const stack = new TenantStack("tenants", {
      target: { edition: "openbao", version: "2.6.1" },
      tenants: [{ name: "acme", transitKeys: ["orders"], requestsPerSecond: 50 }, { name: "globex" }],
    });
    await settle();
    const acme = stack.tenants.get("acme");
    expect(acme ? await valueOf(acme.kv.urn) : "no tenant").toMatch(
      /vaultsmith:namespace:Namespace\$vaultsmith:kv:KvV2Store::tenants-tenant-acme-kv$/,
    );
    const inputs = new Map(registered().map((r) => [r.name, r.inputs]));
    expect(inputs.get("tenants-tenant-acme-kv-mount")).toMatchObject({
      namespace: "ref:tenants-tenant-acme-namespace.path_fq",
      path: "secret",
    });
    expect(inputs.get("tenants-tenant-acme-reader-policy-policy")?.policy).toContain('path "secret/data/*"');
    expect(inputs.get("tenants-tenant-acme-rate-limit-quota")).toEqual({ name: "acme-requests", path: "acme/", rate: 50 });
    expect(inputs.has("tenants-tenant-globex-transit-mount")).toBe(false);
  });

  it("refuses a duplicate tenant and a bad YAML file before registering anything", async () => {
    await useMocks();
    expect(
      () => new TenantStack("t", { target: { edition: "openbao", version: "2.6.1" }, tenants: [{ name: "a" }, { name: "a" }] }),
    ).toThrow('tenants[1].name: tenant "a" is declared twice');
    expect(() => TenantStack.fromYaml("t", "target: { edition: openbao, version: 2.6.1 }\ntenants:\n  - name: Bad\n")).toThrow(
      /tenants\.yaml:3/,
    );
    await settle();
    expect(registered()).toEqual([]);
  });
});
