import { Testing } from "cdktf";
import { AclPolicy } from "../../../../constructs/cdktf/acl-policy";
import { KvV2Store } from "../../../../constructs/cdktf/kv-v2-store";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, logicalIdOf, onlyResource, synth } from "./synth-helpers";

describe("KvV2Store", () => {
  it("mount with options.version 2 and engine config with seconds", () => {
    const json = synth(
      (stack) =>
        new KvV2Store(stack, "kv", {
          mountPath: "secret",
          maxVersions: 10,
          casRequired: true,
          deleteVersionAfter: "90d",
          description: "app secrets",
        }),
    );
    expect(onlyResource(json, "vault_mount")).toEqual({
      path: "secret",
      type: "kv",
      options: { version: "2" },
      description: "app secrets",
    });
    expect(onlyResource(json, "vault_kv_secret_backend_v2")).toEqual({
      mount: `\${vault_mount.${logicalIdOf(json, "vault_mount")}.path}`,
      max_versions: 10,
      cas_required: true,
      delete_version_after: 7_776_000,
    });
  });

  it("defaults: mount 'secret', no CAS, keep versions forever", () => {
    const json = synth((stack) => new KvV2Store(stack, "kv"));
    expect(onlyResource(json, "vault_kv_secret_backend_v2")).toMatchObject({
      max_versions: 0,
      cas_required: false,
      delete_version_after: 0,
    });
    expect(onlyResource(json, "vault_mount").path).toBe("secret");
  });

  it("grants cover data/ and metadata/ with exactly the documented capabilities", () => {
    const json = synth((stack) => {
      const kv = new KvV2Store(stack, "kv", { mountPath: "secret" });
      const reader = new AclPolicy(stack, "reader", { policyName: "reader" });
      kv.grantRead(reader, "app/*");
      const writer = new AclPolicy(stack, "writer", { policyName: "writer" });
      kv.grantWrite(writer, "app/*");
      kv.grantDelete(writer, "app/*");
      kv.grantDestroy(writer, "app/*");
      kv.grantList(writer);
      kv.grantReadWrite(writer, "shared/config");
    });
    const policies = Object.values(json.resource!.vault_policy);
    expect(policies.find((p) => p.name === "reader")?.policy).toBe(
      'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n\npath "secret/metadata/app/*" {\n  capabilities = ["read", "list"]\n}\n',
    );
    const writer = String(policies.find((p) => p.name === "writer")?.policy);
    expect(writer.match(/path "[^"]+" \{\n {2}capabilities = \[[^\]]+\]/g)).toEqual([
      'path "secret/data/app/*" {\n  capabilities = ["create", "update", "patch"]',
      'path "secret/metadata/app/*" {\n  capabilities = ["read"]',
      'path "secret/data/app/*" {\n  capabilities = ["delete"]',
      'path "secret/delete/app/*" {\n  capabilities = ["update"]',
      'path "secret/undelete/app/*" {\n  capabilities = ["update"]',
      'path "secret/destroy/app/*" {\n  capabilities = ["update"]',
      'path "secret/metadata/app/*" {\n  capabilities = ["delete"]',
      'path "secret/metadata/*" {\n  capabilities = ["list"]',
      'path "secret/data/shared/config" {\n  capabilities = ["create", "read", "update", "patch"]',
      'path "secret/metadata/shared/config" {\n  capabilities = ["read", "list"]',
    ]);
  });

  it("refuses patterns that would double the API prefix, and bad props with the construct path", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    const kv = new KvV2Store(stack, "kv");
    const p = new AclPolicy(stack, "p", { policyName: "p" });
    expect(() => kv.grantRead(p, "data/app/*")).toThrow(/must not start with a KV v2 API prefix/);
    expect(() => kv.grantRead(p, "/app")).toThrow(/no leading/);
    expect(() => new KvV2Store(stack, "bad", { maxVersions: -1 })).toThrow(/KvV2Store\(bad\)\.maxVersions/);
    expect(() => new KvV2Store(stack, "bad2", { deleteVersionAfter: "soon" })).toThrow(
      /KvV2Store\(bad2\)\.deleteVersionAfter: invalid duration "soon"/,
    );
  });

  it("fromMountPath grants on an existing mount", () => {
    const json = synth((stack) => {
      const kv = KvV2Store.fromMountPath(stack, "legacy", "/legacy-kv/");
      kv.grantRead(new AclPolicy(stack, "p", { policyName: "p" }));
    });
    expect(onlyResource(json, "vault_policy").policy).toContain('path "legacy-kv/data/*"');
    expect(json.resource?.vault_mount).toBeUndefined();
  });
});
