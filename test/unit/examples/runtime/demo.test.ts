/**
 * The demo's certificate-job output, without a server: the hierarchy lines are read from the
 * example stack's own descriptors, certificates print serial/SANs/not-after and nothing else,
 * and the handshake summary counts and orders serials. (The demo runs only as a script, so it
 * can be imported here.)
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { ExtendedKeyUsageExtension, SubjectAlternativeNameExtension, X509CertificateGenerator } from "@peculiar/x509";
import { exampleStackPki } from "../../../../examples/runtime/apply-pki-hierarchy";
import { HOW_APPLIED, describeCertificate, describeHierarchy, shortSerial, summariseHandshakes } from "../../../../examples/runtime/demo";
import { parseCertificate } from "../../../../runtime";

const crypto = webcrypto as unknown as Crypto;

describe("examples/runtime/demo (certificate job output)", () => {
  it("describes the hierarchy the example stack declares: root, intermediate signed by it, both roles, URLs", () => {
    const lines = describeHierarchy(exampleStackPki({}).descriptors);
    expect(lines).toEqual([
      'root CA      pki-root: "Cassandra Root CA", ec 256, ttl 87600h; CRL http://crl.example.com, OCSP http://ocsp.example.com',
      'intermediate pki: "Cassandra Issuing CA", ec 256, signed by pki-root, ttl 43800h; CRL http://crl.example.com, OCSP http://ocsp.example.com',
      "role         pki/roles/server-cert: server+client, names cassandra-node-1, cassandra-node-2, cassandra-node-3, example.com and their subdomains + IP SANs + localhost, ttl 720h (max 720h)",
      "role         pki/roles/client-cert: client, names subdomains of example.com + IP SANs, ttl 720h (max 720h)",
    ]);
  });

  it("follows the model: another target drops nothing from the hierarchy, only the namespace", () => {
    const ce = exampleStackPki({ VAULTSMITH_TARGET: "vault-ce@1.21.4" });
    expect(ce.estate.namespace).toBeUndefined();
    expect(ce.descriptors.every((d) => d.attributes.namespace === undefined)).toBe(true);
    expect(describeHierarchy(ce.descriptors)).toEqual(describeHierarchy(exampleStackPki({}).descriptors));
  });

  it("says plainly how the hierarchy got onto the server", () => {
    expect(HOW_APPLIED).toContain("applied from the model by API calls");
    expect(HOW_APPLIED).toContain("deploying it with `cdktf deploy` needs the terraform provider (see the deploy issue");
  });

  it("prints a certificate by serial, SANs and not-after", async () => {
    const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const cert = await X509CertificateGenerator.create(
      {
        serialNumber: "0a1b2c3d",
        subject: "CN=cassandra-node-1.example.com",
        issuer: "CN=Cassandra Issuing CA",
        notBefore: new Date("2026-01-01T00:00:00Z"),
        notAfter: new Date("2026-01-31T00:00:00Z"),
        signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
        publicKey: keys.publicKey,
        signingKey: keys.privateKey,
        extensions: [
          new SubjectAlternativeNameExtension([
            { type: "dns", value: "cassandra-node-1.example.com" },
            { type: "ip", value: "10.0.1.100" },
          ]),
          new ExtendedKeyUsageExtension(["1.3.6.1.5.5.7.3.1"]),
        ],
      },
      crypto,
    );
    const lines = describeCertificate(parseCertificate(cert.toString("pem")));
    expect(lines).toEqual([
      "serial    0a:1b:2c:3d",
      "subject   CN=cassandra-node-1.example.com, issued by CN=Cassandra Issuing CA",
      "SANs      DNS:cassandra-node-1.example.com, IP:10.0.1.100",
      "not after 2026-01-31T00:00:00.000Z (ec prime256v1, serverAuth)",
    ]);
    expect(lines.join("\n")).not.toMatch(/BEGIN|PRIVATE/);
  });

  it("summarises the handshake loop: counts, and each serial once in the order first seen", () => {
    const a = "39:72:7f:a8:00:11";
    const b = "19:19:3b:73:00:22";
    expect(summariseHandshakes([{ ok: true, serial: a }, { ok: true, serial: a }, { ok: false }, { ok: true, serial: b }])).toBe(
      "4 handshakes: 3 ok, 1 failed; serials seen in order: 39:72:7f:a8…, 19:19:3b:73…",
    );
    expect(summariseHandshakes([])).toBe("0 handshakes: 0 ok, 0 failed; serials seen in order: none");
    expect(shortSerial("0a:1b")).toBe("0a:1b");
  });
});
