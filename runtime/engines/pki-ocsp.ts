/**
 * OCSP (RFC 6960) requests and responses, built and parsed with pkijs.
 *
 * Why pkijs: it is the maintained, widely used (millions of weekly installs) PKI library of the
 * PeculiarVentures family that @peculiar/x509 belongs to, shares its asn1js codec, works in
 * CommonJS on Node 20 (the 3.x line; 4.x is ESM-only), and also provides the PKCS#12 structures
 * the certificate file sinks need — one library for both. `@peculiar/asn1-ocsp` was the
 * alternative, but it is a little-used package lagging the rest of the asn1-* family.
 *
 * The request identifies the certificate by issuer name hash, issuer key hash and serial (SHA-1,
 * as RFC 5019 asks of lightweight responders), so a serial alone — no certificate — is enough to
 * ask about. The response signature is checked against the issuer with node:crypto.
 */
import { createHash, createPublicKey, verify } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { CertificateSerial, formatSerial, toCertificatePem } from "./pki-parse";

/** What the responder said about one certificate. */
export type OcspCertStatus = "good" | "revoked" | "unknown";

/** A parsed OCSP answer for one serial. */
export interface OcspResult {
  /** The certificate's status. */
  readonly status: OcspCertStatus;
  /** The serial the answer is about (checked to be the one asked about). */
  readonly serial: CertificateSerial;
  /** When revoked: the revocation time. */
  readonly revokedAt: Date | undefined;
  /** When revoked with a reason: its RFC 5280 code. */
  readonly reason: number | undefined;
  /** When the status was known to be correct. */
  readonly thisUpdate: Date;
  /** When newer information will be available, if stated. */
  readonly nextUpdate: Date | undefined;
  /** Whether the response is signed by the issuer's key. */
  readonly signatureValid: boolean;
}

/** The OCSP response carried a status other than `successful` (malformed request, try later, …). */
export class OcspResponseError extends Error {
  /** RFC 6960 `OCSPResponseStatus` (1 malformedRequest, 2 internalError, 3 tryLater, 5 sigRequired, 6 unauthorized). */
  public readonly responseStatus: number;

  /** @internal */
  constructor(responseStatus: number, detail: string) {
    super(`OCSP responder answered with status ${responseStatus}: ${detail}`);
    this.name = "OcspResponseError";
    this.responseStatus = responseStatus;
  }
}

const SHA1 = "1.3.14.3.2.26";
const BASIC_RESPONSE = "1.3.6.1.5.5.7.48.1.1";
/** Signature algorithms Vault/OpenBao sign OCSP responses with, to Node's digest names (null: the key decides). */
const SIGNATURE_DIGESTS: Readonly<Record<string, string | null>> = {
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "1.3.101.112": null,
};

function issuerCertificate(issuerPem: string): pkijs.Certificate {
  const der = Buffer.from(
    toCertificatePem(issuerPem)
      .replace(/-----(BEGIN|END) CERTIFICATE-----/g, "")
      .replace(/\s+/g, ""),
    "base64",
  );
  return pkijs.Certificate.fromBER(der);
}

/** Positive INTEGER content octets for a serial (a leading 0x00 when the top bit is set). */
function serialOctets(serial: CertificateSerial): Uint8Array {
  const bytes = Buffer.from(serial.hex, "hex");
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** DER of an OCSP request asking about `serial`, issued by the certificate `issuerPem`. */
export function buildOcspRequest(serial: string | bigint, issuerPem: string): Uint8Array {
  const issuer = issuerCertificate(issuerPem);
  const sha1 = (data: Uint8Array): Uint8Array => createHash("sha1").update(data).digest();
  const certId = new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA1, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: sha1(new Uint8Array(issuer.subject.toSchema().toBER(false))) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: sha1(issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView) }),
    serialNumber: new asn1js.Integer({ valueHex: serialOctets(formatSerial(serial)) }),
  });
  const request = new pkijs.OCSPRequest();
  request.tbsRequest.requestList = [new pkijs.Request({ reqCert: certId })];
  return new Uint8Array(request.toSchema(true).toBER(false));
}

function verifySignature(basic: pkijs.BasicOCSPResponse, issuer: pkijs.Certificate): boolean {
  const digest = SIGNATURE_DIGESTS[basic.signatureAlgorithm.algorithmId];
  if (digest === undefined) return false;
  const key = createPublicKey({ key: Buffer.from(issuer.subjectPublicKeyInfo.toSchema().toBER(false)), format: "der", type: "spki" });
  try {
    return verify(digest, basic.tbsResponseData.tbsView, key, basic.signature.valueBlock.valueHexView);
  } catch {
    return false;
  }
}

/** Parse a DER OCSP response to the request {@link buildOcspRequest} built for `serial`. */
export function parseOcspResponse(der: Uint8Array, serial: string | bigint, issuerPem: string): OcspResult {
  const asked = formatSerial(serial);
  const outer = asn1js.fromBER(der);
  if (outer.offset === -1) throw new OcspResponseError(-1, `the answer is not DER (${outer.result.error})`);
  const response = new pkijs.OCSPResponse({ schema: outer.result });
  const status = response.responseStatus.valueBlock.valueDec;
  if (status !== 0) throw new OcspResponseError(status, "no certificate status in the answer");
  if (!response.responseBytes || response.responseBytes.responseType !== BASIC_RESPONSE) {
    throw new OcspResponseError(status, `unsupported response type ${response.responseBytes?.responseType ?? "(none)"}`);
  }
  const basic = new pkijs.BasicOCSPResponse({ schema: asn1js.fromBER(response.responseBytes.response.valueBlock.valueHexView).result });
  const single = basic.tbsResponseData.responses.find(
    (r) => formatSerial(Buffer.from(r.certID.serialNumber.valueBlock.valueHexView).toString("hex")).value === asked.value,
  );
  if (!single) throw new OcspResponseError(status, `the answer is not about serial ${asked.colon}`);
  const certStatus = single.certStatus as asn1js.BaseBlock & { valueBlock: { value?: asn1js.BaseBlock[] } };
  const tag = certStatus.idBlock.tagNumber;
  let revokedAt: Date | undefined;
  let reason: number | undefined;
  if (tag === 1) {
    const [time, reasonBlock] = certStatus.valueBlock.value ?? [];
    if (time instanceof asn1js.GeneralizedTime) revokedAt = time.toDate();
    const inner = (reasonBlock as { valueBlock?: { value?: asn1js.BaseBlock[] } } | undefined)?.valueBlock?.value?.[0];
    if (inner instanceof asn1js.Enumerated) reason = inner.valueBlock.valueDec;
  }
  return {
    status: tag === 0 ? "good" : tag === 1 ? "revoked" : "unknown",
    serial: asked,
    revokedAt,
    reason,
    thisUpdate: single.thisUpdate,
    nextUpdate: single.nextUpdate,
    signatureValid: verifySignature(basic, issuerCertificate(issuerPem)),
  };
}
