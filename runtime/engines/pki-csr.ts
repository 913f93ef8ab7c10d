/**
 * Keys generated on this machine and the CSRs that carry their public half to `sign/:role`, so
 * the private key never leaves the caller's process. Uses Node's WebCrypto (the provider
 * @peculiar/x509 builds the CSR with) and converts the key into a {@link PrivateKey}.
 */
import "reflect-metadata";
import { createPrivateKey, webcrypto } from "node:crypto";
import { isIP } from "node:net";
import { Pkcs10CertificateRequest, Pkcs10CertificateRequestGenerator, SubjectAlternativeNameExtension } from "@peculiar/x509";
import type { JsonGeneralName } from "@peculiar/x509";
import { PrivateKey } from "./pki-private-key";

/** Key to generate locally. */
export type LocalKeySpec =
  | { readonly type: "ec"; readonly curve?: "P-256" | "P-384" }
  | { readonly type: "rsa"; readonly bits?: 2048 | 3072 | 4096 }
  | { readonly type: "ed25519" };

/** What goes into a CSR besides the key. */
export interface CsrSubject {
  /** Subject common name. */
  readonly commonName: string;
  /** SANs: IP addresses become IP SANs, `scheme:` values URI SANs, `a@b` e-mail SANs, the rest DNS SANs. @default none */
  readonly altNames?: readonly string[];
}

/** A locally generated key and its CSR. */
export interface LocalKeyAndCsr {
  /** The private key; it never leaves this process unless the caller exports it. */
  readonly privateKey: PrivateKey;
  /** PEM PKCS#10 request to send to `sign/:role` or `sign-verbatim`. */
  readonly csr: string;
}

/** WebCrypto parameters for generating and signing with `spec`. */
function algorithms(spec: LocalKeySpec): {
  generate: webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams | webcrypto.Algorithm;
  sign: webcrypto.Algorithm | webcrypto.EcdsaParams;
} {
  switch (spec.type) {
    case "ec": {
      const curve = spec.curve ?? "P-256";
      return {
        generate: { name: "ECDSA", namedCurve: curve },
        sign: { name: "ECDSA", hash: curve === "P-384" ? "SHA-384" : "SHA-256" } as webcrypto.EcdsaParams,
      };
    }
    case "rsa":
      return {
        generate: {
          name: "RSASSA-PKCS1-v1_5",
          modulusLength: spec.bits ?? 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: "SHA-256",
        },
        sign: { name: "RSASSA-PKCS1-v1_5" },
      };
    case "ed25519":
      return { generate: { name: "Ed25519" }, sign: { name: "Ed25519" } };
  }
}

/** Classify one SAN by its syntax. */
export function classifySan(name: string): JsonGeneralName {
  if (isIP(name) !== 0) return { type: "ip", value: name };
  if (name.includes("@")) return { type: "email", value: name };
  if (/^[a-z][a-z0-9+.-]*:/i.test(name)) return { type: "url", value: name };
  return { type: "dns", value: name };
}

/** Generate a key pair locally and a CSR for it, signed with it. */
export async function generateKeyAndCsr(subject: CsrSubject, spec: LocalKeySpec = { type: "ec" }): Promise<LocalKeyAndCsr> {
  const { generate, sign } = algorithms(spec);
  const keys = (await webcrypto.subtle.generateKey(generate, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const sans = [subject.commonName, ...(subject.altNames ?? [])].filter((n, i, all) => all.indexOf(n) === i).map(classifySan);
  const csr = await Pkcs10CertificateRequestGenerator.create(
    {
      name: [{ CN: [subject.commonName] }],
      keys: keys as CryptoKeyPair,
      signingAlgorithm: sign as Algorithm,
      extensions: sans.length > 0 ? [new SubjectAlternativeNameExtension(sans)] : [],
    },
    webcrypto as Crypto,
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  return { privateKey: new PrivateKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" })), csr: csr.toString("pem") };
}

/**
 * Check a CSR before it is sent: it must be one PEM `CERTIFICATE REQUEST` (or base64 DER) that
 * parses and whose signature verifies with its own key. Returns the normalised PEM, or a reason.
 */
export async function checkCsr(csr: string): Promise<{ ok: true; pem: string; subject: string } | { ok: false; reason: string }> {
  const text = csr.trim();
  if (text.length === 0) return { ok: false, reason: "CSR is empty" };
  if (text.includes("PRIVATE KEY-----")) return { ok: false, reason: "a private key was given where a CSR was expected (it was not sent)" };
  let request: Pkcs10CertificateRequest;
  try {
    const pem = /-----BEGIN (NEW )?CERTIFICATE REQUEST-----[\s\S]*?-----END (NEW )?CERTIFICATE REQUEST-----/.exec(text);
    if (text.includes("-----BEGIN") && !pem) return { ok: false, reason: "no PEM CERTIFICATE REQUEST block" };
    request = new Pkcs10CertificateRequest(
      pem ? pem[0].replace(/NEW CERTIFICATE REQUEST/g, "CERTIFICATE REQUEST") : Buffer.from(text, "base64"),
    );
  } catch (error) {
    return { ok: false, reason: `not a PKCS#10 request (${error instanceof Error ? error.message : String(error)})` };
  }
  let valid = false;
  try {
    valid = await request.verify(webcrypto as Crypto);
  } catch (error) {
    return { ok: false, reason: `its signature cannot be checked (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!valid) return { ok: false, reason: "its signature does not verify with its own public key" };
  return { ok: true, pem: request.toString("pem"), subject: request.subject };
}
