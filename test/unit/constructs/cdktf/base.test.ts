import { Testing } from "cdktf";
import { Construct } from "constructs";
import { VaultTarget, namespaceOf, setNamespaceScope } from "../../../../constructs/cdktf/base";
import { policyNames } from "../../../../model/kinds/auth/auth-mount";
import { AclPolicy } from "../../../../constructs/cdktf/acl-policy";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO } from "./synth-helpers";

describe("construct base", () => {
  it("finds the target declared on the nearest scope", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    const inner = new Construct(new Construct(stack, "a"), "b");
    expect(VaultTarget.of(inner)).toEqual(OPENBAO);
    const override = new Construct(stack, "ent");
    VaultTarget.set(override, { edition: "vault-enterprise", version: "1.21.4" });
    expect(VaultTarget.of(new Construct(override, "x"))?.edition).toBe("vault-enterprise");
    expect(VaultTarget.of(new Construct(Testing.app(), "orphan"))).toBeUndefined();
  });

  it("without a declared target, gated constructs are refused", () => {
    const lone = new Construct(Testing.app(), "lone");
    expect(() => VaultTarget.require(lone, "namespaces")).toThrow(/need a declared target server/);
  });

  it("namespace scope applies to descendants, not to the scope itself", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    const ns = new Construct(stack, "ns");
    setNamespaceScope(ns, "team");
    expect(namespaceOf(ns)).toBeUndefined();
    expect(namespaceOf(new Construct(ns, "child"))).toBe("team");
  });

  it("policy names from typed policies and strings", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    expect(policyNames([AclPolicy.fromPolicyName(stack, "p", "ops"), "dev"])).toEqual(["ops", "dev"]);
    expect(policyNames(undefined)).toEqual([]);
  });
});
