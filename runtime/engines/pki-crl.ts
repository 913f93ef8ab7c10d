/**
 * Certificate revocation lists: parse one (PEM or DER) with @peculiar/x509's `X509Crl`, check its
 * signature against the issuer, and look serials up in it by value (so `0a:1b` and `0A1B` match).
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { X509Certificate, X509Crl } from "@peculiar/x509";
import { CertificateSerial, formatSerial, toCertificatePem } from "./pki-parse";

/** One revoked certificate listed in a CRL. */
export interface CrlEntry {
  /** Its serial. */
  readonly serial: CertificateSerial;
  /** When it was revoked. */
  readonly revokedAt: Date;
  /** RFC 5280 reason code, when the entry has one. */
  readonly reason: number | undefined;
}

/** A parsed CRL. */
export interface CertificateRevocationList {
  /** Issuer DN. */
  readonly issuer: string;
  /** When the CRL was produced. */
  readonly thisUpdate: Date;
  /** When the next one is due, if stated. */
  readonly nextUpdate: Date | undefined;
  /** Revoked certificates. */
  readonly entries: readonly CrlEntry[];
  /** Whether the signature verified with the issuer certificate given to {@link parseCrl} (`undefined` when none was given). */
  readonly signatureValid: boolean | undefined;
  /** The entry for `serial` (any hex form or bigint), or `undefined` when it is not revoked per this CRL. */
  find(serial: string | bigint): CrlEntry | undefined;
}

/** Parse a CRL (PEM text or DER bytes); when `issuerPem` is given, its signature is verified with it. */
export async function parseCrl(crl: string | Uint8Array, issuerPem?: string): Promise<CertificateRevocationList> {
  const parsed = new X509Crl(typeof crl === "string" ? crl.trim() : Buffer.from(crl));
  const entries: CrlEntry[] = parsed.entries.map((e) => ({
    serial: formatSerial(e.serialNumber),
    revokedAt: e.revocationDate,
    reason: e.reason === undefined ? undefined : Number(e.reason),
  }));
  const byValue = new Map(entries.map((e) => [e.serial.value, e]));
  let signatureValid: boolean | undefined;
  if (issuerPem !== undefined) {
    const issuer = new X509Certificate(toCertificatePem(issuerPem));
    signatureValid = await parsed.verify({ publicKey: issuer }, webcrypto as Crypto).catch(() => false);
  }
  return {
    issuer: parsed.issuer,
    thisUpdate: parsed.thisUpdate,
    nextUpdate: parsed.nextUpdate,
    entries,
    signatureValid,
    find: (serial) => byValue.get(formatSerial(serial).value),
  };
}
