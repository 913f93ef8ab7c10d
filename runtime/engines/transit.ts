/**
 * Transit secrets engine: encryption as a service. Encrypt, decrypt and rewrap (one value, or
 * thousands per call as `batch_input`), derived and convergent keys, key creation, rotation,
 * configuration and trimming, signatures (ed25519, ECDSA, RSA), HMACs and data keys. Keys never
 * leave OpenBao; callers hand in bytes or text and get bytes or text back — base64 is this
 * module's business, never the caller's.
 *
 * Requests use Vault's own field names (`context`, `key_version`, `hash_algorithm`, …) so options
 * copied from Vault's documentation work as written; what this client adds to a result is
 * camelCase.
 *
 * OpenBao facts this module relies on (read in OpenBao 2.6.1's builtin/logical/transit and tried
 * on a 2.6.1 server; test/integration/runtime/engines/transit.test.ts shows each one the client
 * works around):
 * - `encrypt/:name` on a key that does not exist *creates* it (an "upsert", with whatever `type`
 *   the body names) unless the mount's `config/keys` has `disable_upsert`. A typo in a key name
 *   would then mint a new key and encrypt under it. Every encrypt sent here names the type
 *   `ecdsa-p256`, which OpenBao reads only when it is about to create the key and refuses there
 *   ("key type ecdsa-p256 not supported for this operation"): an unknown key is a
 *   {@link TransitKeyNotFoundError} and nothing is created. Keys are made with {@link TransitApi.createKey}.
 * - One request may hold at most 1,000 JSON strings (object keys included), so batches are split
 *   (see transit-batch.ts); the parts run `concurrency` at a time and results keep input order.
 * - A batch answers 400 when any item failed (200 for rewrap), with every item's result in
 *   `batch_results`; an item's error names no value. All items of one request must carry a
 *   context or none do, else the whole request is refused.
 * - A context sent for a key that is not derived is ignored: it does not make a key per context.
 * - `createKey` on an existing key answers 200 with the existing key, unchanged and without a
 *   warning; this client compares what it asked for with what it got ({@link TransitKeyExistsError}).
 * - HMAC verification reads the hash from `algorithm`; `hash_algorithm` (the signature field) is
 *   ignored there and the HMAC is checked with sha2-256, so a sha2-512 HMAC would come back
 *   "not valid". {@link TransitApi.verifyHmac} sends `algorithm`.
 * - ed25519 signs the message itself: `hash_algorithm` and `prehashed` change nothing.
 */
import { VaultHttpError, VaultProtocolError } from "../core/errors";
import { POLICIES, RequestPolicy, Requester } from "../transport/requester";
import {
  JsonValue,
  TransitData,
  TransitRequestLimits,
  ciphertextVersion,
  forEachBounded,
  fromBase64,
  jsonCost,
  planBatches,
  toBase64,
} from "./transit-batch";
import {
  TransitError,
  TransitErrorSite,
  TransitInputError,
  TransitKeyExistsError,
  TransitRequestFacts,
  classifyTransitError,
} from "./transit-errors";

/** Key types OpenBao's transit engine creates. */
export type TransitKeyType =
  | "aes128-gcm96"
  | "aes256-gcm96"
  | "chacha20-poly1305"
  | "xchacha20-poly1305"
  | "ed25519"
  | "ecdsa-p256"
  | "ecdsa-p384"
  | "ecdsa-p521"
  | "rsa-2048"
  | "rsa-3072"
  | "rsa-4096"
  | "hmac";

/** Hash algorithms of `sign`/`verify` (`none` only for RSA PKCS#1 v1.5 with `prehashed`). */
export type TransitHashAlgorithm =
  "sha1" | "sha2-224" | "sha2-256" | "sha2-384" | "sha2-512" | "sha3-224" | "sha3-256" | "sha3-384" | "sha3-512" | "none";

/** Hash algorithms of `hmac`. */
export type TransitHmacAlgorithm = Exclude<TransitHashAlgorithm, "none">;

/** Request of {@link TransitApi.createKey} (Vault's names). */
export interface TransitCreateKeyRequest {
  /** Key type. @default "aes256-gcm96" */
  readonly type?: TransitKeyType;
  /** Derive a key per `context` (one key per application, tenant, record…). @default false */
  readonly derived?: boolean;
  /** Equal plaintext and context give equal ciphertext (searchable encryption). Needs `derived`. @default false */
  readonly convergent_encryption?: boolean;
  /** Allow exporting the key material. Cannot be turned off later. @default false */
  readonly exportable?: boolean;
  /** Allow a plaintext backup of the key. Cannot be turned off later. @default false */
  readonly allow_plaintext_backup?: boolean;
  /** Rotate automatically this often: seconds or a Vault duration (`"720h"`), at least one hour; 0 = never. @default 0 */
  readonly auto_rotate_period?: string | number;
  /**
   * Key size in bytes (32–512), for `hmac` keys only. OpenBao 2.6.1 refuses an `hmac` key without
   * one (HTTP 500 "invalid key size for HMAC key"), so this client sends 32 when none is given.
   * @default 32 for `hmac` keys
   */
  readonly key_size?: number;
}

/** Settings of {@link TransitApi.configureKey} (Vault's names); what is left out stays as it is. */
export interface TransitKeyConfig {
  /** Oldest version that may still decrypt (and verify). Versions below it are refused with {@link TransitKeyVersionTooOldError}. */
  readonly min_decryption_version?: number;
  /** Oldest version that may encrypt (and sign); 0 = the latest only. */
  readonly min_encryption_version?: number;
  /** Whether the key may be deleted. */
  readonly deletion_allowed?: boolean;
  /** Allow export (cannot be turned off again). */
  readonly exportable?: boolean;
  /** Allow a plaintext backup (cannot be turned off again). */
  readonly allow_plaintext_backup?: boolean;
  /** Automatic rotation period: seconds or a Vault duration; 0 = never. */
  readonly auto_rotate_period?: string | number;
}

/** One version of a key, as OpenBao lists it. */
export interface TransitKeyVersion {
  /** Version number, from 1. */
  readonly version: number;
  /** When it was created. */
  readonly createdAt: Date;
  /** Public key of an asymmetric key (PEM for ECDSA and RSA, base64 for ed25519). */
  readonly publicKey?: string;
}

/** A key's settings and versions (`GET :mount/keys/:name`). */
export interface TransitKeyInfo {
  /** Key name. */
  readonly name: string;
  /** Key type (`aes256-gcm96`, `ed25519`, …). */
  readonly type: string;
  /** Whether a context derives a key per context. */
  readonly derived: boolean;
  /** Whether encryption is convergent. */
  readonly convergentEncryption: boolean;
  /** Whether the key may be exported. */
  readonly exportable: boolean;
  /** Whether a plaintext backup may be taken. */
  readonly allowPlaintextBackup: boolean;
  /** Whether the key may be deleted. */
  readonly deletionAllowed: boolean;
  /** Newest version. */
  readonly latestVersion: number;
  /** Oldest version that may decrypt / verify. */
  readonly minDecryptionVersion: number;
  /** Oldest version that may encrypt / sign (0: the latest only). */
  readonly minEncryptionVersion: number;
  /** Oldest version still stored (0 until trimmed). */
  readonly minAvailableVersion: number;
  /** What the key type can do. */
  readonly supportsEncryption: boolean;
  readonly supportsDecryption: boolean;
  readonly supportsSigning: boolean;
  readonly supportsDerivation: boolean;
  /** Automatic rotation period in seconds (0: never). */
  readonly autoRotatePeriodSeconds: number;
  /** Key size in bytes (HMAC keys). */
  readonly keySize: number | undefined;
  /** Versions OpenBao lists (from `min_decryption_version` up; none for `hmac` keys), oldest first. */
  readonly versions: readonly TransitKeyVersion[];
}

/** A ciphertext and the key version that made it. */
export interface TransitCiphertext {
  /** `vault:v<n>:<base64>`, as OpenBao makes it. */
  readonly ciphertext: string;
  /** Key version used. */
  readonly keyVersion: number;
}

/** Options of {@link TransitApi.encrypt} (Vault's names). */
export interface TransitEncryptOptions {
  /** Context of a derived key (bytes or UTF-8 text). Required by derived keys, ignored by others. */
  readonly context?: TransitData;
  /** Key version to encrypt with. @default the latest */
  readonly key_version?: number;
  /** Associated data of an AEAD key: authenticated, not encrypted; decryption needs the same. */
  readonly associated_data?: TransitData;
}

/** Options of {@link TransitApi.decrypt}. */
export interface TransitDecryptOptions {
  /** Context the value was encrypted with (derived keys). */
  readonly context?: TransitData;
  /** Associated data it was encrypted with. */
  readonly associated_data?: TransitData;
}

/** Options of {@link TransitApi.rewrap}. */
export interface TransitRewrapOptions {
  /** Context the value was encrypted with (derived keys). */
  readonly context?: TransitData;
  /** Version to rewrap to. @default the latest */
  readonly key_version?: number;
}

/** One item of {@link TransitApi.encryptBatch}. */
export interface TransitEncryptItem extends TransitEncryptOptions {
  /** Bytes, or text sent as UTF-8. */
  readonly plaintext: TransitData;
}

/** One item of {@link TransitApi.decryptBatch}. */
export interface TransitDecryptItem extends TransitDecryptOptions {
  /** `vault:v<n>:…` */
  readonly ciphertext: string;
}

/** One item of {@link TransitApi.rewrapBatch}. */
export interface TransitRewrapItem extends TransitRewrapOptions {
  /** `vault:v<n>:…` */
  readonly ciphertext: string;
}

/** Options of the batch calls. */
export interface TransitBatchOptions {
  /** Context for every item that has none of its own (one application, one context). */
  readonly context?: TransitData;
  /** Requests in flight at once when the batch is split. @default the API's (4) */
  readonly concurrency?: number;
}

/**
 * Outcome of one batch item, at its index in the caller's list: the value, or the typed error it
 * failed with (a {@link TransitError} subclass with status 400, as OpenBao answers the same item
 * sent alone, or a {@link TransitInputError} when it was refused before sending).
 */
export type TransitBatchResult<T> =
  | { readonly index: number; readonly ok: true; readonly value: T }
  | { readonly index: number; readonly ok: false; readonly error: TransitError | TransitInputError };

/** Options of {@link TransitApi.sign} (Vault's names). */
export interface TransitSignOptions {
  /** Hash of the input for ECDSA and RSA (ed25519 ignores it). @default "sha2-256" */
  readonly hash_algorithm?: TransitHashAlgorithm;
  /** The input is already a hash (ECDSA, RSA). @default false */
  readonly prehashed?: boolean;
  /** ECDSA signature encoding: `asn1` (DER, as OpenSSL and X.509) or `jws` (r‖s, base64url, as JWS/JWT). @default "asn1" */
  readonly marshaling_algorithm?: "asn1" | "jws";
  /** RSA padding. @default "pss" */
  readonly signature_algorithm?: "pss" | "pkcs1v15";
  /** RSA-PSS salt length. @default "auto" */
  readonly salt_length?: "auto" | "hash" | number;
  /** Context of a derived ed25519 key. */
  readonly context?: TransitData;
  /** Key version to sign with. @default the latest */
  readonly key_version?: number;
}

/** Options of {@link TransitApi.verify}: those of signing, without the version (the signature names it). */
export type TransitVerifyOptions = Omit<TransitSignOptions, "key_version">;

/** A signature and the key version that made it. */
export interface TransitSignature {
  /** `vault:v<n>:<base64>` (base64url with `jws`). */
  readonly signature: string;
  /** Key version used. */
  readonly keyVersion: number;
  /** Public key of a derived ed25519 key for the context (base64), when OpenBao returns one. */
  readonly publicKey: string | undefined;
}

/** Options of {@link TransitApi.hmac}. */
export interface TransitHmacOptions {
  /** Hash function. @default "sha2-256" */
  readonly algorithm?: TransitHmacAlgorithm;
  /** Key version. @default the latest */
  readonly key_version?: number;
}

/** An HMAC and the key version that made it. */
export interface TransitHmac {
  /** `vault:v<n>:<base64>`. */
  readonly hmac: string;
  /** Key version used. */
  readonly keyVersion: number;
}

/** Options of {@link TransitApi.dataKey} and {@link TransitApi.wrappedDataKey}. */
export interface TransitDataKeyOptions {
  /** Size of the generated key. @default 256 */
  readonly bits?: 128 | 256 | 512;
  /** Context of a derived wrapping key. */
  readonly context?: TransitData;
  /** Version of the wrapping key. @default the latest */
  readonly key_version?: number;
  /** Associated data bound to the wrapped key. */
  readonly associated_data?: TransitData;
}

/** A data key wrapped by a transit key; decrypt `ciphertext` with the same key to get the key back. */
export interface TransitWrappedDataKey {
  /** The data key, encrypted under the transit key. Store this. */
  readonly ciphertext: string;
  /** Version of the transit key that wrapped it. */
  readonly keyVersion: number;
}

/** A data key in the clear too: use `plaintext` locally, store only `ciphertext`. */
export interface TransitDataKey extends TransitWrappedDataKey {
  /** The key itself (`bits` / 8 bytes). */
  readonly plaintext: Uint8Array;
}

/** Options of {@link TransitApi}. */
export interface TransitApiOptions {
  /** The server's request limits, when its listener changes OpenBao's defaults. @default OpenBao 2.6.1's */
  readonly limits?: TransitRequestLimits;
  /** Requests in flight at once for a split batch. @default 4 */
  readonly concurrency?: number;
}

/**
 * The type named in every encrypt body. OpenBao reads it only when the key does not exist and it
 * is about to create one, and refuses ECDSA there — so encrypt never creates a key (module doc).
 */
const NO_UPSERT_TYPE = "ecdsa-p256";

/** OpenBao's key name rule (`framework.GenericNameRegex`): a `/` would reach another endpoint (`x/rotate`). */
const KEY_NAME = /^\w(?:[\w.@-]*\w)?$/;

interface RawKey {
  readonly name: string;
  readonly type: string;
  readonly derived: boolean;
  readonly convergent_encryption?: boolean;
  readonly exportable: boolean;
  readonly allow_plaintext_backup: boolean;
  readonly deletion_allowed: boolean;
  readonly latest_version: number;
  readonly min_decryption_version: number;
  readonly min_encryption_version: number;
  readonly min_available_version: number;
  readonly supports_encryption: boolean;
  readonly supports_decryption: boolean;
  readonly supports_signing: boolean;
  readonly supports_derivation: boolean;
  readonly auto_rotate_period?: number;
  readonly key_size?: number;
  readonly keys?: Record<string, number | { creation_time?: string; public_key?: string }>;
}

interface RawBatchItem {
  readonly ciphertext?: string;
  readonly plaintext?: string;
  readonly key_version?: number;
  readonly error?: string;
}

interface Envelope<T> {
  readonly request_id?: string;
  readonly data?: T;
  readonly errors?: readonly string[];
}

type JsonObject = { readonly [key: string]: JsonValue | undefined };

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function checkMount(value: string): string {
  const trimmed = value.replace(/^\/+|\/+$/g, "");
  if (trimmed.length === 0) throw new TypeError("transit mount path must not be empty");
  if (trimmed.split("/").some((s) => s === ".." || s === "."))
    throw new TypeError(`transit mount path must not contain "." or ".." segments: "${value}"`);
  return trimmed;
}

function isData(value: unknown): value is TransitData {
  return typeof value === "string" || value instanceof Uint8Array;
}

function durationSeconds(value: string | number): string {
  return typeof value === "number" ? `${value}s` : value;
}

function toKeyInfo(raw: RawKey): TransitKeyInfo {
  const versions = Object.entries(raw.keys ?? {})
    .map(([version, entry]): TransitKeyVersion => {
      if (typeof entry === "number") return { version: Number(version), createdAt: new Date(entry * 1000) };
      return {
        version: Number(version),
        createdAt: new Date(entry.creation_time ?? 0),
        ...(entry.public_key ? { publicKey: entry.public_key } : {}),
      };
    })
    .sort((a, b) => a.version - b.version);
  return {
    name: raw.name,
    type: raw.type,
    derived: raw.derived,
    convergentEncryption: raw.convergent_encryption ?? false,
    exportable: raw.exportable,
    allowPlaintextBackup: raw.allow_plaintext_backup,
    deletionAllowed: raw.deletion_allowed,
    latestVersion: raw.latest_version,
    minDecryptionVersion: raw.min_decryption_version,
    minEncryptionVersion: raw.min_encryption_version,
    minAvailableVersion: raw.min_available_version,
    supportsEncryption: raw.supports_encryption,
    supportsDecryption: raw.supports_decryption,
    supportsSigning: raw.supports_signing,
    supportsDerivation: raw.supports_derivation,
    autoRotatePeriodSeconds: raw.auto_rotate_period ?? 0,
    keySize: raw.key_size,
    versions,
  };
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** `bytes` as UTF-8 text; a {@link TransitInputError} on field `as` when they are not text. */
function asText(bytes: Uint8Array, path: string, index?: number): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new TransitInputError("POST", path, "as", 'the plaintext is not valid UTF-8 text; decrypt it without as: "text"', index);
  }
}

/** Bytes of base64 the server sent; anything else is a protocol error (a proxy in the way), not the caller's. */
function answerBytes(value: string, method: string, path: string, what: string): Uint8Array {
  try {
    return fromBase64(value, what);
  } catch {
    throw new VaultProtocolError(method, path, 200, `${what} that is not standard base64`);
  }
}

/** One transit mount. */
export class TransitApi {
  /** Mount path without slashes, e.g. `transit`. */
  public readonly mount: string;
  private readonly limits: TransitRequestLimits;
  private readonly concurrency: number;

  /**
   * @param requester how requests are sent
   * @param mount mount path, e.g. `transit`
   * @param options the server's request limits and batch concurrency
   */
  constructor(
    private readonly requester: Requester,
    mount: string,
    options: TransitApiOptions = {},
  ) {
    this.mount = checkMount(mount);
    this.limits = options.limits ?? {};
    this.concurrency = options.concurrency ?? 4;
  }

  private path(operation: string, key: string, suffix?: string): string {
    const name = this.keyName(key, `${this.mount}/${operation}`);
    return [encodePath(this.mount), operation, encodeURIComponent(name), ...(suffix ? [suffix] : [])].join("/");
  }

  private keyName(key: string, where: string): string {
    if (typeof key !== "string" || !KEY_NAME.test(key))
      throw new TransitInputError(
        "POST",
        where,
        "name",
        `transit key name must be letters, digits, "_", "-", "." or "@": "${String(key)}"`,
      );
    return key;
  }

  private site(key: string, index?: number): TransitErrorSite {
    return index === undefined ? { mount: this.mount, key } : { mount: this.mount, key, index };
  }

  /** Send one request; a refusal becomes the typed error for it. */
  private async send<T>(
    method: "GET" | "POST" | "DELETE" | "LIST",
    path: string,
    key: string,
    body: JsonObject | undefined,
    policy: RequestPolicy,
    facts: TransitRequestFacts = { contextSent: false },
  ): Promise<T> {
    try {
      const res = await this.requester.request<Envelope<T>>({ method, path, ...(body === undefined ? {} : { body }) }, policy);
      const data = res.body?.data;
      if (data === undefined) throw new VaultProtocolError(method, path, res.status, "no data in the answer");
      return data;
    } catch (error) {
      throw classifyTransitError(error, this.site(key), facts);
    }
  }

  // ---------------------------------------------------------------- keys

  /**
   * Create a key (`POST :mount/keys/:name`). Creating a key that exists with the same settings is
   * harmless; one that exists with other settings raises {@link TransitKeyExistsError}, because
   * OpenBao would keep the old key without a word.
   */
  async createKey(name: string, request: TransitCreateKeyRequest = {}): Promise<TransitKeyInfo> {
    const path = this.path("keys", name);
    const type = request.type ?? "aes256-gcm96";
    const derived = request.derived ?? false;
    const convergent = request.convergent_encryption ?? false;
    if (convergent && !derived)
      throw new TransitInputError("POST", path, "convergent_encryption", "convergent encryption needs a derived key (derived: true)");
    if (request.key_size !== undefined && type !== "hmac")
      throw new TransitInputError("POST", path, "key_size", `key_size applies to hmac keys only, not ${type}`);
    const body: Record<string, JsonValue> = { type, derived, convergent_encryption: convergent, exportable: request.exportable ?? false };
    if (request.allow_plaintext_backup !== undefined) body.allow_plaintext_backup = request.allow_plaintext_backup;
    if (request.auto_rotate_period !== undefined) body.auto_rotate_period = durationSeconds(request.auto_rotate_period);
    if (request.key_size !== undefined || type === "hmac") body.key_size = request.key_size ?? 32;
    const info = toKeyInfo(await this.send<RawKey>("POST", path, name, body, POLICIES.idempotentWrite));
    const differences: Record<string, readonly [unknown, unknown]> = {};
    if (info.type !== type) differences.type = [type, info.type];
    if (info.derived !== derived) differences.derived = [derived, info.derived];
    if (info.convergentEncryption !== convergent) differences.convergent_encryption = [convergent, info.convergentEncryption];
    if (info.exportable !== (request.exportable ?? false)) differences.exportable = [request.exportable ?? false, info.exportable];
    if (Object.keys(differences).length > 0) throw new TransitKeyExistsError(path, this.site(name), differences);
    return info;
  }

  /** A key's settings and versions (`GET :mount/keys/:name`); `undefined` when it does not exist. */
  async readKey(name: string): Promise<TransitKeyInfo | undefined> {
    const path = this.path("keys", name);
    try {
      return toKeyInfo(await this.send<RawKey>("GET", path, name, undefined, POLICIES.read));
    } catch (error) {
      if (error instanceof VaultHttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Names of the mount's keys (`LIST :mount/keys`); empty when there are none. */
  async listKeys(): Promise<readonly string[]> {
    const path = `${encodePath(this.mount)}/keys`;
    try {
      const res = await this.requester.request<Envelope<{ keys?: string[] }>>({ method: "LIST", path }, POLICIES.read);
      return res.body?.data?.keys ?? [];
    } catch (error) {
      if (error instanceof VaultHttpError && error.status === 404) return [];
      throw error;
    }
  }

  /**
   * Add a new version and make it the one that encrypts (`POST :mount/keys/:name/rotate`). Not
   * repeated after an attempt that may have reached the server: a repeat would add a second version.
   */
  async rotateKey(name: string): Promise<TransitKeyInfo> {
    return toKeyInfo(await this.send<RawKey>("POST", this.path("keys", name, "rotate"), name, {}, POLICIES.creatingWrite));
  }

  /** Change a key's settings (`POST :mount/keys/:name/config`); returns the key as it now is. */
  async configureKey(name: string, config: TransitKeyConfig): Promise<TransitKeyInfo> {
    const body: Record<string, JsonValue> = {};
    if (config.min_decryption_version !== undefined) body.min_decryption_version = config.min_decryption_version;
    if (config.min_encryption_version !== undefined) body.min_encryption_version = config.min_encryption_version;
    if (config.deletion_allowed !== undefined) body.deletion_allowed = config.deletion_allowed;
    if (config.exportable !== undefined) body.exportable = config.exportable;
    if (config.allow_plaintext_backup !== undefined) body.allow_plaintext_backup = config.allow_plaintext_backup;
    if (config.auto_rotate_period !== undefined) body.auto_rotate_period = durationSeconds(config.auto_rotate_period);
    return toKeyInfo(await this.send<RawKey>("POST", this.path("keys", name, "config"), name, body, POLICIES.idempotentWrite));
  }

  /**
   * Delete the versions below `minAvailableVersion` for good (`POST :mount/keys/:name/trim`).
   * OpenBao allows it only up to both `min_decryption_version` and `min_encryption_version`, and
   * only once both are set; whatever they encrypted can never be decrypted again.
   */
  async trimKey(name: string, minAvailableVersion: number): Promise<TransitKeyInfo> {
    return toKeyInfo(
      await this.send<RawKey>(
        "POST",
        this.path("keys", name, "trim"),
        name,
        { min_available_version: minAvailableVersion },
        POLICIES.idempotentWrite,
      ),
    );
  }

  /** Delete a key and every version (`DELETE :mount/keys/:name`); needs `deletion_allowed`. */
  async deleteKey(name: string): Promise<void> {
    const path = this.path("keys", name);
    try {
      await this.requester.request({ method: "DELETE", path }, POLICIES.idempotentWrite);
    } catch (error) {
      throw classifyTransitError(error, this.site(name), { contextSent: false });
    }
  }

  // ---------------------------------------------------------------- encrypt, decrypt, rewrap

  /** Encrypt one value (`POST :mount/encrypt/:name`). Never creates the key (module doc). */
  async encrypt(key: string, plaintext: TransitData, options: TransitEncryptOptions = {}): Promise<TransitCiphertext> {
    const path = this.path("encrypt", key);
    const item = this.encryptItem({ ...options, plaintext }, undefined, path);
    const data = await this.send<RawBatchItem>("POST", path, key, { ...item, type: NO_UPSERT_TYPE }, POLICIES.idempotentWrite, {
      contextSent: item.context !== undefined,
      sensitive: Object.values(item).map(String),
      noUpsertType: NO_UPSERT_TYPE,
    });
    return this.ciphertextOf(data, "POST", path);
  }

  /**
   * Encrypt many values, split into as few requests as the server's limits allow; one result per
   * item, at its index, in order. Throws only when a whole request is refused (unknown key,
   * permission) or gets no answer — then no result is returned.
   */
  async encryptBatch(
    key: string,
    items: readonly (TransitData | TransitEncryptItem)[],
    options: TransitBatchOptions = {},
  ): Promise<TransitBatchResult<TransitCiphertext>[]> {
    const path = this.path("encrypt", key);
    const bodies = items.map((item, i) => this.encryptItem(isData(item) ? { plaintext: item } : item, options.context, path, i));
    return this.batch(key, path, bodies, { type: NO_UPSERT_TYPE }, options, (raw) => this.ciphertextOf(raw, "POST", path));
  }

  /** Decrypt one value (`POST :mount/decrypt/:name`): bytes, or UTF-8 text with `as: "text"`. */
  decrypt(key: string, ciphertext: string, options?: TransitDecryptOptions & { as?: "bytes" }): Promise<Uint8Array>;
  decrypt(key: string, ciphertext: string, options: TransitDecryptOptions & { as: "text" }): Promise<string>;
  async decrypt(
    key: string,
    ciphertext: string,
    options: TransitDecryptOptions & { as?: "bytes" | "text" } = {},
  ): Promise<Uint8Array | string> {
    const path = this.path("decrypt", key);
    const item = this.decryptItem({ ...options, ciphertext }, undefined, path);
    const data = await this.send<RawBatchItem>("POST", path, key, item, POLICIES.idempotentWrite, {
      contextSent: item.context !== undefined,
      ciphertext,
      sensitive: Object.values(item).map(String),
    });
    const bytes = this.plaintextOf(data, "POST", path);
    return options.as === "text" ? asText(bytes, path) : bytes;
  }

  /** Decrypt many values (see {@link encryptBatch} for splitting and errors): bytes, or UTF-8 text with `as: "text"`. */
  decryptBatch(
    key: string,
    items: readonly (string | TransitDecryptItem)[],
    options?: TransitBatchOptions & { as?: "bytes" },
  ): Promise<TransitBatchResult<Uint8Array>[]>;
  decryptBatch(
    key: string,
    items: readonly (string | TransitDecryptItem)[],
    options: TransitBatchOptions & { as: "text" },
  ): Promise<TransitBatchResult<string>[]>;
  async decryptBatch(
    key: string,
    items: readonly (string | TransitDecryptItem)[],
    options: TransitBatchOptions & { as?: "bytes" | "text" } = {},
  ): Promise<TransitBatchResult<Uint8Array | string>[]> {
    const path = this.path("decrypt", key);
    const bodies = items.map((item, i) =>
      this.decryptItem(typeof item === "string" ? { ciphertext: item } : item, options.context, path, i),
    );
    return this.batch(key, path, bodies, {}, options, (raw, index) => {
      const bytes = this.plaintextOf(raw, "POST", path);
      return options.as === "text" ? asText(bytes, path, index) : bytes;
    });
  }

  /**
   * Re-encrypt a ciphertext under the latest key version (or `key_version`) without the plaintext
   * leaving OpenBao (`POST :mount/rewrap/:name`): after a rotation, before raising `min_decryption_version`.
   */
  async rewrap(key: string, ciphertext: string, options: TransitRewrapOptions = {}): Promise<TransitCiphertext> {
    const path = this.path("rewrap", key);
    const item = this.rewrapItem({ ...options, ciphertext }, undefined, path);
    const data = await this.send<RawBatchItem>("POST", path, key, item, POLICIES.idempotentWrite, {
      contextSent: item.context !== undefined,
      ciphertext,
      sensitive: Object.values(item).map(String),
    });
    return this.ciphertextOf(data, "POST", path);
  }

  /** Rewrap many ciphertexts (see {@link encryptBatch} for splitting and errors). */
  async rewrapBatch(
    key: string,
    items: readonly (string | TransitRewrapItem)[],
    options: TransitBatchOptions = {},
  ): Promise<TransitBatchResult<TransitCiphertext>[]> {
    const path = this.path("rewrap", key);
    const bodies = items.map((item, i) =>
      this.rewrapItem(typeof item === "string" ? { ciphertext: item } : item, options.context, path, i),
    );
    return this.batch(key, path, bodies, {}, options, (raw) => this.ciphertextOf(raw, "POST", path));
  }

  // ---------------------------------------------------------------- sign, verify, HMAC

  /** Sign `input` (`POST :mount/sign/:name`) with an ed25519, ECDSA or RSA key. */
  async sign(key: string, input: TransitData, options: TransitSignOptions = {}): Promise<TransitSignature> {
    const path = this.path("sign", key);
    const body: Record<string, JsonValue> = { input: toBase64(input), ...this.signingFields(options) };
    if (options.key_version !== undefined) body.key_version = options.key_version;
    const data = await this.send<{ signature?: string; key_version?: number; public_key?: string }>(
      "POST",
      path,
      key,
      body,
      POLICIES.idempotentWrite,
      { contextSent: body.context !== undefined, sensitive: [body.input as string] },
    );
    if (typeof data.signature !== "string") throw new VaultProtocolError("POST", path, 200, "no signature in the answer");
    return {
      signature: data.signature,
      keyVersion: data.key_version ?? ciphertextVersion(data.signature) ?? 0,
      publicKey: data.public_key,
    };
  }

  /** Whether `signature` is a valid signature of `input` (`POST :mount/verify/:name`); a malformed one raises {@link TransitCiphertextError}. */
  async verify(key: string, input: TransitData, signature: string, options: TransitVerifyOptions = {}): Promise<boolean> {
    const path = this.path("verify", key);
    const body: Record<string, JsonValue> = { input: toBase64(input), signature, ...this.signingFields(options) };
    const data = await this.send<{ valid?: boolean }>("POST", path, key, body, POLICIES.idempotentWrite, {
      contextSent: body.context !== undefined,
      ciphertext: signature,
      sensitive: [body.input as string, signature],
    });
    return data.valid === true;
  }

  /** HMAC of `input` with the key's HMAC key (`POST :mount/hmac/:name`); every key type has one. */
  async hmac(key: string, input: TransitData, options: TransitHmacOptions = {}): Promise<TransitHmac> {
    const path = this.path("hmac", key);
    const body: Record<string, JsonValue> = { input: toBase64(input), algorithm: options.algorithm ?? "sha2-256" };
    if (options.key_version !== undefined) body.key_version = options.key_version;
    const data = await this.send<{ hmac?: string }>("POST", path, key, body, POLICIES.idempotentWrite, {
      contextSent: false,
      sensitive: [body.input as string],
    });
    if (typeof data.hmac !== "string") throw new VaultProtocolError("POST", path, 200, "no hmac in the answer");
    return { hmac: data.hmac, keyVersion: ciphertextVersion(data.hmac) ?? 0 };
  }

  /** Whether `hmac` is the HMAC of `input` (`POST :mount/verify/:name` with `hmac` and `algorithm` — see the module doc). */
  async verifyHmac(key: string, input: TransitData, hmac: string, options: Pick<TransitHmacOptions, "algorithm"> = {}): Promise<boolean> {
    const path = this.path("verify", key);
    const body = { input: toBase64(input), hmac, algorithm: options.algorithm ?? "sha2-256" };
    const data = await this.send<{ valid?: boolean }>("POST", path, key, body, POLICIES.idempotentWrite, {
      contextSent: false,
      ciphertext: hmac,
      sensitive: [body.input, hmac],
    });
    return data.valid === true;
  }

  // ---------------------------------------------------------------- data keys

  /**
   * A new random data key, in the clear and wrapped by `key` (`POST :mount/datakey/plaintext/:name`):
   * encrypt locally with `plaintext`, forget it, store `ciphertext`; decrypt that with `key` later.
   */
  async dataKey(key: string, options: TransitDataKeyOptions = {}): Promise<TransitDataKey> {
    const path = this.path("datakey/plaintext", key);
    const data = await this.sendDataKey(path, key, options);
    if (typeof data.plaintext !== "string") throw new VaultProtocolError("POST", path, 200, "no plaintext in the answer");
    return { ...this.ciphertextOf(data, "POST", path), plaintext: answerBytes(data.plaintext, "POST", path, "a data key") };
  }

  /** A new random data key, wrapped only (`POST :mount/datakey/wrapped/:name`): for a party that stores it for another to unwrap. */
  async wrappedDataKey(key: string, options: TransitDataKeyOptions = {}): Promise<TransitWrappedDataKey> {
    const path = this.path("datakey/wrapped", key);
    return this.ciphertextOf(await this.sendDataKey(path, key, options), "POST", path);
  }

  private sendDataKey(path: string, key: string, options: TransitDataKeyOptions): Promise<RawBatchItem> {
    const body: Record<string, JsonValue> = { bits: options.bits ?? 256 };
    if (options.context !== undefined) body.context = toBase64(options.context);
    if (options.key_version !== undefined) body.key_version = options.key_version;
    if (options.associated_data !== undefined) body.associated_data = toBase64(options.associated_data);
    return this.send<RawBatchItem>("POST", path, key, body, POLICIES.idempotentWrite, { contextSent: body.context !== undefined });
  }

  // ---------------------------------------------------------------- plumbing

  private signingFields(options: TransitVerifyOptions): Record<string, JsonValue> {
    const fields: Record<string, JsonValue> = {};
    if (options.hash_algorithm !== undefined) fields.hash_algorithm = options.hash_algorithm;
    if (options.prehashed !== undefined) fields.prehashed = options.prehashed;
    if (options.marshaling_algorithm !== undefined) fields.marshaling_algorithm = options.marshaling_algorithm;
    if (options.signature_algorithm !== undefined) fields.signature_algorithm = options.signature_algorithm;
    if (options.salt_length !== undefined) fields.salt_length = String(options.salt_length);
    if (options.context !== undefined) fields.context = toBase64(options.context);
    return fields;
  }

  private encryptItem(
    item: TransitEncryptItem,
    context: TransitData | undefined,
    path: string,
    index?: number,
  ): Record<string, string | number> {
    if (!isData(item?.plaintext)) throw new TransitInputError("POST", path, "plaintext", "must be a Uint8Array or a string", index);
    const body: Record<string, string | number> = { plaintext: toBase64(item.plaintext) };
    const ctx = item.context ?? context;
    if (ctx !== undefined) body.context = toBase64(ctx);
    if (item.key_version !== undefined) body.key_version = item.key_version;
    if (item.associated_data !== undefined) body.associated_data = toBase64(item.associated_data);
    return body;
  }

  private decryptItem(item: TransitDecryptItem, context: TransitData | undefined, path: string, index?: number): Record<string, string> {
    if (typeof item?.ciphertext !== "string") throw new TransitInputError("POST", path, "ciphertext", "must be a string", index);
    const body: Record<string, string> = { ciphertext: item.ciphertext };
    const ctx = item.context ?? context;
    if (ctx !== undefined) body.context = toBase64(ctx);
    if (item.associated_data !== undefined) body.associated_data = toBase64(item.associated_data);
    return body;
  }

  private rewrapItem(
    item: TransitRewrapItem,
    context: TransitData | undefined,
    path: string,
    index?: number,
  ): Record<string, string | number> {
    if (typeof item?.ciphertext !== "string") throw new TransitInputError("POST", path, "ciphertext", "must be a string", index);
    const body: Record<string, string | number> = { ciphertext: item.ciphertext };
    const ctx = item.context ?? context;
    if (ctx !== undefined) body.context = toBase64(ctx);
    if (item.key_version !== undefined) body.key_version = item.key_version;
    return body;
  }

  private ciphertextOf(raw: RawBatchItem, method: string, path: string): TransitCiphertext {
    if (typeof raw.ciphertext !== "string" || raw.ciphertext.length === 0)
      throw new VaultProtocolError(method, path, 200, "no ciphertext in the answer");
    return { ciphertext: raw.ciphertext, keyVersion: raw.key_version ?? ciphertextVersion(raw.ciphertext) ?? 0 };
  }

  private plaintextOf(raw: RawBatchItem, method: string, path: string): Uint8Array {
    if (typeof raw.plaintext !== "string") throw new VaultProtocolError(method, path, 200, "no plaintext in the answer");
    return answerBytes(raw.plaintext, method, path, "a plaintext");
  }

  /**
   * Send `bodies` as `batch_input` in as few requests as the limits allow, `concurrency` at a
   * time, and put each item's outcome at its index. Items are not retried one by one: an item
   * refused by OpenBao is refused for what it is.
   */
  private async batch<T>(
    key: string,
    path: string,
    bodies: readonly Record<string, string | number>[],
    envelope: Record<string, JsonValue>,
    options: TransitBatchOptions,
    parse: (raw: RawBatchItem, index: number) => T,
  ): Promise<TransitBatchResult<T>[]> {
    const withContext = bodies.filter((b) => b.context !== undefined).length;
    if (withContext !== 0 && withContext !== bodies.length)
      throw new TransitInputError(
        "POST",
        path,
        "context",
        `${withContext} of ${bodies.length} items carry a context: give every item one (a derived key) or none`,
      );
    const results = new Array<TransitBatchResult<T>>(bodies.length);
    if (bodies.length === 0) return results;
    const plan = planBatches(
      bodies.map((b) => jsonCost(b)),
      jsonCost({ ...envelope, batch_input: [] }),
      this.limits,
    );
    for (const index of plan.oversized)
      results[index] = {
        index,
        ok: false,
        error: new TransitInputError("POST", path, "batch_input", "the item alone is larger than one request may be; not sent", index),
      };
    const contextSent = withContext > 0;
    const noUpsertType = envelope.type === NO_UPSERT_TYPE ? NO_UPSERT_TYPE : undefined;
    await forEachBounded(plan.ranges.length, options.concurrency ?? this.concurrency, async (r) => {
      const { start, end } = plan.ranges[r];
      const chunk = bodies.slice(start, end);
      const sensitive = chunk.flatMap((b) => Object.values(b).map(String));
      const res = await this.requester
        .request<Envelope<{ batch_results?: RawBatchItem[] }>>(
          { method: "POST", path, body: { ...envelope, batch_input: chunk }, acceptStatus: [400] },
          POLICIES.idempotentWrite,
        )
        .catch((error: unknown) => {
          throw classifyTransitError(error, this.site(key), { contextSent, sensitive, noUpsertType });
        });
      const answers = res.body?.data?.batch_results;
      if (!Array.isArray(answers)) {
        // A whole-request refusal: the accepted 400 carries `errors` instead of results.
        const refusal = new VaultHttpError("POST", path, res.status, res.body?.errors ?? [], res.body?.request_id);
        throw classifyTransitError(refusal, this.site(key), { contextSent, sensitive, noUpsertType });
      }
      if (answers.length !== chunk.length)
        throw new VaultProtocolError("POST", path, res.status, `${answers.length} batch results for ${chunk.length} items`);
      const notItem = answers.findIndex((raw: unknown) => typeof raw !== "object" || raw === null || Array.isArray(raw));
      if (notItem >= 0) throw new VaultProtocolError("POST", path, res.status, `batch result ${start + notItem} that is not an object`);
      answers.forEach((raw, offset) => {
        const index = start + offset;
        if (raw.error) {
          const refusal = new VaultHttpError("POST", path, 400, [raw.error], res.body?.request_id);
          const item = chunk[offset];
          const facts: TransitRequestFacts = {
            contextSent,
            ciphertext: typeof item.ciphertext === "string" ? item.ciphertext : undefined,
            sensitive: Object.values(item).map(String),
          };
          results[index] = { index, ok: false, error: classifyTransitError(refusal, this.site(key, index), facts) as TransitError };
        } else {
          try {
            results[index] = { index, ok: true, value: parse(raw, index) };
          } catch (error) {
            // One item that cannot be handed over as asked (not UTF-8) does not cost the others.
            if (!(error instanceof TransitInputError)) throw error;
            results[index] = { index, ok: false, error };
          }
        }
      });
    });
    return results;
  }
}
