import { toPlain } from "../../../../model/graph";
import { PathRule } from "../../../../policies/policy-document";
import { TransitGrants, transitFragment, transitInput, transitIssues, transitSchema } from "../../../../model/kinds/transit";

describe("secrets engine fragments", () => {
  it("transit: every key type, convergent + derived, auto-rotate in seconds, deletion protection", () => {
    const spec = transitSchema.parse({
      mount: "transit",
      keys: [
        { name: "aes", type: "aes256-gcm96", derived: true, convergentEncryption: true, autoRotatePeriod: "720h" },
        { name: "chacha", type: "chacha20-poly1305" },
        { name: "ed", type: "ed25519" },
        { name: "ec", type: "ecdsa-p384", deletionAllowed: true },
      ],
    });
    const fragment = transitFragment(spec, { owner: "t" });
    // Constructs find their resources by these names, never by position.
    expect(fragment.ids.mount).toBe("t.mount");
    const keyNames = new Map(fragment.resources.map((r) => [r.id, r.attributes.name]));
    expect([...fragment.ids.keys].map(([name, id]) => [name, keyNames.get(id)])).toEqual([
      ["aes", "aes"],
      ["chacha", "chacha"],
      ["ed", "ed"],
      ["ec", "ec"],
    ]);
    const plain = toPlain(fragment.resources);
    expect(plain[0]).toEqual({ type: "vault_mount", id: "t.mount", protect: false, attributes: { path: "transit", type: "transit" } });
    expect(plain[1]).toEqual({
      type: "vault_transit_secret_backend_key",
      id: "t.key-aes",
      protect: true,
      attributes: {
        backend: "${t.mount.path}",
        name: "aes",
        type: "aes256-gcm96",
        derived: true,
        convergent_encryption: true,
        auto_rotate_period: 2_592_000,
        deletion_allowed: false,
        exportable: false,
        allow_plaintext_backup: false,
      },
    });
    expect(plain.slice(2).map((d) => [d.id, (d.attributes as { type: string }).type, d.protect])).toEqual([
      ["t.key-chacha", "chacha20-poly1305", true],
      ["t.key-ed", "ed25519", true],
      ["t.key-ec", "ecdsa-p384", false],
    ]);
  });

  it("transit: a key's optional minimum decryption version and the namespace reach the key", () => {
    const spec = transitSchema.parse({ mount: "t", keys: [{ name: "k", minDecryptionVersion: 2 }] });
    const plain = toPlain(transitFragment(spec, { owner: "o", namespace: "team" }).resources);
    expect(plain[0].attributes).toEqual({ path: "t", type: "transit", namespace: "team" });
    expect(plain[1].attributes).toMatchObject({ backend: "${o.mount.path}", min_decryption_version: 2, namespace: "team" });
  });
});

describe("transit construct input and per-key issues", () => {
  it("transitInput: the default mount, no keys, and absent options left out for the schema's defaults", () => {
    expect(transitInput({})).toEqual({ mount: "transit", keys: [] });
    expect(transitInput({ mountPath: "enc", keys: [{ name: "k", derived: undefined, exportable: true }] })).toEqual({
      mount: "enc",
      keys: [{ name: "k", exportable: true }],
    });
  });

  it("transitIssues: a key declared twice and each key's rules, with paths under keys[i]", () => {
    const spec = transitSchema.parse({
      mount: "t",
      keys: [{ name: "a" }, { name: "b", convergentEncryption: true, derived: true }, { name: "a", autoRotatePeriod: "10m" }],
    });
    expect(transitIssues(spec)).toEqual([
      { path: ["keys", 2, "name"], message: 'key "a" is declared twice' },
      {
        path: ["keys", 2, "autoRotatePeriod"],
        message: "auto-rotate period 600s (10m) is below Vault's minimum of 1h (use 0 to disable)",
      },
    ]);
    expect(transitIssues(transitSchema.parse({ mount: "t", keys: [{ name: "a" }, { name: "b" }] }))).toEqual([]);
    expect(transitSchema.parse({ mount: "t" }).keys).toEqual([]);
  });

  it("minDecryptionVersion is a version number from 1", () => {
    const key = (v: number) => transitSchema.safeParse({ mount: "t", keys: [{ name: "k", minDecryptionVersion: v }] }).success;
    expect([0, 1, 5, 1.5].map(key)).toEqual([false, true, true, false]);
  });
});

describe("TransitGrants", () => {
  const grantee = () => {
    const rules: PathRule[] = [];
    return { policyName: "app", rules, addRules: (...r: PathRule[]) => rules.push(...r) };
  };

  it("signs and verifies on the key's own paths", () => {
    const t = new TransitGrants({ mountPath: "tr", keyNames: new Set(["sig"]), label: "s/t" });
    const p = grantee();
    expect([...t.grantSign(p, "sig"), ...t.grantEncrypt(p, "sig"), ...t.grantDecrypt(p, "sig")]).toEqual([
      { path: "tr/sign/sig", capabilities: ["update"] },
      { path: "tr/encrypt/sig", capabilities: ["update"] },
      { path: "tr/decrypt/sig", capabilities: ["update"] },
    ]);
    expect(p.rules).toHaveLength(3);
  });

  it("an unknown key is refused with the keys there are, or none", () => {
    const two = new TransitGrants({ mountPath: "tr", keyNames: new Set(["a", "b"]), label: "s/t" });
    expect(() => two.grantEncrypt(grantee(), "c")).toThrow('TransitEngine s/t: no key "c" (keys: a, b)');
    const none = new TransitGrants({ mountPath: "tr", keyNames: new Set(), label: "s/t" });
    expect(() => none.grantDecrypt(grantee(), "c")).toThrow('TransitEngine s/t: no key "c" (keys: none)');
  });
});
