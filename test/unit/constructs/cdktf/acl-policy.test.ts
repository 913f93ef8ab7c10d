import { Testing } from "cdktf";
import { AclPolicy } from "../../../../constructs/cdktf/acl-policy";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, onlyResource, synth } from "./synth-helpers";

describe("AclPolicy", () => {
  it("renders canonical HCL including rules granted after construction", () => {
    const json = synth((stack) => {
      const p = new AclPolicy(stack, "app", { policyName: "app", rules: [{ path: "secret/data/app/*", capabilities: ["read"] }] });
      p.allow("transit/encrypt/app", ["update"]).deny("secret/data/app/admin");
      p.addRules({ path: "auth/token/lookup-self", capabilities: ["read"] });
    });
    expect(onlyResource(json, "vault_policy")).toEqual({
      name: "app",
      policy: [
        'path "secret/data/app/*" {\n  capabilities = ["read"]\n}',
        'path "transit/encrypt/app" {\n  capabilities = ["update"]\n}',
        'path "secret/data/app/admin" {\n  capabilities = ["deny"]\n}',
        'path "auth/token/lookup-self" {\n  capabilities = ["read"]\n}\n',
      ].join("\n\n"),
    });
  });

  it("refuses upper-case names and bad rules where they are made", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    expect(() => new AclPolicy(stack, "bad", { policyName: "App" })).toThrow(/App/);
    const p = new AclPolicy(stack, "p", { policyName: "p" });
    expect(() => p.allow("secret/+*", ["read"])).toThrow();
    expect(() => p.allow("secret/x", [])).toThrow(/at least one capability/);
  });

  it("an empty policy fails synthesis validation", () => {
    expect(() => synth((stack) => new AclPolicy(stack, "empty", { policyName: "empty" }))).toThrow(/ACL policy "empty" has no rules/);
  });

  it("imports a policy by name", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    expect(AclPolicy.fromPolicyName(stack, "ops", "ops").policyName).toBe("ops");
  });
});
