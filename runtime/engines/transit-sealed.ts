/**
 * "Store key references, not keys": private material (an API key, a database password, a private
 * key's PEM) is kept in KV only as transit ciphertext, next to the name of the transit key that
 * can open it. Reading the KV secret alone gives nothing; opening needs `decrypt` on that key
 * (and, for a derived key, the application's context, which is not stored).
 *
 * The ciphertext is bound to where it is stored: the KV mount and path are its associated data,
 * so a record copied to another path — even one protected by the same key — no longer opens
 * there. This needs an AEAD key type (aes128/256-gcm96, chacha20-poly1305, xchacha20-poly1305).
 *
 * Keys that only sign (ed25519, ECDSA) need no helper: keep the transit key's name in
 * configuration and call {@link TransitApi.sign}; the private key never leaves OpenBao.
 */
import { Kv2Api, Kv2VersionMetadata } from "./kv2";
import { TransitApi } from "./transit";
import { TransitData } from "./transit-batch";
import { TransitInputError } from "./transit-errors";

/** What {@link sealToKv} writes to KV (Vault-style field names); a type alias so it is KV secret data as it is. */
export type SealedRecord = {
  /** Format marker, 1. */
  readonly vaultsmith_sealed: 1;
  /** Mount of the transit key that sealed it. */
  readonly transit_mount: string;
  /** Name of that key. */
  readonly transit_key: string;
  /** Key version that sealed it. */
  readonly key_version: number;
  /** The ciphertext, `vault:v<n>:…`. */
  readonly ciphertext: string;
};

/** Options of {@link sealToKv}. */
export interface SealOptions {
  /** Context of a derived key (the application's); not stored, so opening needs it again. */
  readonly context?: TransitData;
  /** KV check-and-set: 0 writes only if the path is empty. @default no check */
  readonly cas?: number;
}

/** Options of {@link openFromKv}. */
export interface OpenOptions {
  /** Context the value was sealed with (derived keys). */
  readonly context?: TransitData;
  /** KV version to read. @default the latest */
  readonly version?: number;
}

/** The associated data that binds a ciphertext to its KV mount and path. */
function binding(kv: Kv2Api, path: string): string {
  return `vaultsmith-sealed:${kv.mount}/${path.replace(/^\/+|\/+$/g, "")}`;
}

/**
 * Encrypt `plaintext` with transit key `key` and write only the ciphertext and the key's name to
 * KV at `path`. Returns the KV version written.
 */
export async function sealToKv(
  kv: Kv2Api,
  path: string,
  transit: TransitApi,
  key: string,
  plaintext: TransitData,
  options: SealOptions = {},
): Promise<Kv2VersionMetadata> {
  const sealed = await transit.encrypt(key, plaintext, { context: options.context, associated_data: binding(kv, path) });
  const record: SealedRecord = {
    vaultsmith_sealed: 1,
    transit_mount: transit.mount,
    transit_key: key,
    key_version: sealed.keyVersion,
    ciphertext: sealed.ciphertext,
  };
  return kv.write(path, record, options.cas === undefined ? {} : { cas: options.cas });
}

/**
 * Read what {@link sealToKv} wrote at `path` and decrypt it with transit key `key`: bytes, or
 * UTF-8 text with `as: "text"`; `undefined` when the KV secret does not exist. A record sealed by
 * another key or mount, or not written by `sealToKv`, is refused before any decryption.
 */
export function openFromKv(
  kv: Kv2Api,
  path: string,
  transit: TransitApi,
  key: string,
  options?: OpenOptions & { as?: "bytes" },
): Promise<Uint8Array | undefined>;
export function openFromKv(
  kv: Kv2Api,
  path: string,
  transit: TransitApi,
  key: string,
  options: OpenOptions & { as: "text" },
): Promise<string | undefined>;
export async function openFromKv(
  kv: Kv2Api,
  path: string,
  transit: TransitApi,
  key: string,
  options: OpenOptions & { as?: "bytes" | "text" } = {},
): Promise<Uint8Array | string | undefined> {
  const secret = await kv.read<Partial<SealedRecord>>(path, options.version === undefined ? {} : { version: options.version });
  if (!secret) return undefined;
  const record = secret.data;
  const where = `${kv.mount}/data/${path.replace(/^\/+|\/+$/g, "")}`;
  if (record.vaultsmith_sealed !== 1 || typeof record.ciphertext !== "string")
    throw new TransitInputError("GET", where, "record", "the KV secret was not written by sealToKv");
  if (record.transit_mount !== transit.mount || record.transit_key !== key)
    throw new TransitInputError(
      "GET",
      where,
      "record",
      `sealed with transit key "${String(record.transit_key)}" on mount "${String(record.transit_mount)}", not "${key}" on "${transit.mount}"`,
    );
  const decryptOptions = { context: options.context, associated_data: binding(kv, path) };
  return options.as === "text"
    ? transit.decrypt(key, record.ciphertext, { ...decryptOptions, as: "text" })
    : transit.decrypt(key, record.ciphertext, decryptOptions);
}
