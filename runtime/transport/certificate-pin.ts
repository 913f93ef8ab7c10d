/**
 * Certificate pinning: the server's chain must contain a certificate whose SubjectPublicKeyInfo
 * hashes (SHA-256, base64) to one of the configured pins. Checked during the TLS handshake, so a
 * mismatch refuses the connection before any request (or token) is sent.
 */
import { createHash, X509Certificate } from "node:crypto";
import type { DetailedPeerCertificate, PeerCertificate } from "node:tls";
import { checkServerIdentity } from "node:tls";

/** The pin did not match; raised inside the handshake and surfaced as the connection error's cause. */
export class CertificatePinMismatchError extends Error {
  /** SPKI SHA-256 (base64) of every certificate the server presented. */
  public readonly presented: readonly string[];

  /** @internal */
  constructor(host: string, presented: readonly string[]) {
    super(`certificate pin mismatch for ${host}: the server presented SPKI sha256 ${presented.join(", ")}, none of which is pinned`);
    this.name = "CertificatePinMismatchError";
    this.presented = presented;
  }
}

/** SPKI SHA-256 pin (base64) of a PEM or DER certificate — what to put in `tls.pins`. */
export function spkiPin(certificate: string | Buffer): string {
  const spki = new X509Certificate(certificate).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

function chainOf(cert: PeerCertificate): PeerCertificate[] {
  const chain: PeerCertificate[] = [];
  let current: PeerCertificate | undefined = cert;
  while (current?.raw && !chain.includes(current)) {
    chain.push(current);
    // Node passes the detailed certificate (getPeerCertificate(true)) to checkServerIdentity.
    const issuer: PeerCertificate | undefined = (current as Partial<DetailedPeerCertificate>).issuerCertificate;
    current = issuer && issuer !== current ? issuer : undefined;
  }
  return chain;
}

/** A `checkServerIdentity` that runs Node's hostname check, then the pin check. */
export function pinningIdentityCheck(pins: readonly string[]): (host: string, cert: PeerCertificate) => Error | undefined {
  const wanted = new Set(pins);
  return (host, cert) => {
    const hostError = checkServerIdentity(host, cert);
    if (hostError) return hostError;
    const presented = chainOf(cert).map((c) => spkiPin(c.raw));
    return presented.some((pin) => wanted.has(pin)) ? undefined : new CertificatePinMismatchError(host, presented);
  };
}
