import {
  canonicalJson,
  diffInventories,
  isIdentical,
  sha256Hex,
  EstateInventory,
} from "../../../../../runtime/ops/estate/estate-checksums";
import { inNamespace, normalizeNamespace } from "../../../../../runtime/ops/estate/namespaced";
import { Requester } from "../../../../../runtime/transport/requester";
import { OpsInputError } from "../../../../../runtime/ops/ops-input-error";

const inv = (entries: [string, string][]): EstateInventory => ({
  namespace: "",
  entries: entries.map(([name, sha]) => ({ kind: name.includes("/") ? "kv" : "policy", name, sha256: sha })),
  digest: "",
});

describe("estate checksums", () => {
  it("canonical JSON sorts keys at every level and keeps arrays in order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("diffs inventories into missing, changed and extra", () => {
    const expected = inv([
      ["secret/a", "1"],
      ["secret/b", "2"],
      ["p1", "3"],
    ]);
    const actual = inv([
      ["secret/a", "1"],
      ["secret/b", "X"],
      ["p2", "4"],
    ]);
    const diff = diffInventories(expected, actual);
    expect(diff).toEqual({ missing: ["policy:p1"], changed: ["kv:secret/b"], extra: ["policy:p2"] });
    expect(isIdentical(diff)).toBe(false);
    expect(isIdentical(diffInventories(expected, expected))).toBe(true);
    expect(diffInventories(inv([["old/a", "1"]]), inv([["new/a", "1"]]), (n) => n.replace(/^old/, "new"))).toEqual({
      missing: [],
      changed: [],
      extra: [],
    });
  });
});

describe("namespaced requests", () => {
  it("normalizes paths and refuses bad segments", () => {
    expect(normalizeNamespace("/a/b/")).toBe("a/b");
    expect(normalizeNamespace("")).toBe("");
    expect(() => normalizeNamespace("a//b")).toThrow('invalid segment ""');
    expect(() => normalizeNamespace("a/../b")).toThrow('".."');
    expect(() => normalizeNamespace("a b")).toThrow("invalid segment");
    expect(() => normalizeNamespace("a b")).toThrow(OpsInputError);
  });

  it("adds the namespace to requests that name none, and leaves the root requester as it is", async () => {
    const seen: (string | undefined)[] = [];
    const base: Requester = {
      setToken: () => undefined,
      request: async (req) => (seen.push(req.namespace), { status: 200, body: undefined }),
    };
    const scoped = inNamespace(base, "t/");
    await scoped.request({ method: "GET", path: "x" }, { retryClass: "idempotent", kind: "read" });
    await scoped.request({ method: "GET", path: "x", namespace: "other" }, { retryClass: "idempotent", kind: "read" });
    expect(seen).toEqual(["t", "other"]);
    expect(inNamespace(base, "")).toBe(base);
    expect(inNamespace(base, undefined)).toBe(base);
  });
});
