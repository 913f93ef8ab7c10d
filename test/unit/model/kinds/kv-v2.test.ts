import { AttrRef, toPlain } from "../../../../model/graph";
import { KvV2Grants, kvGrantRules, kvInput, kvSchema, kvV2Fragment } from "../../../../model/kinds/kv-v2";
import { PathRule } from "../../../../policies/policy-document";

describe("secrets engine fragments", () => {
  it("KV v2: kv mount with options.version 2 and engine config in seconds", () => {
    const f = kvV2Fragment(kvSchema.parse({ mount: "/secret/", maxVersions: 10, casRequired: true, deleteVersionAfter: "30d" }), {
      owner: "kv-secret",
    });
    expect(toPlain(f.resources)).toEqual([
      { type: "vault_mount", id: "kv-secret.mount", protect: false, attributes: { path: "secret", type: "kv", options: { version: "2" } } },
      {
        type: "vault_kv_secret_backend_v2",
        id: "kv-secret.config",
        protect: false,
        attributes: { mount: "${kv-secret.mount.path}", max_versions: 10, cas_required: true, delete_version_after: 2_592_000 },
      },
    ]);
  });
});

describe("KV v2 fragment details, input and grants", () => {
  it("description, namespace, schema defaults and ids", () => {
    const spec = kvSchema.parse({ mount: "kv", description: "app secrets" });
    expect(spec).toEqual({ mount: "kv", description: "app secrets", maxVersions: 0, casRequired: false, deleteVersionAfter: 0 });
    const f = kvV2Fragment(spec, { owner: "o", namespace: "team" });
    expect(f.ids).toEqual({ mount: "o.mount", config: "o.config" });
    expect(f.mountPath).toEqual(new AttrRef("o.mount", "path"));
    expect(toPlain(f.resources).map((r) => r.attributes)).toEqual([
      { path: "kv", type: "kv", options: { version: "2" }, description: "app secrets", namespace: "team" },
      { mount: "${o.mount.path}", max_versions: 0, cas_required: false, delete_version_after: 0, namespace: "team" },
    ]);
    expect([-1, 0, 1.5].map((maxVersions) => kvSchema.safeParse({ mount: "kv", maxVersions }).success)).toEqual([false, true, false]);
  });

  it("kvInput: mount path default secret, unset options left out", () => {
    expect(kvInput({})).toEqual({ mount: "secret" });
    expect(kvInput({ mountPath: "kv", maxVersions: 5, description: undefined })).toEqual({ mount: "kv", maxVersions: 5 });
  });

  it("each grant: its paths under the mount and capabilities, pattern * by default", () => {
    const rules: PathRule[] = [];
    const policy = { policyName: "p", addRules: (...r: PathRule[]) => rules.push(...r) };
    const kv = new KvV2Grants("kv");
    expect(kv.mountPath).toBe("kv");
    expect(kv.grantRead(policy)).toEqual([
      { path: "kv/data/*", capabilities: ["read"] },
      { path: "kv/metadata/*", capabilities: ["read", "list"] },
    ]);
    expect(kv.grantWrite(policy, "app/*")).toEqual([
      { path: "kv/data/app/*", capabilities: ["create", "update", "patch"] },
      { path: "kv/metadata/app/*", capabilities: ["read"] },
    ]);
    expect(kv.grantReadWrite(policy)).toEqual([
      { path: "kv/data/*", capabilities: ["create", "read", "update", "patch"] },
      { path: "kv/metadata/*", capabilities: ["read", "list"] },
    ]);
    expect(kv.grantDelete(policy, "app")).toEqual([
      { path: "kv/data/app", capabilities: ["delete"] },
      { path: "kv/delete/app", capabilities: ["update"] },
      { path: "kv/undelete/app", capabilities: ["update"] },
    ]);
    expect(kv.grantDestroy(policy)).toEqual([
      { path: "kv/destroy/*", capabilities: ["update"] },
      { path: "kv/metadata/*", capabilities: ["delete"] },
    ]);
    expect(kv.grantList(policy)).toEqual([{ path: "kv/metadata/*", capabilities: ["list"] }]);
    expect(rules).toHaveLength(12);
    expect([kv.grantWrite(policy), kv.grantDelete(policy)].map((granted) => granted[0].path)).toEqual(["kv/data/*", "kv/data/*"]);
  });

  it("a pattern is relative to the mount and names no KV v2 API prefix", () => {
    expect(() => kvGrantRules("kv", "read", "/app")).toThrow('KV grant pattern "/app" must be relative to the mount (no leading "/")');
    for (const pattern of ["data", "data/app", "metadata/x", "delete/x", "undelete/x", "destroy/x"]) {
      expect(() => kvGrantRules("kv", "read", pattern)).toThrow(
        `KV grant pattern "${pattern}" must not start with a KV v2 API prefix: grants add data/, metadata/, ... themselves`,
      );
    }
    // Only the whole first segment counts: these are ordinary secret names.
    expect(kvGrantRules("kv", "list", "database/x")).toEqual([{ path: "kv/metadata/database/x", capabilities: ["list"] }]);
    expect(kvGrantRules("kv", "list", "app/data")).toEqual([{ path: "kv/metadata/app/data", capabilities: ["list"] }]);
  });
});
