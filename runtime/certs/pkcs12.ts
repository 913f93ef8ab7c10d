/**
 * PKCS#12 keystores and truststores for Java services (Cassandra, Kafka, …), built with pkijs.
 *
 * Why pkijs (3.x): it is already the project's OCSP library, is maintained and widely installed,
 * runs in CommonJS on Node 20, and exposes every PKCS#12 structure — which a truststore needs:
 * Java's keytool lists a certificate-only PKCS#12 entry as a `trustedCertEntry` only when its
 * bag carries Oracle's "trusted key usage" attribute (OID 2.16.840.1.113894.746875.1.1), which
 * higher-level libraries such as node-forge cannot add.
 *
 * Encryption: key bag and certificate bags under PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), the file
 * MAC'd with HMAC-SHA256 — the algorithms of Java 17's own default PKCS#12 keystores.
 */
import { randomBytes, webcrypto } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { pemBlocks } from "../engines/pki-parse";
import { PrivateKey } from "../engines/pki-private-key";

const OID = {
  keyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  x509Certificate: "1.2.840.113549.1.9.22.1",
  friendlyName: "1.2.840.113549.1.9.20",
  localKeyId: "1.2.840.113549.1.9.21",
  javaTrustedKeyUsage: "2.16.840.1.113894.746875.1.1",
  anyExtendedKeyUsage: "2.5.29.37.0",
} as const;

type EncryptionParams = Parameters<pkijs.PKCS8ShroudedKeyBag["makeInternalValues"]>[0];

/** How hard the password is stretched. Java 17 defaults to 10 000 (PBE) and 10 000 (MAC). */
const ITERATIONS = 10_000;

/** An engine of our own, so building a file never depends on (or changes) pkijs' global engine. */
const engine = new pkijs.CryptoEngine({ name: "vaultsmith-node", crypto: webcrypto as unknown as Crypto });

function certificateFromPem(pem: string): pkijs.Certificate {
  const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  return pkijs.Certificate.fromBER(Buffer.from(b64, "base64"));
}

function attribute(type: string, value: asn1js.BaseBlock): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

function certBag(certificate: pkijs.Certificate, attributes: pkijs.Attribute[]): pkijs.SafeBag {
  return new pkijs.SafeBag({ bagId: OID.certBag, bagValue: new pkijs.CertBag({ parsedValue: certificate }), bagAttributes: attributes });
}

function passwordBytes(password: string): ArrayBuffer {
  const bytes = new TextEncoder().encode(password);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function seal(bags: pkijs.SafeBag[], password: string): Promise<Uint8Array> {
  const pass = passwordBytes(password);
  const encryption = {
    password: pass,
    contentEncryptionAlgorithm: { name: "AES-CBC", length: 256 } as EncryptionParams["contentEncryptionAlgorithm"],
    hmacHashAlgorithm: "SHA-256",
    iterationCount: ITERATIONS,
  };
  for (const bag of bags) if (bag.bagValue instanceof pkijs.PKCS8ShroudedKeyBag) await bag.bagValue.makeInternalValues(encryption, engine);
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: { safeContents: [{ privacyMode: 1, value: new pkijs.SafeContents({ safeBags: bags }) }] },
      }),
    },
  });
  await pfx.parsedValue!.authenticatedSafe!.makeInternalValues({ safeContents: [encryption] }, engine);
  await pfx.makeInternalValues(
    { password: pass, iterations: ITERATIONS, pbkdf2HashAlgorithm: { name: "SHA-256" }, hmacHashAlgorithm: "SHA-256" },
    engine,
  );
  return new Uint8Array(pfx.toSchema().toBER(false));
}

/**
 * A PKCS#12 keystore with one `PrivateKeyEntry` under `alias`: the key and its certificate chain
 * (leaf first, then the CA certificates in `chainPem`).
 */
export async function buildKeystore(
  alias: string,
  key: PrivateKey,
  certificatePem: string,
  chainPem: readonly string[],
  password: string,
): Promise<Uint8Array> {
  const localKeyId = attribute(OID.localKeyId, new asn1js.OctetString({ valueHex: randomBytes(20) }));
  const friendly = attribute(OID.friendlyName, new asn1js.BmpString({ value: alias }));
  const pkcs8 = pkijs.PrivateKeyInfo.fromBER(new Uint8Array(key.der()));
  const bags = [
    new pkijs.SafeBag({
      bagId: OID.keyBag,
      bagValue: new pkijs.PKCS8ShroudedKeyBag({ parsedValue: pkcs8 }),
      bagAttributes: [friendly, localKeyId],
    }),
    certBag(certificateFromPem(certificatePem), [friendly, localKeyId]),
    ...chainPem.flatMap((pem) => pemBlocks(pem)).map((block) => certBag(certificateFromPem(block.pem), [])),
  ];
  return seal(bags, password);
}

/** A PKCS#12 truststore: each CA certificate a Java `trustedCertEntry` named `<aliasPrefix>-<n>`. */
export async function buildTruststore(aliasPrefix: string, caPems: readonly string[], password: string): Promise<Uint8Array> {
  const blocks = caPems.flatMap((pem) => pemBlocks(pem)).filter((b) => b.label === "CERTIFICATE");
  const unique = blocks.filter((b, i) => blocks.findIndex((o) => o.pem.replace(/\s+/g, "") === b.pem.replace(/\s+/g, "")) === i);
  const bags = unique.map((block, i) =>
    certBag(certificateFromPem(block.pem), [
      attribute(OID.friendlyName, new asn1js.BmpString({ value: `${aliasPrefix}-${i}` })),
      attribute(OID.javaTrustedKeyUsage, new asn1js.ObjectIdentifier({ value: OID.anyExtendedKeyUsage })),
    ]),
  );
  return seal(bags, password);
}
