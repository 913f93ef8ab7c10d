import { AclPolicy } from "../../../../constructs/pulumi/acl-policy";
import { TransitEngine } from "../../../../constructs/pulumi/transit-engine";
import { VaultStack } from "../../../../constructs/pulumi/vault-stack";
import { optionsOf, recording, settle, useMocks } from "./pulumi-harness";

const KEY = "vault:transit/secretBackendKey:SecretBackendKey";

describe("TransitEngine", () => {
  it("protects keys unless deletion is allowed, and grants per key", async () => {
    await useMocks();
    const stack = new VaultStack("test", { target: { edition: "openbao", version: "2.6.1" } }, recording());
    const t = new TransitEngine("transit", { keys: [{ name: "orders" }, { name: "tmp", deletionAllowed: true }] }, { parent: stack });
    const p = new AclPolicy("p", { policyName: "p" }, { parent: stack });
    t.grantEncryptDecrypt(p, "orders");
    await settle();
    expect(optionsOf(KEY, "transit-key-orders").protect).toBe(true);
    expect(optionsOf(KEY, "transit-key-tmp").protect).toBeUndefined();
    expect(p.document().rules.map((r) => r.path)).toEqual(["transit/encrypt/orders", "transit/decrypt/orders"]);
    expect(() => t.grantSign(p, "nope")).toThrow('TransitEngine transit: no key "nope" (keys: orders, tmp)');
  });
});
