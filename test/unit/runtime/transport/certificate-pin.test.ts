import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spkiPin } from "../../../../runtime";
import { createTestPki } from "../../../support/tls-ca";

describe("spkiPin", () => {
  it("is the base64 SHA-256 of the DER SubjectPublicKeyInfo, distinct per key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vaultsmith-pin-"));
    try {
      const pki = await createTestPki(dir);
      const der = new X509Certificate(pki.server.cert).publicKey.export({ type: "spki", format: "der" });
      expect(spkiPin(pki.server.cert)).toBe(createHash("sha256").update(der).digest("base64"));
      expect(spkiPin(pki.server.cert)).toHaveLength(44);
      expect(new Set([spkiPin(pki.server.cert), spkiPin(pki.client.cert), spkiPin(pki.caCert)]).size).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects input that is not a certificate", () => {
    expect(() => spkiPin("not a certificate")).toThrow();
  });
});
