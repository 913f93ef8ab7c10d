import { labelOf, namespaceOf, pathOf, relativeName, targetOf } from "../../../../constructs/pulumi/base";
import { policyNames } from "../../../../model/kinds/auth/auth-mount";
import { AclPolicy } from "../../../../constructs/pulumi/acl-policy";
import { KvV2Store } from "../../../../constructs/pulumi/kv-v2-store";
import { Namespace } from "../../../../constructs/pulumi/namespace";
import { VaultStack } from "../../../../constructs/pulumi/vault-stack";
import { AttrRef } from "../../../../model/graph";
import { settle, useMocks } from "./pulumi-harness";

describe("component scopes", () => {
  it("finds the target and the namespace through the parent chain", async () => {
    await useMocks();
    const stack = new VaultStack("estate", { target: { edition: "openbao", version: "2.6.1" } });
    const ns = new Namespace("estate-tenant", { path: "tenant" }, { parent: stack });
    const kv = new KvV2Store("estate-tenant-kv", {}, { parent: ns });
    expect(targetOf(kv)).toEqual({ edition: "openbao", version: "2.6.1" });
    expect(targetOf(undefined)).toBeUndefined();
    expect(namespaceOf(ns)).toEqual(new AttrRef("estate-tenant.namespace", "path_fq"));
    expect(namespaceOf(stack)).toBeUndefined();
    await settle();
  });

  it("labels and paths are relative to the stack, like CDKTF construct paths", async () => {
    await useMocks();
    const stack = new VaultStack("estate", { target: { edition: "openbao", version: "2.6.1" } });
    expect(relativeName("estate-kv", stack)).toBe("kv");
    expect(relativeName("other-kv", stack)).toBe("other-kv");
    expect(labelOf("KvV2Store", "estate-kv", stack)).toBe("KvV2Store(kv)");
    expect(pathOf("estate-kv", stack)).toBe("estate/kv");
    expect(pathOf("kv", undefined)).toBe("kv");
    await settle();
  });

  it("policy names come from typed policies or plain names", async () => {
    await useMocks();
    const p = new AclPolicy("p", { policyName: "ops", rules: [{ path: "x", capabilities: ["read"] }] });
    expect(policyNames([p, AclPolicy.fromPolicyName("audit"), "dev"])).toEqual(["ops", "audit", "dev"]);
    expect(policyNames(undefined)).toEqual([]);
    await settle();
  });
});
