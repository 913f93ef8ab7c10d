import { AclPolicy } from "../../../../constructs/pulumi/acl-policy";
import { KvV2Store } from "../../../../constructs/pulumi/kv-v2-store";
import { registered, settle, useMocks } from "./pulumi-harness";

describe("KvV2Store", () => {
  it("mounts kv version 2 and configures the engine on that mount", async () => {
    await useMocks();
    new KvV2Store("kv", { maxVersions: 5, casRequired: true, deleteVersionAfter: "1h" });
    await settle();
    expect(registered().map((r) => [r.type, r.name, r.inputs])).toEqual([
      ["vaultsmith:kv:KvV2Store", "kv", {}],
      ["vault:index/mount:Mount", "kv-mount", { path: "secret", type: "kv", options: { version: "2" } }],
      [
        "vault:kv/secretBackendV2:SecretBackendV2",
        "kv-config",
        { mount: "ref:kv-mount.path", maxVersions: 5, casRequired: true, deleteVersionAfter: 3600 },
      ],
    ]);
  });

  it("grants cover data/ and metadata/; imported stores grant the same; bad patterns are refused", async () => {
    await useMocks();
    const kv = new KvV2Store("kv", { mountPath: "apps" });
    const p = new AclPolicy("p", { policyName: "p" });
    kv.grantRead(p, "team/*");
    KvV2Store.fromMountPath("/legacy/").grantWrite(p);
    expect(p.document().rules.map((r) => [r.path, r.capabilities])).toEqual([
      ["apps/data/team/*", ["read"]],
      ["apps/metadata/team/*", ["read", "list"]],
      ["legacy/data/*", ["create", "update", "patch"]],
      ["legacy/metadata/*", ["read"]],
    ]);
    expect(() => kv.grantRead(p, "data/x")).toThrow(/must not start with a KV v2 API prefix/);
    await settle();
  });
});
