import { toPlain } from "../../../../model/graph";
import { transitFragment, transitSchema } from "../../../../model/kinds/transit";

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
});
