/**
 * Typed errors of the transit engine. A refusal by OpenBao keeps `VaultHttpError` as its base (so
 * status and request id stay where callers look for them) and names the mount, the key and the
 * API path; an item of a batch that failed carries its index in the caller's list. Refusals made
 * here, before anything is sent, are {@link TransitInputError}s.
 *
 * None carries a plaintext, ciphertext, signature or context: messages are built from names and
 * OpenBao's own error strings, and any value sent in the failed request is cut out of those
 * strings should a server ever echo one.
 *
 * OpenBao's wording these classes are recognised by (OpenBao 2.6.1, builtin/logical/transit and
 * sdk/helper/keysutil): "encryption key not found", "signing key not found", "signature
 * verification key not found", "key not found" (rotate), "no existing key named … could be found"
 * (config), "invalid key name" (trim), and for an encrypt "key type ecdsa-p256 not supported for
 * this operation" (see transit.ts: the refused upsert); "missing 'context' for key derivation"; "ciphertext or
 * signature version is disallowed by policy (too old)", "cannot verify HMAC: version is too old";
 * "invalid ciphertext: …", "invalid ciphertext length", "invalid signature: …", "invalid HMAC…",
 * and the AEAD's "message authentication failed".
 */
import { VaultError, VaultHttpError, VaultInputError, VaultRefusalError } from "../core/errors";
import { ciphertextVersion } from "./transit-batch";

/** Where a transit error happened. */
export interface TransitErrorSite {
  /** Mount path, e.g. `transit`. */
  readonly mount: string;
  /** Transit key name. */
  readonly key: string;
  /** Index of the item in the caller's batch; undefined for a single operation. */
  readonly index?: number;
}

/** A transit operation OpenBao refused. Subclasses say why; this class itself is any other refusal. */
export class TransitError extends VaultRefusalError {
  /** Mount path. */
  public readonly mount: string;
  /** Transit key name. */
  public readonly key: string;
  /** Index of the failed item in the caller's batch; undefined for a single operation. */
  public readonly index: number | undefined;

  /** @internal */
  constructor(source: VaultHttpError, site: TransitErrorSite, what: string) {
    const item = site.index === undefined ? "" : ` (batch item ${site.index})`;
    super(source, `transit key "${site.key}" on mount "${site.mount}": ${what}${item}`);
    this.mount = site.mount;
    this.key = site.key;
    this.index = site.index;
  }
}

/** The key does not exist on the mount. Nothing was created: encrypt never upserts here. */
export class TransitKeyNotFoundError extends TransitError {
  /** @internal */
  constructor(source: VaultHttpError, site: TransitErrorSite) {
    super(source, site, "no such key");
  }
}

/**
 * The key is derived and the context was missing, or the context does not match the one the
 * ciphertext was made with. A mismatch is what AES-GCM / ChaCha20-Poly1305 report as an
 * authentication failure when a context was sent: the same failure a ciphertext altered in
 * transit, or different `associated_data`, would give.
 */
export class TransitContextError extends TransitError {
  /** `missing`: the key needs a context and none was sent; `mismatch`: authentication failed under the given context. */
  public readonly reason: "missing" | "mismatch";

  /** @internal */
  constructor(source: VaultHttpError, site: TransitErrorSite, reason: TransitContextError["reason"]) {
    super(
      source,
      site,
      reason === "missing"
        ? "the key is derived and needs a context"
        : "wrong context for this ciphertext (or the ciphertext or associated data was altered)",
    );
    this.reason = reason;
  }
}

/**
 * The ciphertext (or signature, or HMAC) was made with a key version below the key's
 * `min_decryption_version`: the key's owner retired that version. Rewrapping can no longer move
 * it either; only lowering `min_decryption_version` brings it back (while the version is not trimmed).
 */
export class TransitKeyVersionTooOldError extends TransitError {
  /** The key version the refused value names in its `vault:v<n>:` prefix, when it has one. */
  public readonly version: number | undefined;

  /** @internal */
  constructor(source: VaultHttpError, site: TransitErrorSite, version: number | undefined) {
    super(source, site, `key version ${version ?? "?"} is below min_decryption_version`);
    this.version = version;
  }
}

/**
 * The ciphertext (signature, HMAC) is malformed — no `vault:v<n>:` prefix, bad base64, too short,
 * a version newer than the key's — or failed authentication with no context involved.
 */
export class TransitCiphertextError extends TransitError {
  /** @internal */
  constructor(source: VaultHttpError, site: TransitErrorSite) {
    super(source, site, "malformed or altered ciphertext");
  }
}

/** A key created with settings other than those asked for existed already (OpenBao keeps the old key and says nothing). */
export class TransitKeyExistsError extends VaultError {
  /** Mount path. */
  public readonly mount: string;
  /** Transit key name. */
  public readonly key: string;
  /** Settings that differ: name → [asked for, the existing key's]. */
  public readonly differences: Readonly<Record<string, readonly [unknown, unknown]>>;

  /** @internal */
  constructor(path: string, site: TransitErrorSite, differences: Readonly<Record<string, readonly [unknown, unknown]>>) {
    const list = Object.entries(differences)
      .map(([name, [asked, found]]) => `${name}: asked ${String(asked)}, is ${String(found)}`)
      .join("; ");
    super(`transit key "${site.key}" on mount "${site.mount}" already exists with other settings (${list})`, "POST", path);
    this.mount = site.mount;
    this.key = site.key;
    this.differences = differences;
  }
}

/**
 * Input this client refused: before anything was sent (mixed contexts in a batch, an item too
 * large for any request, conflicting options, a bad key name), or an answer it cannot hand over
 * as asked (`as: "text"` for a plaintext that is not UTF-8).
 */
export class TransitInputError extends VaultInputError {
  /** Index of the refused item in the caller's batch; undefined when the whole call was refused. */
  public readonly index: number | undefined;

  /** @internal */
  constructor(method: string, path: string, field: string, detail: string, index?: number) {
    super(method, path, field, detail);
    // Also raised for an answer that cannot be handed over as asked, so not "before sending".
    this.message = `${method} ${path}: ${field} refused${index === undefined ? "" : ` (batch item ${index})`}: ${detail}`;
    this.index = index;
  }
}

/** What was sent with the failed request, for telling errors apart and for cutting values out of messages. */
export interface TransitRequestFacts {
  /** Whether a context was sent. */
  readonly contextSent: boolean;
  /** The ciphertext/signature/HMAC sent, if any: its version prefix names the version refused as too old. */
  readonly ciphertext?: string;
  /** Values sent (base64 plaintexts, ciphertexts, contexts) that must not appear in an error. */
  readonly sensitive?: readonly string[];
  /** The key type an encrypt named so that OpenBao would not create a missing key; its refusal means "no such key". */
  readonly noUpsertType?: string;
}

const NOT_FOUND =
  /^(encryption key not found|signing key not found|signature verification key not found|key not found|invalid key name|no existing key named .* could be found)$/i;

/** Messages with every sent value of 8 characters or more cut out. */
function redact(messages: readonly string[], sensitive: readonly string[]): string[] {
  const values = sensitive.filter((v) => v.length >= 8).sort((a, b) => b.length - a.length);
  return messages.map((message) => values.reduce((text, value) => text.split(value).join("[redacted]"), message));
}

/**
 * The typed error for OpenBao's refusal `error` of a transit call: a subclass of
 * {@link TransitError} for the refusals named in the module doc, `TransitError` itself for any
 * other status or message. Anything but a `VaultHttpError` (no answer, deadline) is returned as is.
 */
export function classifyTransitError(error: unknown, site: TransitErrorSite, facts: TransitRequestFacts): unknown {
  if (!(error instanceof VaultHttpError)) return error;
  const errors = redact(error.errors, facts.sensitive ?? []);
  const source = new VaultHttpError(error.method, error.path, error.status, errors, error.requestId, error.retryAfterMs);
  const text = errors.join("; ");
  // Also on a 500: signing with a derived ed25519 key and no context is an "internal" error in OpenBao 2.6.1.
  if (/missing 'context' for key derivation/i.test(text)) return new TransitContextError(source, site, "missing");
  if (source.status !== 400) return new TransitError(source, site, "refused");
  const refusedUpsert =
    facts.noUpsertType !== undefined && errors.includes(`key type ${facts.noUpsertType} not supported for this operation`);
  if (refusedUpsert || errors.some((e) => NOT_FOUND.test(e.trim()))) return new TransitKeyNotFoundError(source, site);
  if (/disallowed by policy \(too old\)|cannot verify HMAC: version is too old/i.test(text))
    return new TransitKeyVersionTooOldError(source, site, facts.ciphertext === undefined ? undefined : ciphertextVersion(facts.ciphertext));
  if (/message authentication failed/i.test(text))
    return facts.contextSent ? new TransitContextError(source, site, "mismatch") : new TransitCiphertextError(source, site);
  if (/invalid ciphertext|missing ciphertext|invalid signature|invalid HMAC|invalid base64 signature|decode verification HMAC/i.test(text))
    return new TransitCiphertextError(source, site);
  return new TransitError(source, site, "refused");
}
