/**
 * Offline verification of a Raft snapshot archive, before it is trusted as a backup or sent to a
 * cluster. OpenBao 2.6.1 writes a gzip-compressed tar (physical/raft/snapshot/archive.go) with
 * `meta.json`, `state.bin`, `SHA256SUMS` (`<hex>  <name>` per file) and `SHA256SUMS.sealed`
 * (the sums encrypted by the seal; present and non-empty means the snapshot did not fail
 * midstream — the check OpenBao's own client makes). The sealed file can only be opened by the
 * cluster, so this checks everything else: gzip integrity, tar structure, every sum.
 *
 * The tar reader is a few lines over ustar headers rather than a streaming library: the archive
 * is already in memory, has four entries, and a truncated one must fail with the entry it broke in.
 */
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";

/** Why a snapshot archive cannot be used; `file` names the archive entry when one is at fault. */
export class SnapshotInvalidError extends Error {
  /** The archive entry at fault, when the problem is inside one. */
  public readonly file: string | undefined;
  /** @internal */
  constructor(message: string, file?: string) {
    super(`invalid Raft snapshot: ${message}`);
    this.name = "SnapshotInvalidError";
    this.file = file;
  }
}

/** The Raft metadata in `meta.json` (the fields a restore and a report need). */
export interface SnapshotMeta {
  /** Raft log index the snapshot was taken at. */
  readonly index: number;
  /** Raft term the snapshot was taken in. */
  readonly term: number;
  /** Snapshot id Raft gave it. */
  readonly id: string;
}

/** What a verified archive contains. */
export interface VerifiedSnapshot {
  /** The archive as the server sent it. */
  readonly bytes: Uint8Array;
  /** SHA-256 of the whole archive (hex): names a backup file independent of its name. */
  readonly sha256: string;
  /** Raft metadata. */
  readonly meta: SnapshotMeta;
  /** Size of each archive entry, in bytes. */
  readonly entries: Readonly<Record<string, number>>;
}

const REQUIRED = ["meta.json", "state.bin", "SHA256SUMS", "SHA256SUMS.sealed"] as const;

function readTar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  for (;;) {
    if (offset + 512 > tar.length) throw new SnapshotInvalidError("the tar archive ends without its end marker (truncated)");
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return files;
    const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    const sizeText = header.subarray(124, 136).toString("ascii").replace(/\0.*$/s, "").trim();
    const size = Number.parseInt(sizeText, 8);
    if (!Number.isFinite(size) || size < 0 || !/^[0-7]+$/.test(sizeText)) {
      throw new SnapshotInvalidError(`tar header at byte ${offset} has no valid size ("${sizeText}")`, name || undefined);
    }
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i];
    const stored = Number.parseInt(header.subarray(148, 156).toString("ascii").replace(/\0.*$/s, "").trim(), 8);
    if (stored !== sum) throw new SnapshotInvalidError(`tar header at byte ${offset} fails its checksum`, name || undefined);
    const start = offset + 512;
    if (start + size > tar.length) throw new SnapshotInvalidError(`entry "${name}" is cut short (truncated archive)`, name);
    const type = String.fromCharCode(header[156]);
    if (type === "0" || type === "\0") files.set(name, tar.subarray(start, start + size));
    offset = start + Math.ceil(size / 512) * 512;
  }
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Verify an archive: gzip, tar, required entries, `SHA256SUMS` against `meta.json` and
 * `state.bin`, a non-empty `SHA256SUMS.sealed`, parseable metadata. Throws
 * {@link SnapshotInvalidError} naming what is wrong; returns the summary otherwise.
 */
export function verifySnapshotArchive(bytes: Uint8Array): VerifiedSnapshot {
  if (bytes.length === 0) throw new SnapshotInvalidError("the archive is empty");
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes);
  } catch (error) {
    throw new SnapshotInvalidError(`not a complete gzip stream (${(error as Error).message})`);
  }
  const files = readTar(tar);
  for (const name of REQUIRED) {
    if (!files.has(name)) throw new SnapshotInvalidError(`entry "${name}" is missing`, name);
  }
  if (files.get("SHA256SUMS.sealed")?.length === 0) {
    throw new SnapshotInvalidError("entry SHA256SUMS.sealed is empty (the snapshot failed midstream)", "SHA256SUMS.sealed");
  }
  const listed = new Map<string, string>();
  for (const line of (files.get("SHA256SUMS") ?? Buffer.alloc(0)).toString("utf8").split("\n")) {
    if (line === "") continue;
    const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (!match) throw new SnapshotInvalidError(`SHA256SUMS has a malformed line "${line.slice(0, 80)}"`, "SHA256SUMS");
    listed.set(match[2], match[1]);
  }
  for (const name of ["meta.json", "state.bin"]) {
    const expected = listed.get(name);
    if (expected === undefined) throw new SnapshotInvalidError(`SHA256SUMS lists no sum for "${name}"`, "SHA256SUMS");
    const data = files.get(name) ?? Buffer.alloc(0);
    if (sha256(data) !== expected) throw new SnapshotInvalidError(`"${name}" does not match its SHA-256 in SHA256SUMS`, name);
  }
  let raw: { Index?: unknown; Term?: unknown; ID?: unknown };
  try {
    raw = JSON.parse((files.get("meta.json") ?? Buffer.alloc(0)).toString("utf8")) as typeof raw;
  } catch {
    throw new SnapshotInvalidError("meta.json is not JSON", "meta.json");
  }
  if (typeof raw.Index !== "number" || typeof raw.Term !== "number") {
    throw new SnapshotInvalidError("meta.json has no numeric Index and Term", "meta.json");
  }
  return {
    bytes,
    sha256: sha256(bytes),
    meta: { index: raw.Index, term: raw.Term, id: typeof raw.ID === "string" ? raw.ID : "" },
    entries: Object.fromEntries([...files].map(([name, data]) => [name, data.length])),
  };
}
