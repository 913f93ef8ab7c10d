import { toPlain } from "../../../../model/graph";
import { kvV2Fragment, kvSchema } from "../../../../model/kinds/kv-v2";

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
