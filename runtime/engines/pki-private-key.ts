/**
 * A private key held so that it cannot leak by accident: the material lives in a true private
 * field, and `util.inspect`, `JSON.stringify`, `String()` and template literals show only the key
 * type. The key is handed out only by the explicit {@link PrivateKey.pem}, {@link PrivateKey.der}
 * and {@link PrivateKey.keyObject} calls — the same approach as the transport's token.
 */
import { KeyObject, createPrivateKey } from "node:crypto";
import { inspect } from "node:util";

/** What a redacted private key shows in logs and JSON. */
export interface RedactedPrivateKey {
  /** Key type (`rsa`, `ec`, `ed25519`). */
  readonly type: string;
  /** Always true: the material itself is never serialised. */
  readonly redacted: true;
}

/** A private key whose material shows nowhere unless asked for by name. */
export class PrivateKey {
  /** Key type as Node names it (`rsa`, `ec`, `ed25519`). */
  public readonly type: string;
  readonly #key: KeyObject;

  /**
   * Hold `material`: PEM (PKCS#1, SEC1 or PKCS#8), base64 DER as Vault's `format: "der"` sends
   * it (`encoding` tells which DER structure), or a `KeyObject`.
   */
  constructor(material: string | KeyObject, encoding: "pkcs8" | "pkcs1" | "sec1" = "pkcs8") {
    if (material instanceof KeyObject) this.#key = material;
    else if (material.includes("-----BEGIN")) this.#key = createPrivateKey(material);
    else this.#key = createPrivateKey({ key: Buffer.from(material, "base64"), format: "der", type: encoding });
    if (this.#key.type !== "private") throw new TypeError("PrivateKey needs a private key");
    this.type = this.#key.asymmetricKeyType ?? "unknown";
  }

  /** The key as PKCS#8 PEM (what Node's `tls` and most tools accept). */
  pem(): string {
    return this.#key.export({ format: "pem", type: "pkcs8" }).toString();
  }

  /** The key as PKCS#8 DER. */
  der(): Buffer {
    return this.#key.export({ format: "der", type: "pkcs8" });
  }

  /** The key as a Node `KeyObject` (for `crypto.sign`, `tls.createSecureContext`). */
  keyObject(): KeyObject {
    return this.#key;
  }

  /** What `util.inspect` shows: the type only. */
  [inspect.custom](): string {
    return `PrivateKey(${this.type}, redacted)`;
  }

  /** What `JSON.stringify` shows: the type only. */
  toJSON(): RedactedPrivateKey {
    return { type: this.type, redacted: true };
  }

  /** What `String()` and template literals show: the type only. */
  toString(): string {
    return `[PrivateKey ${this.type}]`;
  }
}
