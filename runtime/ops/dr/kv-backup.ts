/**
 * Application-level KV v2 backups whose payload is encrypted by a transit key, and selective
 * restoration from them. A Raft snapshot restores a whole cluster; this brings back chosen
 * secrets (an overwritten database password) without rolling anything else back. The backup
 * document holds no plaintext: names of secrets are inside the ciphertext too, and reading one
 * needs `decrypt` on the transit key — the key's policy is the backup's access control.
 */
import { Kv2Api, SecretData } from "../../engines/kv2";
import { TransitApi } from "../../engines/transit";
import { Requester } from "../../transport/requester";
import { canonicalJson, listKvPaths, sha256Hex } from "../estate/estate-checksums";
import { inNamespace } from "../estate/namespaced";

/** The format tag of {@link KvBackup}. */
export const KV_BACKUP_FORMAT = "vaultsmith-kv-backup/1";

/** An encrypted KV backup, safe to store anywhere (JSON). */
export interface KvBackup {
  /** {@link KV_BACKUP_FORMAT}. */
  readonly format: typeof KV_BACKUP_FORMAT;
  /** KV v2 mount backed up. */
  readonly mount: string;
  /** Namespace of the mount (`""` = root). */
  readonly namespace: string;
  /** Transit mount and key that encrypted the payload. */
  readonly transit: { readonly mount: string; readonly key: string };
  /** When the backup was taken (ISO 8601). */
  readonly createdAt: string;
  /** Number of secrets inside. */
  readonly count: number;
  /** SHA-256 of the plaintext payload: a decrypt that yields anything else is refused. */
  readonly payloadSha256: string;
  /** The payload, `vault:vN:…` ciphertext of the transit key. */
  readonly ciphertext: string;
}

/** One secret inside the payload. */
interface BackupItem {
  readonly path: string;
  readonly data: SecretData;
  readonly sha256: string;
}

/** A backup file that cannot be used, or a selection that names secrets it lacks. Nothing was written. */
export class KvBackupError extends Error {
  /** @internal */
  constructor(message: string) {
    super(message);
    this.name = "KvBackupError";
  }
}

/** Where a backup is taken from and how it is encrypted. */
export interface KvBackupOptions {
  /** KV v2 mount. */
  readonly mount: string;
  /** Namespace of the mount. @default the root namespace */
  readonly namespace?: string;
  /** Transit mount of the key. @default "transit" */
  readonly transitMount?: string;
  /** Transit key (must exist; encrypt never creates one). */
  readonly transitKey: string;
  /** Only secrets below this prefix. @default the whole mount */
  readonly prefix?: string;
}

/** Take an encrypted backup of the latest version of every secret of `options.mount`. */
export async function backupKv(requester: Requester, options: KvBackupOptions, now: () => Date = () => new Date()): Promise<KvBackup> {
  const scoped = inNamespace(requester, options.namespace);
  const kv = new Kv2Api(scoped, options.mount);
  const items: BackupItem[] = [];
  for (const path of await listKvPaths(kv, options.prefix ?? "")) {
    const secret = await kv.read(path);
    if (secret) items.push({ path, data: secret.data, sha256: sha256Hex(canonicalJson(secret.data)) });
  }
  const payload = JSON.stringify({ items });
  const transitMount = options.transitMount ?? "transit";
  const cipher = await new TransitApi(requester, transitMount).encrypt(options.transitKey, payload);
  return {
    format: KV_BACKUP_FORMAT,
    mount: kv.mount,
    namespace: options.namespace ?? "",
    transit: { mount: transitMount, key: options.transitKey },
    createdAt: now().toISOString(),
    count: items.length,
    payloadSha256: sha256Hex(payload),
    ciphertext: cipher.ciphertext,
  };
}

/** Check the shape of a parsed backup document; throws {@link KvBackupError} naming the bad field. */
export function parseKvBackup(value: unknown, source = "backup"): KvBackup {
  const doc = value as Partial<Record<keyof KvBackup, unknown>> | null;
  if (doc === null || typeof doc !== "object") throw new KvBackupError(`${source} is not a JSON object`);
  if (doc.format !== KV_BACKUP_FORMAT)
    throw new KvBackupError(`${source}: format is ${JSON.stringify(doc.format)}, expected "${KV_BACKUP_FORMAT}"`);
  for (const field of ["mount", "namespace", "createdAt", "payloadSha256", "ciphertext"] as const) {
    if (typeof doc[field] !== "string") throw new KvBackupError(`${source}: field "${field}" must be a string`);
  }
  const transit = doc.transit as { mount?: unknown; key?: unknown } | undefined;
  if (!transit || typeof transit.mount !== "string" || typeof transit.key !== "string") {
    throw new KvBackupError(`${source}: field "transit" must be { mount, key }`);
  }
  if (typeof doc.count !== "number") throw new KvBackupError(`${source}: field "count" must be a number`);
  return doc as KvBackup;
}

/** What a selective restore did. */
export interface KvRestoreResult {
  /** Paths written, in the order given. */
  readonly restored: readonly string[];
  /** SHA-256 of each restored secret's data, as in the backup. */
  readonly checksums: Readonly<Record<string, string>>;
}

/**
 * Decrypt `backup` and write back exactly `paths` (each as a new KV version, so the overwritten
 * value stays in the history). Every path must be in the backup and every item must match its
 * checksum — checked before the first write, so a bad selection changes nothing.
 */
export async function restoreKvSelection(
  requester: Requester,
  backup: KvBackup,
  paths: readonly string[],
  options: { targetMount?: string; targetNamespace?: string } = {},
): Promise<KvRestoreResult> {
  if (paths.length === 0) throw new KvBackupError("choose at least one secret path to restore");
  const plaintext = await new TransitApi(requester, backup.transit.mount).decrypt(backup.transit.key, backup.ciphertext, { as: "text" });
  if (sha256Hex(plaintext) !== backup.payloadSha256) {
    throw new KvBackupError("the decrypted payload does not match the backup's payloadSha256 (tampered or wrong key)");
  }
  const items = new Map((JSON.parse(plaintext) as { items: BackupItem[] }).items.map((item) => [item.path, item]));
  const chosen: BackupItem[] = [];
  const absent: string[] = [];
  for (const path of paths) {
    const item = items.get(path.replace(/^\/+|\/+$/g, ""));
    if (!item) absent.push(path);
    else if (sha256Hex(canonicalJson(item.data)) !== item.sha256)
      throw new KvBackupError(`secret "${path}" in the backup fails its checksum`);
    else chosen.push(item);
  }
  if (absent.length > 0) throw new KvBackupError(`the backup of ${backup.mount} has no secret ${absent.map((p) => `"${p}"`).join(", ")}`);
  const kv = new Kv2Api(inNamespace(requester, options.targetNamespace ?? backup.namespace), options.targetMount ?? backup.mount);
  for (const item of chosen) await kv.write(item.path, item.data);
  return { restored: chosen.map((i) => i.path), checksums: Object.fromEntries(chosen.map((i) => [i.path, i.sha256])) };
}
