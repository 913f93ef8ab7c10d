/**
 * A throw-away certificate authority for TLS tests: a CA, a server certificate for
 * 127.0.0.1/localhost and a client certificate, all ECDSA P-256, made fresh by each test run.
 */
import { webcrypto } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(globalThis.crypto);

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** PEM certificate and key. */
export interface PemPair {
  /** PEM certificate. */
  readonly cert: string;
  /** PEM PKCS#8 private key. */
  readonly key: string;
}

/** The material a TLS test needs, in memory and as files for the server. */
export interface TestPki {
  /** PEM of the CA certificate. */
  readonly caCert: string;
  /** Certificate for 127.0.0.1 and localhost, valid for server and client auth. */
  readonly server: PemPair;
  /** Client certificate (CN `vaultsmith-test-client`) for mutual TLS and cert auth. */
  readonly client: PemPair;
  /** File paths of the CA and server material, for server config. */
  readonly files: { readonly caCert: string; readonly serverCert: string; readonly serverKey: string };
  /** Issue another server certificate (same names and usages as `server`, new key) with serial `serial` (hex). */
  issueServer(serial: string): Promise<PemPair>;
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(pkcs8, "PRIVATE KEY");
}

async function leaf(
  ca: { cert: x509.X509Certificate; keys: webcrypto.CryptoKeyPair },
  serial: string,
  subject: string,
  sans: x509.JsonGeneralName[],
  usages: string[],
): Promise<PemPair> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + DAY_MS),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension(usages),
      ...(sans.length > 0 ? [new x509.SubjectAlternativeNameExtension(sans)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  return { cert: cert.toString("pem"), key: await keyPem(keys.privateKey) };
}

/** Create a CA with server and client certificates and write the server's files into `dir`. */
export async function createTestPki(dir: string): Promise<TestPki> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=vaultsmith test CA",
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 2 * DAY_MS),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const ca = { cert, keys };
  const issueServer = (serial: string): Promise<PemPair> =>
    leaf(
      ca,
      serial,
      "CN=127.0.0.1",
      [
        { type: "ip", value: "127.0.0.1" },
        { type: "dns", value: "localhost" },
      ],
      [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
    );
  const server = await issueServer("02");
  const client = await leaf(ca, "03", "CN=vaultsmith-test-client", [], [x509.ExtendedKeyUsage.clientAuth]);
  const caCert = cert.toString("pem");
  const files = { caCert: join(dir, "ca.pem"), serverCert: join(dir, "server.pem"), serverKey: join(dir, "server-key.pem") };
  writeFileSync(files.caCert, caCert);
  writeFileSync(files.serverCert, server.cert);
  writeFileSync(files.serverKey, server.key, { mode: 0o600 });
  return { caCert, server, client, files, issueServer };
}
