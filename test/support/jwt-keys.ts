/**
 * JWT signing for tests, with keys generated per run by `node:crypto` (no JOSE library): an
 * RSA key pair, its public key as PEM (what Vault's `jwt_validation_pubkeys` and kubernetes
 * auth's `pem_keys` take) and RS256 compact JWS signing.
 */
import { KeyObject, generateKeyPairSync, randomUUID, sign } from "node:crypto";

/** An RSA signing key for JWTs. */
export interface JwtSigningKey {
  /** PEM (SPKI) public key to register with the server. */
  readonly publicKeyPem: string;
  /** Key id put into the JWT header. */
  readonly kid: string;
  /** Sign `claims` as an RS256 JWT. */
  sign(claims: Readonly<Record<string, unknown>>): string;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

/** Create a fresh 2048-bit RSA key for signing JWTs. */
export function createJwtSigningKey(): JwtSigningKey {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  return {
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    kid,
    sign: (claims) => signJwt(claims, privateKey, kid),
  };
}

/** Sign `claims` with `privateKey` as a compact RS256 JWS. */
export function signJwt(claims: Readonly<Record<string, unknown>>, privateKey: KeyObject, kid?: string): string {
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", ...(kid ? { kid } : {}) }));
  const payload = base64url(JSON.stringify(claims));
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

/** Seconds since the epoch, as JWT time claims use. */
export function epochSeconds(date = new Date()): number {
  return Math.floor(date.getTime() / 1000);
}
