import { Testing } from "cdktf";
import { AclPolicy } from "../../../../constructs/cdktf/acl-policy";
import { TransitEngine } from "../../../../constructs/cdktf/transit-engine";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, onlyResource, resourcesOf, synth } from "./synth-helpers";

describe("TransitEngine", () => {
  it("keys of every type, convergent + derived, auto-rotate in seconds, deletion protection", () => {
    const json = synth((stack) => {
      new TransitEngine(stack, "transit", {
        keys: [
          { name: "cassandra-encryption", autoRotatePeriod: "720h" },
          { name: "tokens", type: "chacha20-poly1305", derived: true, convergentEncryption: true },
          { name: "signing", type: "ed25519" },
          { name: "attest", type: "ecdsa-p384", deletionAllowed: true },
        ],
      });
    });
    expect(onlyResource(json, "vault_mount")).toEqual({ path: "transit", type: "transit" });
    const keys = resourcesOf(json, "vault_transit_secret_backend_key");
    const byName = Object.fromEntries(keys.map((k) => [k.name, k]));
    expect(byName["cassandra-encryption"]).toEqual({
      backend: expect.stringMatching(/^\$\{vault_mount\./),
      name: "cassandra-encryption",
      type: "aes256-gcm96",
      derived: false,
      convergent_encryption: false,
      auto_rotate_period: 2_592_000,
      deletion_allowed: false,
      exportable: false,
      allow_plaintext_backup: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(byName.tokens).toMatchObject({ type: "chacha20-poly1305", derived: true, convergent_encryption: true });
    expect(byName.signing).toMatchObject({ type: "ed25519" });
    expect(byName.attest).toMatchObject({ type: "ecdsa-p384", deletion_allowed: true });
    expect(byName.attest.lifecycle).toBeUndefined();
  });

  it("refuses convergent keys without derivation and sub-hour rotation, naming the key index", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    expect(() => new TransitEngine(stack, "t1", { keys: [{ name: "k", convergentEncryption: true }] })).toThrow(
      "TransitEngine(t1).keys[0].convergentEncryption: convergent encryption requires derived: true",
    );
    expect(() => new TransitEngine(stack, "t2", { keys: [{ name: "k", autoRotatePeriod: "10m" }] })).toThrow(
      /TransitEngine\(t2\)\.keys\[0\]\.autoRotatePeriod/,
    );
    expect(() => new TransitEngine(stack, "t3", { keys: [{ name: "k" }, { name: "k" }] })).toThrow(
      /keys\[1\]\.name: key "k" is declared twice/,
    );
  });

  it("grants encrypt/decrypt/sign/verify on one key only", () => {
    const json = synth((stack) => {
      const t = new TransitEngine(stack, "transit", { keys: [{ name: "data" }, { name: "sig", type: "ed25519" }] });
      const p = new AclPolicy(stack, "p", { policyName: "p" });
      t.grantEncryptDecrypt(p, "data");
      t.grantSign(p, "sig");
      t.grantVerify(p, "sig");
      expect(() => t.grantEncrypt(p, "nope")).toThrow(/no key "nope"/);
    });
    expect(String(onlyResource(json, "vault_policy").policy).match(/path "[^"]+"/g)).toEqual([
      'path "transit/encrypt/data"',
      'path "transit/decrypt/data"',
      'path "transit/sign/sig"',
      'path "transit/verify/sig"',
    ]);
  });
});
