import {
  AttrRef,
  LazyValue,
  ResourceGraph,
  SecretInput,
  compact,
  nonEmpty,
  ownerId,
  referencesOf,
  sortedSet,
  toPlain,
} from "../../../model/graph";

describe("resource graph", () => {
  it("keeps descriptors in insertion order and refuses duplicate ids", () => {
    const g = new ResourceGraph();
    g.add({ type: "vault_mount", id: "kv.mount", attributes: { path: "secret", type: "kv" } });
    g.add({ type: "vault_kv_secret_backend_v2", id: "kv.config", attributes: { mount: new AttrRef("kv.mount", "path") } });
    expect(g.resources.map((d) => d.id)).toEqual(["kv.mount", "kv.config"]);
    expect(g.get("kv.config")?.type).toBe("vault_kv_secret_backend_v2");
    expect(() => g.add({ type: "vault_mount", id: "kv.mount", attributes: {} })).toThrow('resource graph: duplicate logical id "kv.mount"');
  });

  it("finds references, including those to resources outside the graph", () => {
    const g = new ResourceGraph();
    g.add({
      type: "vault_pki_secret_backend_role",
      id: "int.role",
      attributes: { backend: new AttrRef("int.mount", "path"), list: [new AttrRef("root.cert", "issuer_id")] },
    });
    expect(referencesOf(g.resources[0].attributes).map(String)).toEqual(["${int.mount.path}", "${root.cert.issuer_id}"]);
    expect(g.externalReferences()).toEqual(["int.mount", "root.cert"]);
  });

  it("renders a plain view: references, secret inputs and lazy values", () => {
    const plain = toPlain([
      {
        type: "vault_policy",
        id: "p.policy",
        protect: true,
        attributes: {
          name: "p",
          policy: new LazyValue(() => "path"),
          ref: new AttrRef("x.y", "imported_issuers", 0),
          pw: new SecretInput("pw"),
          m: { a: 1 },
        },
      },
    ]);
    expect(plain).toEqual([
      {
        type: "vault_policy",
        id: "p.policy",
        protect: true,
        attributes: { name: "p", policy: "path", ref: "${x.y.imported_issuers[0]}", pw: "${var.pw}", m: { a: 1 } },
      },
    ]);
  });

  it("canonical helpers", () => {
    expect(compact({ a: 1, b: undefined, c: false })).toEqual({ a: 1, c: false });
    expect(sortedSet(["b", "a", "b"])).toEqual(["a", "b"]);
    expect(nonEmpty([])).toBeUndefined();
    expect(nonEmpty(["a"])).toEqual(["a"]);
    expect(ownerId("pki.root/role x")).toBe("pki-root/role-x");
    expect(() => ownerId("")).toThrow(/must not be empty/);
  });
});
