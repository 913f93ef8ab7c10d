/**
 * The transit engine against a real dev server. Where a claim rests on OpenBao's own behaviour
 * (the 1,000-strings limit, encrypt's upsert, a context ignored by a non-derived key, HMAC
 * verification reading `algorithm`), the test shows that behaviour with a raw harness call first,
 * so the client's workaround is tested against the real thing. Signatures are checked a second
 * time with node:crypto and the public key OpenBao publishes; HMACs with an exported key.
 */
import { createHash, createHmac, createPublicKey, generateKeyPairSync, verify as nodeVerify } from "node:crypto";
import { inspect } from "node:util";
import {
  Requester,
  TransitApi,
  TransitBatchResult,
  TransitCiphertextError,
  TransitContextError,
  TransitError,
  TransitInputError,
  TransitKeyExistsError,
  TransitKeyNotFoundError,
  TransitKeyVersionTooOldError,
  VaultClient,
  VaultRequest,
  openFromKv,
  sealToKv,
} from "../../../../runtime";
import { jsonCost } from "../../../../runtime/engines/transit-batch";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { call } from "../../../support/harness-http";
import { selectedFlavors } from "../../../support/server-binaries";
import { admin } from "../../../support/vault-admin";

const text = new TextEncoder();

/** Every rendering of `values` a log line could carry. */
function rendered(values: readonly unknown[]): string {
  return values.map((v) => `${String(v)}\n${JSON.stringify(v)}\n${inspect(v, { depth: 6, showHidden: true })}`).join("\n");
}

function values<T>(results: readonly TransitBatchResult<T>[]): T[] {
  return results.map((r, i) => {
    expect(r.index).toBe(i);
    if (!r.ok) throw r.error;
    return r.value;
  });
}

describe.each(selectedFlavors())("transit engine against a real %s dev server", (flavor) => {
  let server: DevServer;
  let client: VaultClient;
  let transit: TransitApi;
  /** Requests the counted API sent. */
  const sent: VaultRequest[] = [];
  let counted: TransitApi;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    await admin(server, "POST", "sys/mounts/transit", { type: "transit" });
    // Keys several tests use, made by the harness so no test depends on another.
    await admin(server, "POST", "transit/keys/shared", {});
    await admin(server, "POST", "transit/keys/per-app", { derived: true });
    await admin(server, "POST", "transit/keys/ed", { type: "ed25519" });
    await admin(server, "POST", "transit/keys/ec384", { type: "ecdsa-p384" });
    client = new VaultClient({ address: server.address, token: server.token });
    transit = client.transit();
    const counting: Requester = {
      setToken: (token) => client.setToken(token),
      request: (req, policy) => {
        sent.push(req);
        return client.request(req, policy);
      },
    };
    counted = new TransitApi(counting, "transit");
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  beforeEach(() => {
    sent.length = 0;
  });

  const keyExists = async (name: string): Promise<boolean> =>
    (await call(server.address, "GET", `transit/keys/${name}`, { token: server.token })).status === 200;

  it("creates keys with safe defaults, refuses to silently keep a different existing key, and shares one API per mount", async () => {
    expect(client.transit("transit")).toBe(transit);
    const aes = await transit.createKey("defaults");
    expect(aes).toMatchObject({ name: "defaults", type: "aes256-gcm96", derived: false, convergentEncryption: false, exportable: false });
    expect(aes.latestVersion).toBe(1);
    expect(aes.versions.map((v) => v.version)).toEqual([1]);
    // Same settings again: harmless.
    expect((await transit.createKey("defaults")).latestVersion).toBe(1);
    // Other settings: OpenBao answers 200 with the old key; the client says so.
    const clash = await transit.createKey("defaults", { type: "chacha20-poly1305", derived: true }).catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(TransitKeyExistsError);
    expect((clash as TransitKeyExistsError).differences).toEqual({ type: ["chacha20-poly1305", "aes256-gcm96"], derived: [true, false] });
    expect((await transit.readKey("defaults"))?.type).toBe("aes256-gcm96");

    const chacha = await transit.createKey("chacha", { type: "chacha20-poly1305" });
    expect(chacha.supportsEncryption).toBe(true);
    const sealed = await transit.encrypt("chacha", "over chacha");
    expect(await transit.decrypt("chacha", sealed.ciphertext, { as: "text" })).toBe("over chacha");

    const ed = await transit.createKey("ed-new", { type: "ed25519" });
    expect(ed).toMatchObject({ type: "ed25519", supportsSigning: true, supportsEncryption: false, exportable: false });
    expect(ed.versions[0].publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const ec = await transit.createKey("ec-new", { type: "ecdsa-p384" });
    expect(ec).toMatchObject({ type: "ecdsa-p384", supportsSigning: true, exportable: false });
    expect(ec.versions[0].publicKey).toContain("BEGIN PUBLIC KEY");
    const hmacKey = await transit.createKey("hmac-only", { type: "hmac", key_size: 48 });
    expect(hmacKey).toMatchObject({ type: "hmac", keySize: 48, supportsEncryption: false, supportsSigning: false });
    // OpenBao 2.6.1 refuses an hmac key without key_size (500); the client sends 32.
    expect((await transit.createKey("hmac-default", { type: "hmac" })).keySize).toBe(32);

    await expect(transit.createKey("conv", { convergent_encryption: true })).rejects.toMatchObject({ field: "convergent_encryption" });
    await expect(transit.createKey("bad/rotate")).rejects.toBeInstanceOf(TransitInputError);
    expect(await keyExists("conv")).toBe(false);
    expect(await transit.listKeys()).toEqual(expect.arrayContaining(["chacha", "defaults", "ec-new", "ed-new", "hmac-only"]));
    expect(await transit.listKeys()).not.toContain("conv");
  });

  it("round-trips a batch of 10,000 items in order, in requests under the server's 1,000-strings limit", async () => {
    await transit.createKey("bulk");
    // The limit the split exists for: 499 items (999 strings) pass, 500 do not.
    const raw = (n: number) =>
      call<{ errors?: string[] }>(server.address, "POST", "transit/encrypt/bulk", {
        token: server.token,
        body: { batch_input: Array.from({ length: n }, () => ({ plaintext: "aGk=" })) },
      });
    expect((await raw(499)).status).toBe(200);
    const refused = await raw(500);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.join()).toContain("exceeded maximum number of strings");

    const plaintexts = Array.from({ length: 10_000 }, (_, i) => (i % 2 === 0 ? `record-${i}` : text.encode(`bytes-${i}`)));
    plaintexts[17] = "";
    const encrypted = values(await counted.encryptBatch("bulk", plaintexts));
    expect(encrypted).toHaveLength(10_000);
    expect(encrypted.every((c) => c.keyVersion === 1 && c.ciphertext.startsWith("vault:v1:"))).toBe(true);
    expect(new Set(encrypted.map((c) => c.ciphertext)).size).toBe(10_000);
    // Sentinel type + batch_input: 3 strings, 2 per item: 498 items per request.
    expect(sent).toHaveLength(Math.ceil(10_000 / 498));
    for (const req of sent) expect(jsonCost(req.body as never).strings).toBeLessThanOrEqual(1_000);

    sent.length = 0;
    const decrypted = values(
      await counted.decryptBatch(
        "bulk",
        encrypted.map((c) => c.ciphertext),
      ),
    );
    expect(sent).toHaveLength(Math.ceil(10_000 / 499));
    decrypted.forEach((bytes, i) => {
      const expected = plaintexts[i];
      expect(bytes).toEqual(typeof expected === "string" ? text.encode(expected) : expected);
    });
    expect(decrypted[17]).toEqual(new Uint8Array());
    const asText = values(
      await transit.decryptBatch(
        "bulk",
        encrypted.slice(0, 4).map((c) => c.ciphertext),
        { as: "text" },
      ),
    );
    expect(asText).toEqual(["record-0", "bytes-1", "record-2", "bytes-3"]);
  });

  it("reports a failed batch item at its index with a typed error naming mount, key and path, and decrypts the rest", async () => {
    await transit.createKey("items");
    const [a, b] = values(await transit.encryptBatch("items", ["first secret", "second secret"]));
    const results = await transit.decryptBatch("items", [a.ciphertext, "vault:v1:AAAA", "not-a-ciphertext", b.ciphertext], { as: "text" });
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(results[0]).toEqual({ index: 0, ok: true, value: "first secret" });
    expect(results[3]).toEqual({ index: 3, ok: true, value: "second secret" });
    for (const index of [1, 2]) {
      const result = results[index];
      if (result.ok) throw new Error("expected a failure");
      expect(result.index).toBe(index);
      expect(result.error).toBeInstanceOf(TransitCiphertextError);
      const error = result.error as TransitCiphertextError;
      expect(error).toMatchObject({ index, mount: "transit", key: "items", path: "transit/decrypt/items", status: 400 });
      expect(error.message).toContain(`batch item ${index}`);
    }
    // Bytes that are not UTF-8, asked for as text: that item fails, the others do not.
    const binary = await transit.encrypt("items", new Uint8Array([0xff, 0xfe, 0x00]));
    const asText = await transit.decryptBatch("items", [a.ciphertext, binary.ciphertext], { as: "text" });
    expect(asText[0]).toEqual({ index: 0, ok: true, value: "first secret" });
    expect(
      !asText[1].ok && asText[1].error instanceof TransitInputError && asText[1].error.field === "as" && asText[1].error.index === 1,
    ).toBe(true);
    await expect(transit.decrypt("items", binary.ciphertext, { as: "text" })).rejects.toMatchObject({ field: "as" });
    expect(await transit.decrypt("items", binary.ciphertext)).toEqual(new Uint8Array([0xff, 0xfe, 0x00]));

    const failures = results.filter((r) => !r.ok);
    expect(rendered(failures)).not.toMatch(/vault:v1:AAAA|not-a-ciphertext|first secret|second secret/);
    expect(rendered(failures)).not.toContain(a.ciphertext);
  });

  it("derives a key per context: different contexts give different ciphertexts, and the wrong or no context is a typed error", async () => {
    const one = await transit.encrypt("per-app", "same plaintext", { context: "app-a" });
    const two = await transit.encrypt("per-app", "same plaintext", { context: "app-b" });
    expect(one.ciphertext).not.toBe(two.ciphertext);
    expect(await transit.decrypt("per-app", one.ciphertext, { context: "app-a", as: "text" })).toBe("same plaintext");
    expect(await transit.decrypt("per-app", two.ciphertext, { context: text.encode("app-b"), as: "text" })).toBe("same plaintext");

    const wrong = await transit.decrypt("per-app", one.ciphertext, { context: "app-b" }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(TransitContextError);
    expect(wrong).toMatchObject({ reason: "mismatch", mount: "transit", key: "per-app", path: "transit/decrypt/per-app", status: 400 });
    const missing = await transit.decrypt("per-app", one.ciphertext).catch((e: unknown) => e);
    expect(missing).toMatchObject({ reason: "missing" });
    await expect(transit.encrypt("per-app", "x")).rejects.toMatchObject({ reason: "missing" });
    expect(rendered([wrong, missing])).not.toMatch(/same plaintext|app-a|app-b|YXBwL/);
    expect(rendered([wrong, missing])).not.toContain(one.ciphertext);

    // A batch with one context for all: every item under the application's key.
    const batch = values(await transit.encryptBatch("per-app", ["x", "y"], { context: "app-a" }));
    expect(
      values(
        await transit.decryptBatch(
          "per-app",
          batch.map((c) => c.ciphertext),
          { context: "app-a", as: "text" },
        ),
      ),
    ).toEqual(["x", "y"]);
    const crossed = await transit.decryptBatch(
      "per-app",
      batch.map((c) => c.ciphertext),
      { context: "app-b" },
    );
    expect(crossed.map((r) => !r.ok && r.error instanceof TransitContextError && r.error.reason === "mismatch")).toEqual([true, true]);

    // Mixed contexts are refused before sending (OpenBao would refuse the whole request).
    const mixed = await counted
      .encryptBatch("per-app", [{ plaintext: "x", context: "app-a" }, { plaintext: "y" }])
      .catch((e: unknown) => e);
    expect(mixed).toBeInstanceOf(TransitInputError);
    expect(mixed).toMatchObject({ field: "context" });
    expect(sent).toHaveLength(0);
  });

  it("ignores a context for a key that is not derived (what OpenBao does: no key per context there)", async () => {
    await transit.createKey("not-derived");
    const sealed = await transit.encrypt("not-derived", "plain", { context: "app-a" });
    expect(await transit.decrypt("not-derived", sealed.ciphertext, { context: "app-b", as: "text" })).toBe("plain");
    expect(await transit.decrypt("not-derived", sealed.ciphertext, { as: "text" })).toBe("plain");
  });

  it("convergent encryption gives equal ciphertexts for equal plaintext and context, and only then", async () => {
    await transit.createKey("convergent", { derived: true, convergent_encryption: true });
    expect((await transit.readKey("convergent"))?.convergentEncryption).toBe(true);
    const a = await transit.encrypt("convergent", "alice@example.com", { context: "users" });
    const b = await transit.encrypt("convergent", "alice@example.com", { context: "users" });
    const otherPlain = await transit.encrypt("convergent", "bob@example.com", { context: "users" });
    const otherContext = await transit.encrypt("convergent", "alice@example.com", { context: "admins" });
    expect(a.ciphertext).toBe(b.ciphertext);
    expect(otherPlain.ciphertext).not.toBe(a.ciphertext);
    expect(otherContext.ciphertext).not.toBe(a.ciphertext);
    const batch = values(await transit.encryptBatch("convergent", ["alice@example.com", "bob@example.com"], { context: "users" }));
    expect(batch.map((c) => c.ciphertext)).toEqual([a.ciphertext, otherPlain.ciphertext]);
    expect(await transit.decrypt("convergent", a.ciphertext, { context: "users", as: "text" })).toBe("alice@example.com");
  });

  it("rotates, rewraps to the newest version, refuses versions below min_decryption_version with its own error, and trims", async () => {
    await transit.createKey("rotating");
    const old = await transit.encrypt("rotating", "kept across rotations");
    const oldBatch = values(await transit.encryptBatch("rotating", ["b0", "b1", "b2"]));
    expect(old.keyVersion).toBe(1);
    const rotated = await transit.rotateKey("rotating");
    expect(rotated.latestVersion).toBe(2);
    expect(rotated.versions.map((v) => v.version)).toEqual([1, 2]);
    expect((await transit.encrypt("rotating", "new")).keyVersion).toBe(2);
    // Old ciphertext still decrypts until the owner says otherwise.
    expect(await transit.decrypt("rotating", old.ciphertext, { as: "text" })).toBe("kept across rotations");

    const rewrapped = await transit.rewrap("rotating", old.ciphertext);
    expect(rewrapped.keyVersion).toBe(2);
    expect(rewrapped.ciphertext.startsWith("vault:v2:")).toBe(true);
    const rewrappedBatch = values(
      await transit.rewrapBatch(
        "rotating",
        oldBatch.map((c) => c.ciphertext),
      ),
    );
    expect(rewrappedBatch.every((c) => c.keyVersion === 2 && c.ciphertext.startsWith("vault:v2:"))).toBe(true);

    const configured = await transit.configureKey("rotating", { min_decryption_version: 2 });
    expect(configured).toMatchObject({ minDecryptionVersion: 2, minEncryptionVersion: 0, latestVersion: 2 });
    expect(configured.versions.map((v) => v.version)).toEqual([2]);
    const tooOld = await transit.decrypt("rotating", old.ciphertext).catch((e: unknown) => e);
    expect(tooOld).toBeInstanceOf(TransitKeyVersionTooOldError);
    expect(tooOld).not.toBeInstanceOf(TransitCiphertextError);
    expect(tooOld).toMatchObject({ version: 1, mount: "transit", key: "rotating", path: "transit/decrypt/rotating" });
    expect(rendered([tooOld])).not.toContain(old.ciphertext);
    await expect(transit.rewrap("rotating", old.ciphertext)).rejects.toBeInstanceOf(TransitKeyVersionTooOldError);
    const mixed = await transit.decryptBatch("rotating", [rewrapped.ciphertext, oldBatch[1].ciphertext], { as: "text" });
    expect(mixed[0]).toEqual({ index: 0, ok: true, value: "kept across rotations" });
    expect(!mixed[1].ok && mixed[1].error instanceof TransitKeyVersionTooOldError && mixed[1].error.index === 1).toBe(true);
    expect(
      values(
        await transit.decryptBatch(
          "rotating",
          rewrappedBatch.map((c) => c.ciphertext),
          { as: "text" },
        ),
      ),
    ).toEqual(["b0", "b1", "b2"]);

    // Lowering it again brings version 1 back — until it is trimmed.
    await transit.configureKey("rotating", { min_decryption_version: 1 });
    expect(await transit.decrypt("rotating", old.ciphertext, { as: "text" })).toBe("kept across rotations");
    await transit.configureKey("rotating", { min_decryption_version: 2, min_encryption_version: 2 });
    const trimmed = await transit.trimKey("rotating", 2);
    expect(trimmed.minAvailableVersion).toBe(2);
    const lower = await transit.configureKey("rotating", { min_decryption_version: 1 }).catch((e: unknown) => e);
    expect(lower).toBeInstanceOf(TransitError);
    expect((lower as TransitError).errors.join()).toContain("min available version");
    expect((await transit.readKey("rotating"))?.minDecryptionVersion).toBe(2);
  });

  it("signs and verifies with ed25519 and ECDSA P-384; node:crypto accepts the signatures with OpenBao's public keys", async () => {
    const message = text.encode("release v1.2.3 digest");
    const ed = await transit.readKey("ed");
    const edPublic = createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(ed!.versions[0].publicKey!, "base64").toString("base64url") },
      format: "jwk",
    });
    const edSig = await transit.sign("ed", message);
    expect(edSig.keyVersion).toBe(1);
    expect(await transit.verify("ed", message, edSig.signature)).toBe(true);
    expect(await transit.verify("ed", "release v1.2.4 digest", edSig.signature)).toBe(false);
    expect(nodeVerify(null, message, edPublic, Buffer.from(edSig.signature.slice("vault:v1:".length), "base64"))).toBe(true);
    // ed25519 signs the message itself: the hash options change nothing.
    expect((await transit.sign("ed", message, { hash_algorithm: "sha2-512" })).signature).toBe(edSig.signature);

    const ecPem = (await transit.readKey("ec384"))!.versions[0].publicKey!;
    const der = await transit.sign("ec384", message, { hash_algorithm: "sha2-384" });
    expect(nodeVerify("sha384", message, { key: ecPem, dsaEncoding: "der" }, Buffer.from(der.signature.slice(9), "base64"))).toBe(true);
    expect(await transit.verify("ec384", message, der.signature, { hash_algorithm: "sha2-384" })).toBe(true);
    expect(await transit.verify("ec384", message, der.signature, { hash_algorithm: "sha2-256" })).toBe(false);

    const jws = await transit.sign("ec384", message, { hash_algorithm: "sha2-384", marshaling_algorithm: "jws" });
    const raw = Buffer.from(jws.signature.slice(9), "base64url");
    expect(raw).toHaveLength(96);
    expect(nodeVerify("sha384", message, { key: ecPem, dsaEncoding: "ieee-p1363" }, raw)).toBe(true);
    expect(await transit.verify("ec384", message, jws.signature, { hash_algorithm: "sha2-384", marshaling_algorithm: "jws" })).toBe(true);

    const digest = createHash("sha384").update(message).digest();
    const prehashed = await transit.sign("ec384", digest, { hash_algorithm: "sha2-384", prehashed: true });
    expect(nodeVerify("sha384", message, { key: ecPem, dsaEncoding: "der" }, Buffer.from(prehashed.signature.slice(9), "base64"))).toBe(
      true,
    );

    // A derived ed25519 key: one signing key per context, its public key returned with the signature.
    await admin(server, "POST", "transit/keys/ed-derived", { type: "ed25519", derived: true });
    const perTenant = await transit.sign("ed-derived", message, { context: "tenant-1" });
    expect(perTenant.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const tenantKey = createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(perTenant.publicKey!, "base64").toString("base64url") },
      format: "jwk",
    });
    expect(nodeVerify(null, message, tenantKey, Buffer.from(perTenant.signature.slice(9), "base64"))).toBe(true);
    expect((await transit.sign("ed-derived", message, { context: "tenant-2" })).publicKey).not.toBe(perTenant.publicKey);
    expect(await transit.verify("ed-derived", message, perTenant.signature, { context: "tenant-1" })).toBe(true);
    expect(await transit.verify("ed-derived", message, perTenant.signature, { context: "tenant-2" })).toBe(false);
    // OpenBao answers this one with HTTP 500; it is still the typed "missing context".
    await expect(transit.sign("ed-derived", message)).rejects.toMatchObject({ reason: "missing" });

    await expect(transit.verify("ec384", message, "vault:v1:%%%")).rejects.toBeInstanceOf(TransitCiphertextError);
    const notSigning = await transit.sign("shared", message).catch((e: unknown) => e);
    expect(notSigning).toBeInstanceOf(TransitError);
    expect((notSigning as TransitError).errors.join()).toContain("does not support signing");
  });

  it("computes and verifies HMACs (the exported key agrees), sending `algorithm`, which is what OpenBao reads", async () => {
    await transit.createKey("mac", { type: "hmac", exportable: true });
    const exported = await admin<{ data: { keys: Record<string, string> } }>(server, "GET", "transit/export/hmac-key/mac");
    const secret = Buffer.from(exported.data.keys["1"], "base64");
    const input = "order #1234: 99.00 EUR";
    for (const [algorithm, node] of [
      ["sha2-256", "sha256"],
      ["sha2-512", "sha512"],
    ] as const) {
      const mac = await transit.hmac("mac", input, { algorithm });
      expect(mac.keyVersion).toBe(1);
      expect(mac.hmac).toBe(`vault:v1:${createHmac(node, secret).update(input).digest("base64")}`);
      expect(await transit.verifyHmac("mac", input, mac.hmac, { algorithm })).toBe(true);
      expect(await transit.verifyHmac("mac", "order #1234: 9900.00 EUR", mac.hmac, { algorithm })).toBe(false);
    }
    // Why `algorithm`: with the signature field instead, OpenBao checks with sha2-256 and says "not valid".
    const mac512 = await transit.hmac("mac", input, { algorithm: "sha2-512" });
    const misread = await admin<{ data: { valid: boolean } }>(server, "POST", "transit/verify/mac", {
      input: Buffer.from(input).toString("base64"),
      hmac: mac512.hmac,
      hash_algorithm: "sha2-512",
    });
    expect(misread.data.valid).toBe(false);
    // Any key has an HMAC key of its own.
    const aesMac = await transit.hmac("shared", input);
    expect(await transit.verifyHmac("shared", input, aesMac.hmac)).toBe(true);
    await expect(transit.verifyHmac("mac", input, "not-an-hmac")).rejects.toBeInstanceOf(TransitCiphertextError);
  });

  it("generates data keys: plaintext and wrapped, the wrapped one decrypting to the same key", async () => {
    await transit.createKey("kek");
    const dk = await transit.dataKey("kek");
    expect(dk.plaintext).toHaveLength(32);
    expect(dk.keyVersion).toBe(1);
    expect(await transit.decrypt("kek", dk.ciphertext)).toEqual(dk.plaintext);
    expect((await transit.dataKey("kek", { bits: 512 })).plaintext).toHaveLength(64);
    expect((await transit.dataKey("kek", { bits: 128 })).plaintext).toHaveLength(16);

    const wrapped = await transit.wrappedDataKey("kek");
    expect(wrapped).not.toHaveProperty("plaintext");
    expect(wrapped.ciphertext.startsWith("vault:v1:")).toBe(true);
    expect(await transit.decrypt("kek", wrapped.ciphertext)).toHaveLength(32);

    await transit.createKey("kek-derived", { derived: true });
    const bound = await transit.dataKey("kek-derived", { context: "tenant-7", associated_data: "invoice-store" });
    expect(await transit.decrypt("kek-derived", bound.ciphertext, { context: "tenant-7", associated_data: "invoice-store" })).toEqual(
      bound.plaintext,
    );
    await expect(
      transit.decrypt("kek-derived", bound.ciphertext, { context: "tenant-8", associated_data: "invoice-store" }),
    ).rejects.toBeInstanceOf(TransitContextError);
    await expect(transit.dataKey("nowhere")).rejects.toBeInstanceOf(TransitKeyNotFoundError);
  });

  it("an unknown key or a wrong context gets a typed error and changes nothing on the server", async () => {
    // What the client guards against: a bare encrypt to a missing key creates it.
    expect(
      (await call(server.address, "POST", "transit/encrypt/typo-upserted", { token: server.token, body: { plaintext: "aGk=" } })).status,
    ).toBe(200);
    expect(await keyExists("typo-upserted")).toBe(true);

    const before = [...(await transit.listKeys())].sort();
    const attempts: unknown[] = [
      await transit.encrypt("typo", "secret value").catch((e: unknown) => e),
      await transit.encryptBatch("typo", ["secret value", "another"]).catch((e: unknown) => e),
      await transit.decrypt("typo", "vault:v1:AAAA").catch((e: unknown) => e),
      await transit.rewrap("typo", "vault:v1:AAAA").catch((e: unknown) => e),
      await transit.sign("typo", "x").catch((e: unknown) => e),
      await transit.verify("typo", "x", "vault:v1:AAAA").catch((e: unknown) => e),
      await transit.hmac("typo", "x").catch((e: unknown) => e),
      await transit.rotateKey("typo").catch((e: unknown) => e),
      await transit.configureKey("typo", { deletion_allowed: true }).catch((e: unknown) => e),
      await transit.trimKey("typo", 1).catch((e: unknown) => e),
    ];
    for (const error of attempts) {
      expect(error).toBeInstanceOf(TransitKeyNotFoundError);
      expect(error).toMatchObject({ mount: "transit", key: "typo", status: 400 });
      expect((error as TransitError).path).toMatch(/^transit\/[a-z]+\/typo(\/[a-z]+)?$/);
      expect((error as TransitError).message).toContain('transit key "typo" on mount "transit"');
    }
    expect(await transit.readKey("typo")).toBeUndefined();
    expect(await keyExists("typo")).toBe(false);
    expect([...(await transit.listKeys())].sort()).toEqual(before);

    const keyBefore = await transit.readKey("per-app");
    const sealed = await transit.encrypt("per-app", "secret value", { context: "app-a" });
    const wrong = await transit.decrypt("per-app", sealed.ciphertext, { context: "app-z" }).catch((e: unknown) => e);
    const wrongRewrap = await transit.rewrap("per-app", sealed.ciphertext, { context: "app-z" }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(TransitContextError);
    expect(wrongRewrap).toBeInstanceOf(TransitContextError);
    expect(await transit.readKey("per-app")).toEqual(keyBefore);
    expect(await transit.decrypt("per-app", sealed.ciphertext, { context: "app-a", as: "text" })).toBe("secret value");
    const shown = rendered([...attempts, wrong, wrongRewrap]);
    expect(shown).not.toMatch(/secret value|app-z|app-a/);
    expect(shown).not.toContain(Buffer.from("secret value").toString("base64"));
    expect(shown).not.toContain(sealed.ciphertext);
    expect(shown).not.toContain(server.token);
  });

  it("keeps private material in KV only as ciphertext bound to its path, opened with the transit key (sealToKv / openFromKv)", async () => {
    const kv = client.kv("secret");
    await transit.createKey("vault-of-secrets");
    // A key made for this test, so no private key is kept in the repository.
    const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const written = await sealToKv(kv, "apps/billing/signing-key", transit, "vault-of-secrets", pem);
    expect(written.version).toBe(1);
    const stored = await kv.read("apps/billing/signing-key", { cache: "bypass" });
    expect(stored?.data).toMatchObject({ vaultsmith_sealed: 1, transit_mount: "transit", transit_key: "vault-of-secrets", key_version: 1 });
    expect(JSON.stringify(stored?.data)).not.toContain("PRIVATE KEY");
    expect(JSON.stringify(stored?.data)).not.toContain(Buffer.from(pem).toString("base64").slice(0, 24));

    expect(await openFromKv(kv, "apps/billing/signing-key", transit, "vault-of-secrets", { as: "text" })).toBe(pem);
    expect(await openFromKv(kv, "apps/billing/signing-key", transit, "vault-of-secrets")).toEqual(text.encode(pem));
    expect(await openFromKv(kv, "apps/none", transit, "vault-of-secrets")).toBeUndefined();

    // Copied to another path, the record no longer opens: the path is its associated data.
    await kv.write("apps/attacker/copied", stored!.data);
    await expect(openFromKv(kv, "apps/attacker/copied", transit, "vault-of-secrets")).rejects.toBeInstanceOf(TransitCiphertextError);
    // Opened as if sealed by another key: refused before decrypting.
    await expect(openFromKv(kv, "apps/billing/signing-key", transit, "shared")).rejects.toMatchObject({ field: "record" });
    await kv.write("apps/plain", { password: "not sealed" });
    await expect(openFromKv(kv, "apps/plain", transit, "vault-of-secrets")).rejects.toBeInstanceOf(TransitInputError);

    // Binding to the path needs associated data, which only AEAD keys take.
    await admin(server, "POST", "transit/keys/rsa", { type: "rsa-2048" });
    const rsa = await sealToKv(kv, "apps/rsa", transit, "rsa", "x").catch((e: unknown) => e);
    expect(rsa).toBeInstanceOf(TransitError);
    expect((rsa as TransitError).errors.join()).toContain("non-AEAD");
    expect(await kv.read("apps/rsa")).toBeUndefined();

    // A derived key: the application's context is needed again and is not stored.
    await sealToKv(kv, "apps/billing/api-token", transit, "per-app", "tok-123", { context: "billing", cas: 0 });
    expect(JSON.stringify((await kv.read("apps/billing/api-token"))?.data)).not.toMatch(/billing"|YmlsbGluZw/);
    expect(await openFromKv(kv, "apps/billing/api-token", transit, "per-app", { context: "billing", as: "text" })).toBe("tok-123");
    await expect(openFromKv(kv, "apps/billing/api-token", transit, "per-app")).rejects.toMatchObject({ reason: "missing" });
    await expect(openFromKv(kv, "apps/billing/api-token", transit, "per-app", { context: "shipping" })).rejects.toMatchObject({
      reason: "mismatch",
    });
  });
});
