/**
 * Parsing of what the PKI engine hands back — certificates (PEM or base64 DER), serial numbers,
 * durations — into typed values, with @peculiar/x509. Pure: no request is made here, so it is
 * unit-tested on its own and shared by the engine, the CRL/OCSP checks and the CertificateManager.
 */
// @peculiar/x509 resolves its ASN.1 codecs through tsyringe, which needs the Reflect metadata polyfill.
import "reflect-metadata";
import { createPublicKey } from "node:crypto";
import {
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  X509Certificate,
} from "@peculiar/x509";

/** A certificate serial number in the forms people and tools use. */
export interface CertificateSerial {
  /** Lower-case colon-separated hex, exactly as Vault prints it (`75:d8:ce:…`): what `revoke` and `cert/:serial` take. */
  readonly colon: string;
  /** Lower-case hex without separators or leading zero bytes (`75d8ce…`), as openssl and most tools print it. */
  readonly hex: string;
  /** The serial as an integer, for comparisons that must ignore formatting (JSON shows `colon` and `hex` only). */
  readonly value: bigint;
}

/** Subject alternative names by kind. */
export interface SubjectAltNames {
  /** DNS names. */
  readonly dns: readonly string[];
  /** IP addresses (v4 dotted, v6 as @peculiar/x509 prints them). */
  readonly ip: readonly string[];
  /** URIs (e.g. SPIFFE ids). */
  readonly uri: readonly string[];
  /** E-mail addresses. */
  readonly email: readonly string[];
}

/** Public key algorithm of a certificate. */
export interface KeyAlgorithm {
  /** `rsa`, `ec`, `ed25519`, … as Node's `KeyObject.asymmetricKeyType` names it. */
  readonly type: string;
  /** RSA modulus length in bits. */
  readonly bits?: number;
  /** EC curve (`prime256v1`, `secp384r1`, …). */
  readonly curve?: string;
}

/** Key usage names of RFC 5280 §4.2.1.3, in the spelling of the RFC. */
export type KeyUsageName =
  | "digitalSignature"
  | "nonRepudiation"
  | "keyEncipherment"
  | "dataEncipherment"
  | "keyAgreement"
  | "keyCertSign"
  | "cRLSign"
  | "encipherOnly"
  | "decipherOnly";

/** A certificate with the fields callers check, parsed once so nobody re-parses PEM. */
export interface ParsedCertificate {
  /** The certificate as PEM (converted from DER when Vault sent DER). */
  readonly pem: string;
  /** Serial number in both forms. */
  readonly serial: CertificateSerial;
  /** Subject DN as a string (`CN=…`). */
  readonly subject: string;
  /** Subject common name, when the subject has one. */
  readonly commonName: string | undefined;
  /** Issuer DN as a string. */
  readonly issuer: string;
  /** Start of validity. */
  readonly notBefore: Date;
  /** End of validity. */
  readonly notAfter: Date;
  /** Subject alternative names by kind (empty lists when the extension is absent). */
  readonly sans: SubjectAltNames;
  /** Key usages (empty when the extension is absent). */
  readonly keyUsages: readonly KeyUsageName[];
  /** Extended key usages by name (`serverAuth`, `clientAuth`, `codeSigning`, …), or dotted OID when unnamed. */
  readonly extendedKeyUsages: readonly string[];
  /** Public key algorithm. */
  readonly keyAlgorithm: KeyAlgorithm;
  /** Whether basic constraints mark it a CA. */
  readonly isCa: boolean;
}

const KEY_USAGE_NAMES: readonly [KeyUsageFlags, KeyUsageName][] = [
  [KeyUsageFlags.digitalSignature, "digitalSignature"],
  [KeyUsageFlags.nonRepudiation, "nonRepudiation"],
  [KeyUsageFlags.keyEncipherment, "keyEncipherment"],
  [KeyUsageFlags.dataEncipherment, "dataEncipherment"],
  [KeyUsageFlags.keyAgreement, "keyAgreement"],
  [KeyUsageFlags.keyCertSign, "keyCertSign"],
  [KeyUsageFlags.cRLSign, "cRLSign"],
  [KeyUsageFlags.encipherOnly, "encipherOnly"],
  [KeyUsageFlags.decipherOnly, "decipherOnly"],
];

/** RFC 5280 §4.2.1.12 purposes by OID. */
const EKU_NAMES: Readonly<Record<string, string>> = {
  "2.5.29.37.0": "any",
  "1.3.6.1.5.5.7.3.1": "serverAuth",
  "1.3.6.1.5.5.7.3.2": "clientAuth",
  "1.3.6.1.5.5.7.3.3": "codeSigning",
  "1.3.6.1.5.5.7.3.4": "emailProtection",
  "1.3.6.1.5.5.7.3.8": "timeStamping",
  "1.3.6.1.5.5.7.3.9": "OCSPSigning",
};

/**
 * Normalise a serial given in any common form — Vault's `75:d8:…`, hyphenated `75-d8-…`, plain hex
 * with or without a `0x` prefix or DER sign byte, or a bigint — so serials compare by value.
 * Throws `TypeError` on anything that is not hex: a typo must not silently match nothing.
 */
export function formatSerial(serial: string | bigint): CertificateSerial {
  let value: bigint;
  if (typeof serial === "bigint") value = serial;
  else {
    const digits = serial
      .trim()
      .replace(/^0x/i, "")
      .replace(/[:\-\s]/g, "");
    if (!/^[0-9a-fA-F]+$/.test(digits)) throw new TypeError(`certificate serial must be hex (e.g. "1a:2b:…"), got "${serial}"`);
    value = BigInt(`0x${digits}`);
  }
  if (value < 0n) throw new TypeError(`certificate serial must not be negative, got ${value}`);
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const result = { colon: hex.match(/../g)!.join(":"), hex, value };
  // JSON has no bigint: serialise the two string forms (non-enumerable, so equality checks ignore it).
  Object.defineProperty(result, "toJSON", { value: () => ({ colon: result.colon, hex: result.hex }), enumerable: false });
  return result;
}

/** Whether two serials in any of the forms {@link formatSerial} accepts are the same number. */
export function sameSerial(a: string | bigint, b: string | bigint): boolean {
  return formatSerial(a).value === formatSerial(b).value;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Seconds in a Vault duration: a number of seconds, or a string such as `"720h"`, `"1h30m"`,
 * `"90s"`, `"3600"` (Go duration syntax plus `d`). Throws `TypeError` on anything else, so a typo
 * is refused before a request instead of being answered with a generic 400.
 */
export function durationSeconds(duration: string | number): number {
  if (typeof duration === "number") {
    if (!Number.isFinite(duration) || duration < 0)
      throw new TypeError(`duration must be a non-negative number of seconds, got ${duration}`);
    return duration;
  }
  const text = duration.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new TypeError(`duration must be seconds or a duration like "720h" or "1h30m", got "${duration}"`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNITS[p[2]], 0);
}

/** Split a PEM text into its blocks, with their labels (`CERTIFICATE`, `RSA PRIVATE KEY`, …). */
export function pemBlocks(text: string): { readonly label: string; readonly pem: string }[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g)].map((m) => ({ label: m[1], pem: m[0] }));
}

/** A certificate as PEM, whether Vault sent PEM or base64 DER (`format: "der"`). */
export function toCertificatePem(text: string): string {
  if (text.includes("-----BEGIN")) {
    const block = pemBlocks(text).find((b) => b.label === "CERTIFICATE");
    if (!block) throw new CertificateParseError("the text holds no PEM CERTIFICATE block");
    return `${block.pem}\n`;
  }
  const b64 = text.replace(/\s+/g, "");
  return `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)?.join("\n") ?? ""}\n-----END CERTIFICATE-----\n`;
}

function keyAlgorithm(cert: X509Certificate): KeyAlgorithm {
  const key = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: "der", type: "spki" });
  const details = key.asymmetricKeyDetails ?? {};
  return {
    type: key.asymmetricKeyType ?? "unknown",
    ...(details.modulusLength === undefined ? {} : { bits: details.modulusLength }),
    ...(details.namedCurve === undefined ? {} : { curve: details.namedCurve }),
  };
}

/**
 * A certificate (from the server, a file or the caller) that is not a well-formed X.509
 * certificate. A TypeError, as every other malformed input of this module; the X.509 library's
 * own reason is kept in `cause` and the message — it never quotes the input.
 */
export class CertificateParseError extends TypeError {
  /** @internal */
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`not a well-formed X.509 certificate: ${detail}`, options);
    this.name = "CertificateParseError";
  }
}

/** Parse one certificate (PEM, or base64 DER as `format: "der"` returns it). @throws CertificateParseError */
export function parseCertificate(text: string | Uint8Array): ParsedCertificate {
  try {
    return parseWellFormed(text);
  } catch (error) {
    if (error instanceof CertificateParseError) throw error;
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CertificateParseError(detail, { cause: error });
  }
}

function parseWellFormed(text: string | Uint8Array): ParsedCertificate {
  if (typeof text !== "string" && !(text instanceof Uint8Array))
    throw new CertificateParseError(`expected text or bytes, got ${typeof text}`);
  const cert = new X509Certificate(typeof text === "string" ? toCertificatePem(text) : Buffer.from(text));
  const names = cert.getExtension(SubjectAlternativeNameExtension)?.names.items ?? [];
  const byType = (type: string): string[] => names.filter((n) => n.type === type).map((n) => n.value);
  const usages = cert.getExtension(KeyUsagesExtension)?.usages ?? 0;
  const ekus = cert.getExtension(ExtendedKeyUsageExtension)?.usages ?? [];
  return {
    pem: cert.toString("pem"),
    serial: formatSerial(cert.serialNumber),
    subject: cert.subject,
    commonName: cert.subjectName.getField("CN")[0],
    issuer: cert.issuer,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    sans: { dns: byType("dns"), ip: byType("ip"), uri: byType("url"), email: byType("email") },
    keyUsages: KEY_USAGE_NAMES.filter(([flag]) => (usages & flag) !== 0).map(([, name]) => name),
    extendedKeyUsages: ekus.map((oid) => EKU_NAMES[String(oid)] ?? String(oid)),
    keyAlgorithm: keyAlgorithm(cert),
    isCa: cert.getExtension(BasicConstraintsExtension)?.ca ?? false,
  };
}

/** Parse every CERTIFICATE block of a PEM bundle (or a list of PEM / base64 DER strings), in order. */
export function parseCertificates(input: string | readonly string[]): ParsedCertificate[] {
  if (typeof input !== "string") return input.filter((s) => s.trim().length > 0).map((s) => parseCertificate(s));
  return pemBlocks(input)
    .filter((b) => b.label === "CERTIFICATE")
    .map((b) => parseCertificate(b.pem));
}
