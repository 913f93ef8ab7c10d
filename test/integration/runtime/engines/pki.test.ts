import { createPublicKey, X509Certificate } from "node:crypto";
import { inspect } from "node:util";
import {
  PkiInputError,
  PkiNameNotAllowedError,
  PkiRoleNotFoundError,
  PkiTtlAboveMaxError,
  VaultClient,
  VaultHttpError,
  generateKeyAndCsr,
  parseCertificate,
} from "../../../../runtime";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { setUpPkiMount, storedSerials, writePkiRole } from "../../../support/pki-mount";
import { selectedFlavors } from "../../../support/server-binaries";

const HOUR = 3_600_000;

/** SPKI DER of a certificate's public key, to compare with a private key's public half. */
function certificateSpki(pem: string): Buffer {
  return new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" });
}

describe.each(selectedFlavors())("PKI engine against a real %s dev server", (flavor) => {
  let server: DevServer;
  let client: VaultClient;
  let rootPem: string;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    rootPem = await setUpPkiMount(server, "pki");
    // The seed's role: its request names a bare host and a subdomain of example.com.
    await writePkiRole(server, "pki", "server-cert", {
      allowed_domains: ["example.com", "cassandra-node-1"],
      allow_subdomains: true,
      allow_bare_domains: true,
      max_ttl: "720h",
    });
    await writePkiRole(server, "pki", "local-keys", {
      allowed_domains: ["example.com"],
      allow_subdomains: true,
      max_ttl: "24h",
      key_type: "any",
    });
    await writePkiRole(server, "pki", "anything", { allow_any_name: true, allowed_uri_sans: ["spiffe://example.org/*"], max_ttl: "24h" });
    client = new VaultClient({ address: server.address, token: server.token });
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it("issues the seed's request as written: the IP becomes an IP SAN, the TTL and key format hold", async () => {
    const before = Date.now();
    const issued = await client.pki("pki").issue("server-cert", {
      common_name: "cassandra-node-1.example.com",
      alt_names: "cassandra-node-1,10.0.1.100",
      ttl: "720h",
      private_key_format: "der",
    });
    const cert = issued.parsed;
    expect(cert.commonName).toBe("cassandra-node-1.example.com");
    expect([...cert.sans.dns].sort()).toEqual(["cassandra-node-1", "cassandra-node-1.example.com"]);
    expect(cert.sans.ip).toEqual(["10.0.1.100"]);
    expect(cert.notAfter.getTime()).toBeGreaterThanOrEqual(before + 720 * HOUR - 60_000);
    expect(cert.notAfter.getTime()).toBeLessThanOrEqual(Date.now() + 720 * HOUR + 60_000);
    expect(issued.expiration).toBe(cert.notAfter.getTime() / 1000);
    expect(issued.ttlTruncated).toBe(false);
    expect(cert.serial.colon).toBe(issued.serial_number);
    expect(cert.serial.hex).toBe(issued.serial_number.replace(/:/g, "").replace(/^(00)+/, ""));
    expect(cert.extendedKeyUsages).toEqual(expect.arrayContaining(["serverAuth", "clientAuth"]));
    expect(cert.keyUsages).toEqual(expect.arrayContaining(["digitalSignature", "keyEncipherment"]));
    expect(cert.keyAlgorithm).toEqual({ type: "rsa", bits: 2048 });
    // private_key_format "der" = the key's own structure (PKCS#1 for RSA), PEM-armoured with format pem.
    expect(issued.private_key_type).toBe("rsa");
    expect(issued.private_key.type).toBe("rsa");
    expect(createPublicKey(issued.private_key.keyObject()).export({ type: "spki", format: "der" })).toEqual(certificateSpki(cert.pem));
    expect(issued.issuing_ca).toBe(rootPem);
    expect(issued.ca_chain).toEqual([rootPem]);

    const shown = `${inspect(issued, { depth: 8, showHidden: true })}\n${JSON.stringify(issued)}\n${String(issued.private_key)}`;
    expect(shown).not.toContain("PRIVATE KEY");
    expect(shown).not.toContain(issued.private_key.pem().split("\n")[1]);
    expect(shown).toContain("PrivateKey(rsa, redacted)");
  });

  it("shows why IPs are split out of alt_names: sent as-is, OpenBao issues the IP as a DNS SAN", async () => {
    const raw = await client.pki("pki").issue("anything", { common_name: "node-a", alt_names: ["10.0.1.100"], split_alt_names: false });
    expect(raw.parsed.sans.dns).toContain("10.0.1.100");
    expect(raw.parsed.sans.ip).toEqual([]);
    const split = await client
      .pki("pki")
      .issue("anything", { common_name: "node-a", alt_names: ["10.0.1.100", "spiffe://example.org/node-a"] });
    expect(split.parsed.sans.ip).toEqual(["10.0.1.100"]);
    expect(split.parsed.sans.uri).toEqual(["spiffe://example.org/node-a"]);
    expect(split.parsed.sans.dns).toEqual(["node-a"]);
  });

  it("returns DER and PKCS#8 when asked, and keeps the key out of a pem_bundle's certificate field", async () => {
    const pki = client.pki("pki");
    const der = await pki.issue("server-cert", { common_name: "der.example.com", format: "der", private_key_format: "pkcs8", ttl: 600 });
    expect(der.certificate).not.toContain("-----BEGIN");
    expect(der.parsed.commonName).toBe("der.example.com");
    expect(der.parsed.notAfter.getTime() - der.parsed.notBefore.getTime()).toBeLessThanOrEqual(630_000);
    expect(createPublicKey(der.private_key.keyObject()).export({ type: "spki", format: "der" })).toEqual(certificateSpki(der.parsed.pem));

    const bundle = await pki.issue("server-cert", { common_name: "bundle.example.com", format: "pem_bundle", ttl: "10m" });
    expect(bundle.certificate).toMatch(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/);
    expect(bundle.certificate).not.toContain("PRIVATE KEY");
    expect(bundle.parsed.commonName).toBe("bundle.example.com");
    expect(bundle.private_key.pem()).toContain("BEGIN PRIVATE KEY");
  });

  it.each([
    ["EC P-256", { type: "ec", curve: "P-256" } as const, { type: "ec", curve: "prime256v1" }],
    ["RSA-2048", { type: "rsa", bits: 2048 } as const, { type: "rsa", bits: 2048 }],
  ])("signs a CSR for a key generated locally (%s); the key never leaves the process", async (_name, spec, algorithm) => {
    const pki = client.pki("pki");
    const local = await generateKeyAndCsr({ commonName: "local.example.com", altNames: ["www.local.example.com"] }, spec);
    const signed = await pki.sign("local-keys", local.csr, { ttl: "1h" });
    expect(signed.parsed.keyAlgorithm).toEqual(algorithm);
    expect(signed.parsed.commonName).toBe("local.example.com");
    expect([...signed.parsed.sans.dns].sort()).toEqual(["local.example.com", "www.local.example.com"]);
    expect(certificateSpki(signed.parsed.pem)).toEqual(
      createPublicKey(local.privateKey.keyObject()).export({ type: "spki", format: "der" }),
    );
    expect(signed).not.toHaveProperty("private_key");

    const verbatim = await pki.signVerbatim(local.csr, { ttl: 600, ext_key_usage: ["ClientAuth"] });
    expect(verbatim.parsed.commonName).toBe("local.example.com");
    expect(verbatim.parsed.extendedKeyUsages).toEqual(["clientAuth"]);
    expect(certificateSpki(verbatim.parsed.pem)).toEqual(certificateSpki(signed.parsed.pem));

    const withLocal = await pki.issueWithLocalKey("local-keys", { common_name: "mine.example.com", ttl: 600 }, spec);
    expect(withLocal.parsed.keyAlgorithm).toEqual(algorithm);
    expect(certificateSpki(withLocal.parsed.pem)).toEqual(
      createPublicKey(withLocal.private_key.keyObject()).export({ type: "spki", format: "der" }),
    );
  });

  it("revokes: the CRL lists the serial and OCSP says revoked, while an unrevoked serial stays good", async () => {
    const pki = client.pki("pki");
    const kept = await pki.issue("server-cert", { common_name: "kept.example.com", ttl: "1h" });
    const doomed = await pki.issue("server-cert", { common_name: "doomed.example.com", ttl: "1h" });
    const local = await pki.issueWithLocalKey("local-keys", { common_name: "holder.example.com", ttl: "1h" });

    const revoked = await pki.revoke(doomed.parsed.serial.hex);
    expect(revoked.serial.colon).toBe(doomed.serial_number);
    const again = await pki.revoke(doomed.serial_number);
    expect(again.revokedAt).toEqual(revoked.revokedAt);
    const byKey = await pki.revokeWithKey(local.certificate, local.private_key);
    expect(byKey.serial.value).toBe(local.parsed.serial.value);

    const crl = await pki.crl();
    expect(crl.signatureValid).toBe(true);
    expect(crl.find(doomed.serial_number)?.revokedAt).toEqual(revoked.revokedAt);
    expect(crl.find(local.parsed.serial.value)).toBeDefined();
    expect(crl.find(kept.serial_number)).toBeUndefined();
    expect(await pki.isRevokedPerCrl(doomed.parsed.serial.hex.toUpperCase())).toBe(true);
    expect(await pki.isRevokedPerCrl(kept.serial_number)).toBe(false);

    const bad = await pki.ocsp(doomed.serial_number);
    expect(bad).toMatchObject({ status: "revoked", signatureValid: true });
    expect(bad.serial.value).toBe(doomed.parsed.serial.value);
    expect(Math.abs(bad.revokedAt!.getTime() - revoked.revokedAt.getTime())).toBeLessThan(1_000);
    expect((await pki.ocsp(local.serial_number)).status).toBe("revoked");
    const good = await pki.ocsp(kept.serial_number);
    expect(good).toMatchObject({ status: "good", signatureValid: true, revokedAt: undefined });
    expect(good.serial.colon).toBe(kept.serial_number);
  });

  it("reads the CA chain and the issuers, and starts a tidy", async () => {
    const pki = client.pki("pki");
    const chain = await pki.caChain();
    expect(chain.map((c) => c.pem)).toEqual([rootPem]);
    expect(chain[0].isCa).toBe(true);
    const issuers = await pki.listIssuers();
    expect(issuers).toHaveLength(1);
    expect(issuers[0].isDefault).toBe(true);
    const issuer = await pki.readIssuer(issuers[0].id);
    expect(issuer.certificate.pem).toBe(rootPem);
    expect(issuer.certificate.serial.colon).toBe(issuers[0].serial);
    expect(issuer.usage).toEqual(expect.arrayContaining(["issuing-certificates", "crl-signing"]));
    const unknown = await pki.readIssuer("no-such-issuer").catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(VaultHttpError);
    expect((unknown as VaultHttpError).path).toBe("pki/issuer/no-such-issuer");
    expect(await pki.tidy({ safety_buffer: "1h" })).toEqual([expect.stringContaining("Tidy operation successfully started")]);
  });

  describe("bad input: typed errors that say what and where, and nothing issued", () => {
    let serialsBefore: string[];
    beforeEach(async () => {
      serialsBefore = await storedSerials(server, "pki");
    });
    afterEach(async () => {
      expect(await storedSerials(server, "pki")).toEqual(serialsBefore);
    });

    it("an unknown role", async () => {
      const error = await client
        .pki("pki")
        .issue("no-such-role", { common_name: "a.example.com" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PkiRoleNotFoundError);
      expect(error).toBeInstanceOf(VaultHttpError);
      expect(error).toMatchObject({ role: "no-such-role", status: 400, method: "POST", path: "pki/issue/no-such-role" });
      expect((error as Error).message).toContain('PKI role "no-such-role" not found');
    });

    it("a common name or SAN outside the role's domains", async () => {
      const cn = await client
        .pki("pki")
        .issue("server-cert", { common_name: "evil.org" })
        .catch((e: unknown) => e);
      expect(cn).toBeInstanceOf(PkiNameNotAllowedError);
      expect(cn).toMatchObject({
        role: "server-cert",
        kind: "common name",
        refusedName: "evil.org",
        status: 400,
        path: "pki/issue/server-cert",
      });
      const san = await client
        .pki("pki")
        .issue("server-cert", { common_name: "ok.example.com", alt_names: ["evil.org"] })
        .catch((e: unknown) => e);
      expect(san).toMatchObject({ kind: "subject alternative name", refusedName: "evil.org" });
    });

    it("a TTL above the role's max_ttl is refused before issuing when asked to", async () => {
      const error = await client
        .pki("pki")
        .issue("server-cert", { common_name: "long.example.com", ttl: "1000h", reject_ttl_above_max: true })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PkiTtlAboveMaxError);
      expect(error).toMatchObject({ requestedSeconds: 3_600_000, maxSeconds: 720 * 3600, field: "ttl", path: "pki/issue/server-cert" });
      const notARole = await client
        .pki("pki")
        .issue("no-such-role", { common_name: "a.example.com", ttl: "1h", reject_ttl_above_max: true })
        .catch((e: unknown) => e);
      expect(notARole).toBeInstanceOf(PkiRoleNotFoundError);
    });

    it("a malformed CSR, an empty CSR, a key given as a CSR and a bad TTL string never reach the server", async () => {
      const pki = client.pki("pki");
      const local = await generateKeyAndCsr({ commonName: "csr.example.com" });
      const tampered = local.csr.replace(
        /(\n[A-Za-z0-9+/]{10})[A-Za-z0-9+/]/,
        (_m, head: string) => `${head}${head.endsWith("A") ? "B" : "A"}`,
      );
      for (const csr of [
        "",
        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----",
        tampered,
        local.privateKey.pem(),
      ]) {
        const error = await pki.sign("local-keys", csr).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PkiInputError);
        expect(error).toMatchObject({ field: "csr", method: "POST", path: "pki/sign/local-keys" });
        expect(`${(error as Error).message}${inspect(error)}`).not.toContain(local.privateKey.pem().split("\n")[1]);
      }
      const verbatim = await pki.signVerbatim("not a csr").catch((e: unknown) => e);
      expect(verbatim).toMatchObject({ field: "csr", path: "pki/sign-verbatim" });
      const ttl = await pki.issue("server-cert", { common_name: "t.example.com", ttl: "forever" }).catch((e: unknown) => e);
      expect(ttl).toBeInstanceOf(PkiInputError);
      expect(ttl).toMatchObject({ field: "ttl" });
    });
  });

  it("without reject_ttl_above_max OpenBao shortens a TTL above max_ttl, and the result says so", async () => {
    const issued = await client
      .pki("pki")
      .issue("local-keys", { common_name: "short.example.com", ttl: "48h", key_type: "ec", key_bits: 256 });
    expect(issued.ttlTruncated).toBe(true);
    expect(issued.warnings.join(" ")).toContain("maxTTL");
    expect(issued.parsed.notAfter.getTime()).toBeLessThanOrEqual(Date.now() + 24 * HOUR + 60_000);
    expect(issued.private_key_type).toBe("ec");
    expect(parseCertificate(issued.certificate).keyAlgorithm).toEqual({ type: "ec", curve: "prime256v1" });
  });
});
