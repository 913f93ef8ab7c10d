import { AclPolicy } from "../../../../constructs/pulumi/acl-policy";
import { emptyPolicyMessage } from "../../../../model/kinds/acl-policy";
import { registered, settle, useMocks } from "./pulumi-harness";

describe("AclPolicy", () => {
  it("renders grants made after construction (same turn) into the policy", async () => {
    await useMocks();
    const p = new AclPolicy("app", { policyName: "app", rules: [{ path: "secret/data/app/*", capabilities: ["read"] }] });
    p.allow("sys/health", ["read"]);
    p.deny("secret/data/admin/*");
    await settle();
    const policy = registered().find((r) => r.name === "app-policy")?.inputs.policy as string;
    expect(policy).toContain('path "secret/data/app/*"');
    expect(policy).toContain('path "sys/health"');
    expect(policy).toContain('path "secret/data/admin/*" {\n  capabilities = ["deny"]');
  });

  it("refuses grants once the policy has been rendered", async () => {
    await useMocks();
    const p = new AclPolicy("late", { policyName: "late", rules: [{ path: "a", capabilities: ["read"] }] });
    await settle();
    expect(() => p.allow("b", ["read"])).toThrow('ACL policy "late" has already been rendered');
  });

  it("checks names and rules before the component is registered; an empty policy fails with the CDKTF message", async () => {
    await useMocks();
    expect(() => new AclPolicy("bad", { policyName: "App" })).toThrow(/App/);
    await settle();
    expect(registered()).toEqual([]);
    expect(emptyPolicyMessage("empty")).toBe('ACL policy "empty" has no rules; Vault refuses an empty policy');
  });

  it("fromPolicyName refers to a policy by name without registering anything", async () => {
    await useMocks();
    expect(AclPolicy.fromPolicyName("ops")).toEqual({ policyName: "ops" });
    await settle();
    expect(registered()).toEqual([]);
  });
});
