import { KvV2Store } from "../../../../constructs/pulumi/kv-v2-store";
import { Namespace } from "../../../../constructs/pulumi/namespace";
import { VaultStack } from "../../../../constructs/pulumi/vault-stack";
import { registered, settle, useMocks } from "./pulumi-harness";

describe("Namespace", () => {
  it("components parented to a namespace are created in it; namespaces nest", async () => {
    await useMocks();
    const stack = new VaultStack("test", { target: { edition: "openbao", version: "2.6.1" } });
    const tenant = new Namespace("tenant", { path: "tenant", customMetadata: { owner: "a" } }, { parent: stack });
    const team = new Namespace("tenant-team", { path: "team" }, { parent: tenant });
    new KvV2Store("tenant-team-kv", {}, { parent: team });
    await settle();
    const inputs = new Map(registered().map((r) => [r.name, r.inputs]));
    expect(inputs.get("tenant-namespace")).toEqual({ path: "tenant", customMetadata: { owner: "a" } });
    expect(inputs.get("tenant-team-namespace")).toEqual({ path: "team", namespace: "ref:tenant-namespace.path_fq" });
    expect(inputs.get("tenant-team-kv-mount")).toMatchObject({ namespace: "ref:tenant-team-namespace.path_fq" });
    expect(inputs.get("tenant-team-kv-config")).toMatchObject({ namespace: "ref:tenant-team-namespace.path_fq" });
  });

  it("needs a declared target that has namespaces", async () => {
    await useMocks();
    expect(() => new Namespace("ns", { path: "a" })).toThrow(/namespaces need a declared target server/);
  });
});
