/**
 * KV version 2 secrets engine: versioned reads (optionally cached), writes with check-and-set,
 * patch, soft delete, undelete, destroy, metadata, list, and bounded-concurrency batches.
 */
import { SecretCache } from "../cache/secret-cache";
import { VaultHttpError, VaultProtocolError } from "../core/errors";
import { POLICIES, RequestPolicy, Requester } from "../transport/requester";
import {
  AmbiguousWriteMode,
  KvWriteNotAppliedError,
  KvWriteOutcomeUnknownError,
  ObservedVersion,
  candidateVersions,
  canonicalJson,
  decideAmbiguousWrite,
  isAmbiguousFailure,
  isCasMismatch,
} from "./kv2-ambiguous";

/** Reads that settle an ambiguous write: on the active node (a standby may lag), retried freely. */
const ACTIVE_READ: RequestPolicy = { retryClass: "idempotent", kind: "write" };

const AMBIGUOUS_MODES: ReadonlySet<string> = new Set<AmbiguousWriteMode>(["retry", "report", "off"]);

/** How often an ambiguous write is repeated before it is reported as not applied. */
const MAX_REPEATS = 3;

/** Secret data: string keys to JSON values. */
export type SecretData = Readonly<Record<string, unknown>>;

/** Metadata of one version, as `data/` returns it. */
export interface Kv2VersionMetadata {
  /** Version number, starting at 1. */
  readonly version: number;
  /** RFC 3339 creation time. */
  readonly createdTime: string;
  /** RFC 3339 soft-delete time, or empty when not deleted. */
  readonly deletionTime: string;
  /** True when the version was destroyed. */
  readonly destroyed: boolean;
}

/** A version read back. */
export interface Kv2Secret<T extends SecretData = SecretData> {
  /** The stored data. */
  readonly data: T;
  /** Its version metadata. */
  readonly metadata: Kv2VersionMetadata;
}

/** Metadata of a whole secret (`metadata/` endpoint). */
export interface Kv2SecretMetadata {
  /** Current (latest) version. */
  readonly currentVersion: number;
  /** Oldest version still kept. */
  readonly oldestVersion: number;
  /** Versions kept; 0 means the mount's setting. */
  readonly maxVersions: number;
  /** Whether writes must carry `cas`. */
  readonly casRequired: boolean;
  /** Versions are soft-deleted this long after writing (Vault duration string, `0s` = never). */
  readonly deleteVersionAfter: string;
  /** Free-form metadata. */
  readonly customMetadata: Readonly<Record<string, string>>;
  /** Per-version metadata by version number. */
  readonly versions: Readonly<Record<string, Kv2VersionMetadata>>;
}

/** Settable metadata fields. */
export interface Kv2MetadataUpdate {
  /** Versions to keep. */
  readonly maxVersions?: number;
  /** Require `cas` on every write. */
  readonly casRequired?: boolean;
  /** Soft-delete versions after this long, as a Vault duration (`"720h"`). */
  readonly deleteVersionAfter?: string;
  /** Free-form metadata. */
  readonly customMetadata?: Readonly<Record<string, string>>;
}

/** How a read uses the client's cache. */
export type CacheMode = "default" | "critical" | "bypass";

/** Options for {@link Kv2Api.read}. */
export interface Kv2ReadOptions {
  /** Version to read. @default the latest */
  readonly version?: number;
  /** `default`: served from cache when fresh; `critical`: also served stale while the cluster is unreachable; `bypass`: always from Vault. @default "default" (when the client has a cache) */
  readonly cache?: CacheMode;
}

/** Options for {@link Kv2Api.write}. */
export interface Kv2WriteOptions {
  /** Check-and-set: 0 writes only if absent, n only if the current version is n. @default no check */
  readonly cas?: number;
  /**
   * What to do when the write fails after it may have reached the server (connection lost, node
   * killed, 5xx): `retry` settles it on the active node and repeats it only when it provably did
   * not apply; `report` settles it without repeating ({@link KvWriteNotAppliedError}); `off` raises
   * the original error. The cost of `retry`/`report` is paid only after such a failure: one
   * metadata read and one data read per candidate version. @default the mount's, "retry"
   */
  readonly ambiguous?: AmbiguousWriteMode;
}

/** Counts of ambiguous writes a mount settled, for chaos reports and dashboards. */
export interface AmbiguousWriteStats {
  /** Writes that failed after they may have executed. */
  readonly detected: number;
  /** ... found applied on the active node. */
  readonly applied: number;
  /** ... found not applied and repeated (each repeat counted). */
  readonly repeated: number;
  /** ... found not applied and reported as such ({@link KvWriteNotAppliedError}, reason not-applied or conflict). */
  readonly notApplied: number;
  /** ... whose outcome could not be settled ({@link KvWriteOutcomeUnknownError}). */
  readonly unknown: number;
}

/** One item of {@link Kv2Api.writeBatch}. */
export interface Kv2BatchWrite {
  /** Secret path. */
  readonly path: string;
  /** Data to write. */
  readonly data: SecretData;
  /** Check-and-set version. @default no check */
  readonly cas?: number;
  /** See {@link Kv2WriteOptions.ambiguous}. */
  readonly ambiguous?: AmbiguousWriteMode;
}

/** Outcome of one batch item: the value, or the typed error it failed with — nothing is lost silently. */
export type BatchResult<T> =
  { readonly path: string; readonly ok: true; readonly value: T } | { readonly path: string; readonly ok: false; readonly error: Error };

interface RawMetadata {
  readonly version: number;
  readonly created_time: string;
  readonly deletion_time: string;
  readonly destroyed: boolean;
}

interface RawSecretMetadata {
  readonly current_version: number;
  readonly oldest_version: number;
  readonly max_versions: number;
  readonly cas_required: boolean;
  readonly delete_version_after: string;
  readonly custom_metadata: Record<string, string> | null;
  readonly versions: Record<string, RawMetadata>;
}

interface Envelope<T> {
  readonly data: T;
}

function toMetadata(raw: RawMetadata): Kv2VersionMetadata {
  return { version: raw.version, createdTime: raw.created_time, deletionTime: raw.deletion_time, destroyed: raw.destroyed };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Where an answer came from, for a {@link VaultProtocolError} that says what was wrong with it. */
interface Answer {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

function malformed(at: Answer, what: string): VaultProtocolError {
  return new VaultProtocolError(at.method, at.path, at.status, `a KV v2 answer that ${what}`);
}

/** Version metadata as the server sent it, checked: an answer of another shape is a protocol error, not a crash later. */
function checkedMetadata(raw: unknown, at: Answer, version?: number): RawMetadata {
  if (!isRecord(raw)) throw malformed(at, "carries no version metadata");
  const v = version ?? raw.version;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw malformed(at, "has no integer version");
  if (typeof raw.created_time !== "string") throw malformed(at, "has no created_time");
  if (raw.deletion_time !== undefined && typeof raw.deletion_time !== "string")
    throw malformed(at, "has a deletion_time that is not a string");
  if (raw.destroyed !== undefined && typeof raw.destroyed !== "boolean") throw malformed(at, "has a destroyed flag that is not a boolean");
  return { version: v, created_time: raw.created_time, deletion_time: raw.deletion_time ?? "", destroyed: raw.destroyed ?? false };
}

/** Percent-encode each segment, so `#`, `?` or `%2e%2e` in a name can never change the URL's meaning. */
function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function checkPath(path: string, what = "KV v2 secret path"): string {
  const trimmed = path.replace(/^\/+|\/+$/g, "");
  if (trimmed.length === 0) throw new TypeError(`${what} must not be empty`);
  if (trimmed.split("/").some((segment) => segment === ".." || segment === "."))
    throw new TypeError(`${what} must not contain "." or ".." segments: "${path}"`);
  return trimmed;
}

function checkVersions(versions: readonly number[]): readonly number[] {
  if (versions.length === 0 || versions.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new TypeError(`versions must be a non-empty list of positive integers, got [${versions.join(", ")}]`);
  }
  return versions;
}

/** Run `task` over `items` with at most `concurrency` in flight, keeping input order. */
async function mapBounded<I, O>(items: readonly I[], concurrency: number, task: (item: I) => Promise<O>): Promise<O[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const results = new Array<O>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function settle<T>(path: string, run: () => Promise<T>): Promise<BatchResult<T>> {
  try {
    return { path, ok: true, value: await run() };
  } catch (error) {
    return { path, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** One KV v2 mount. */
export class Kv2Api {
  /** Mount path without slashes, e.g. `secret`. */
  public readonly mount: string;

  /**
   * @param requester how requests are sent
   * @param mount mount path, e.g. `secret`
   * @param cache the client's cache; reads use it unless `cache: "bypass"`. @default no cache
   * @param staleFallbackDeadlineMs deadline of a critical read that has a stale value to fall back on. @default 2000
   * @param ambiguousWrites default {@link Kv2WriteOptions.ambiguous} of this mount's writes. @default "retry"
   * @param clockSkewMs how far the server's clock may be from this host's, when an unconditional
   *   write's candidate versions are picked by creation time. @default 60000
   */
  constructor(
    private readonly requester: Requester,
    mount: string,
    private readonly cache?: SecretCache,
    private readonly staleFallbackDeadlineMs = 2_000,
    private readonly ambiguousWrites: AmbiguousWriteMode = "retry",
    private readonly clockSkewMs = 60_000,
  ) {
    this.mount = checkPath(mount, "KV v2 mount path");
  }

  private readonly counts = { detected: 0, applied: 0, repeated: 0, notApplied: 0, unknown: 0 };

  /** Ambiguous writes this mount has settled so far. */
  get ambiguousWriteStats(): AmbiguousWriteStats {
    return { ...this.counts };
  }

  private key(path: string, version: number | undefined): string {
    return `kv2:${this.mount}/${path}@${version ?? "latest"}`;
  }

  /** Read the latest or a given version; `undefined` when it does not exist or is deleted/destroyed. */
  async read<T extends SecretData = SecretData>(path: string, options: Kv2ReadOptions = {}): Promise<Kv2Secret<T> | undefined> {
    const clean = checkPath(path);
    const mode = options.cache ?? "default";
    if (!this.cache || mode === "bypass") return this.fetch<T>(clean, options.version);
    return this.cache.get<Kv2Secret<T>>(
      this.key(clean, options.version),
      async (hasStaleFallback) => ({
        value: await this.fetch<T>(clean, options.version, hasStaleFallback ? this.staleFallbackDeadlineMs : undefined),
      }),
      { critical: mode === "critical" },
    );
  }

  private async fetch<T extends SecretData>(
    path: string,
    version: number | undefined,
    deadlineMs?: number,
    policy: RequestPolicy = POLICIES.read,
  ): Promise<Kv2Secret<T> | undefined> {
    try {
      const res = await this.requester.request<Envelope<{ data: T | null; metadata: RawMetadata }>>(
        {
          method: "GET",
          path: `${encodePath(this.mount)}/data/${encodePath(path)}`,
          query: version === undefined ? undefined : { version },
        },
        { ...policy, deadlineMs },
      );
      const at = { method: "GET", path: `${this.mount}/data/${path}`, status: res.status };
      const payload: unknown = res.body?.data;
      if (payload === undefined || payload === null) return undefined;
      if (!isRecord(payload)) throw malformed(at, "is not an object");
      if (payload.data === null) return undefined;
      if (!isRecord(payload.data)) throw malformed(at, "holds data that is not an object");
      return { data: payload.data as T, metadata: toMetadata(checkedMetadata(payload.metadata, at)) };
    } catch (error) {
      if (error instanceof VaultHttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * Write a new version; returns its metadata. CAS mismatches raise {@link VaultHttpError} (400).
   * A failure that may have executed is settled as {@link Kv2WriteOptions.ambiguous} says: the
   * caller gets the version it created, {@link KvWriteNotAppliedError} or — only when the cluster
   * stays unreachable — {@link KvWriteOutcomeUnknownError}.
   */
  async write(path: string, data: SecretData, options: Kv2WriteOptions = {}): Promise<Kv2VersionMetadata> {
    const clean = checkPath(path);
    const mode = options.ambiguous ?? this.ambiguousWrites;
    if (!AMBIGUOUS_MODES.has(mode)) throw new TypeError(`ambiguous must be "retry", "report" or "off", got "${String(mode)}"`);
    if (mode === "off") return this.send(clean, data, options.cas);
    const startedAt = Date.now();
    let cas = options.cas;
    let repeats = 0;
    let original: unknown;
    for (;;) {
      try {
        return await this.send(clean, data, cas);
      } catch (error) {
        // A repeat refused for its cas may mean the lost attempt landed after all: settle again.
        const repeatRefused = original !== undefined && isCasMismatch(error);
        if (!repeatRefused && !isAmbiguousFailure(error)) throw error;
        if (original === undefined) this.counts.detected++;
        original ??= error;
        const verdict = await this.settle(clean, data, options.cas, startedAt, error);
        if (verdict.kind === "applied") {
          this.counts.applied++;
          return verdict.metadata;
        }
        if (verdict.kind === "conflict" || mode === "report" || repeats >= MAX_REPEATS) {
          this.counts.notApplied++;
          throw new KvWriteNotAppliedError(
            `${this.mount}/data/${clean}`,
            verdict.kind,
            verdict.kind === "not-applied" ? verdict.retryCas : undefined,
            error,
          );
        }
        repeats++;
        this.counts.repeated++;
        cas = verdict.retryCas;
      }
    }
  }

  private async send(path: string, data: SecretData, cas: number | undefined): Promise<Kv2VersionMetadata> {
    const body = cas === undefined ? { data } : { data, options: { cas } };
    try {
      const res = await this.requester.request<Envelope<RawMetadata>>(
        { method: "POST", path: `${encodePath(this.mount)}/data/${encodePath(path)}`, body },
        POLICIES.creatingWrite,
      );
      const at = { method: "POST", path: `${this.mount}/data/${path}`, status: res.status };
      return toMetadata(checkedMetadata(res.body?.data, at));
    } finally {
      this.invalidate(path);
    }
  }

  /** Read back what the active node holds and decide; never keeps or reports the data. */
  private async settle(
    path: string,
    data: SecretData,
    cas: number | undefined,
    startedAt: number,
    failure: unknown,
  ): Promise<{ kind: "applied"; metadata: Kv2VersionMetadata } | { kind: "not-applied"; retryCas: number } | { kind: "conflict" }> {
    const where = `${this.mount}/data/${path}`;
    let verdict;
    let versionMeta: Readonly<Record<string, Kv2VersionMetadata>> = {};
    try {
      const meta = await this.readMetadataWith(path, ACTIVE_READ);
      versionMeta = meta?.versions ?? {};
      const currentVersion = meta?.currentVersion ?? 0;
      const wanted = candidateVersions(cas, currentVersion, versionMeta, startedAt, this.clockSkewMs);
      const versions: ObservedVersion[] = [];
      for (const version of wanted) {
        const vm = versionMeta[String(version)];
        const unreadable = !vm || vm.destroyed || vm.deletionTime !== "";
        const secret = unreadable ? undefined : await this.fetch(path, version, undefined, ACTIVE_READ);
        versions.push({ version, createdTime: vm?.createdTime ?? "", unreadable: unreadable || !secret, data: secret?.data });
      }
      verdict = decideAmbiguousWrite(canonicalJson(data), cas, { currentVersion, versions });
    } catch (error) {
      this.counts.unknown++;
      throw new KvWriteOutcomeUnknownError(where, `it could not be read back from the active node (${describe(error)})`, failure);
    }
    if (verdict.kind === "unknown") {
      this.counts.unknown++;
      throw new KvWriteOutcomeUnknownError(
        where,
        `version ${verdict.version} was deleted or destroyed before it could be compared`,
        failure,
      );
    }
    if (verdict.kind === "applied") {
      const metadata = versionMeta[String(verdict.version)];
      return { kind: "applied", metadata: { ...metadata, version: verdict.version } };
    }
    return verdict.kind === "conflict" ? { kind: "conflict" } : verdict;
  }

  /** Merge `patch` into the latest version (JSON merge patch: `null` removes a key), creating a new version. */
  async patch(path: string, patch: Readonly<Record<string, unknown>>, options: Kv2WriteOptions = {}): Promise<Kv2VersionMetadata> {
    const clean = checkPath(path);
    const body = options.cas === undefined ? { data: patch } : { data: patch, options: { cas: options.cas } };
    const res = await this.requester.request<Envelope<RawMetadata>>(
      {
        method: "PATCH",
        path: `${encodePath(this.mount)}/data/${encodePath(clean)}`,
        body,
        headers: { "content-type": "application/merge-patch+json" },
      },
      POLICIES.creatingWrite,
    );
    this.invalidate(clean);
    return toMetadata(checkedMetadata(res.body?.data, { method: "PATCH", path: `${this.mount}/data/${clean}`, status: res.status }));
  }

  /** Soft-delete the latest version, or the given versions. */
  async delete(path: string, versions?: readonly number[]): Promise<void> {
    const clean = checkPath(path);
    if (versions === undefined)
      await this.requester.request(
        { method: "DELETE", path: `${encodePath(this.mount)}/data/${encodePath(clean)}` },
        POLICIES.idempotentWrite,
      );
    else
      await this.requester.request(
        { method: "POST", path: `${encodePath(this.mount)}/delete/${encodePath(clean)}`, body: { versions: checkVersions(versions) } },
        POLICIES.idempotentWrite,
      );
    this.invalidate(clean);
  }

  /** Restore soft-deleted versions. */
  async undelete(path: string, versions: readonly number[]): Promise<void> {
    const clean = checkPath(path);
    await this.requester.request(
      { method: "POST", path: `${encodePath(this.mount)}/undelete/${encodePath(clean)}`, body: { versions: checkVersions(versions) } },
      POLICIES.idempotentWrite,
    );
    this.invalidate(clean);
  }

  /** Permanently destroy versions' data. */
  async destroy(path: string, versions: readonly number[]): Promise<void> {
    const clean = checkPath(path);
    await this.requester.request(
      { method: "PUT", path: `${encodePath(this.mount)}/destroy/${encodePath(clean)}`, body: { versions: checkVersions(versions) } },
      POLICIES.idempotentWrite,
    );
    this.invalidate(clean);
  }

  /** Metadata of a secret; `undefined` when it does not exist. */
  readMetadata(path: string): Promise<Kv2SecretMetadata | undefined> {
    return this.readMetadataWith(checkPath(path), POLICIES.read);
  }

  private async readMetadataWith(clean: string, policy: RequestPolicy): Promise<Kv2SecretMetadata | undefined> {
    try {
      const res = await this.requester.request<Envelope<RawSecretMetadata>>(
        { method: "GET", path: `${encodePath(this.mount)}/metadata/${encodePath(clean)}` },
        policy,
      );
      const raw: unknown = res.body?.data;
      if (raw === undefined || raw === null) return undefined;
      const at = { method: "GET", path: `${this.mount}/metadata/${clean}`, status: res.status };
      if (!isRecord(raw)) throw malformed(at, "is not an object");
      const count = (key: string): number => {
        const value = raw[key];
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw malformed(at, `has no integer ${key}`);
        return value;
      };
      if (raw.versions !== undefined && raw.versions !== null && !isRecord(raw.versions))
        throw malformed(at, "has versions that are not an object");
      const versions: Record<string, Kv2VersionMetadata> = {};
      for (const [number, meta] of Object.entries(raw.versions ?? {})) {
        if (!/^\d+$/.test(number)) throw malformed(at, "has a version that is not a number");
        versions[number] = toMetadata(checkedMetadata(meta, at, Number(number)));
      }
      const custom = raw.custom_metadata ?? {};
      if (!isRecord(custom) || Object.values(custom).some((v) => typeof v !== "string"))
        throw malformed(at, "has custom_metadata that is not a string map");
      return {
        currentVersion: count("current_version"),
        oldestVersion: count("oldest_version"),
        maxVersions: count("max_versions"),
        casRequired: raw.cas_required === true,
        deleteVersionAfter: typeof raw.delete_version_after === "string" ? raw.delete_version_after : "0s",
        customMetadata: custom as Record<string, string>,
        versions,
      };
    } catch (error) {
      if (error instanceof VaultHttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Update a secret's metadata. */
  async writeMetadata(path: string, update: Kv2MetadataUpdate): Promise<void> {
    const clean = checkPath(path);
    const body: Record<string, unknown> = {};
    if (update.maxVersions !== undefined) body.max_versions = update.maxVersions;
    if (update.casRequired !== undefined) body.cas_required = update.casRequired;
    if (update.deleteVersionAfter !== undefined) body.delete_version_after = update.deleteVersionAfter;
    if (update.customMetadata !== undefined) body.custom_metadata = update.customMetadata;
    await this.requester.request(
      { method: "POST", path: `${encodePath(this.mount)}/metadata/${encodePath(clean)}`, body },
      POLICIES.idempotentWrite,
    );
  }

  /** Delete a secret's metadata and every version. */
  async deleteMetadata(path: string): Promise<void> {
    const clean = checkPath(path);
    await this.requester.request(
      { method: "DELETE", path: `${encodePath(this.mount)}/metadata/${encodePath(clean)}` },
      POLICIES.idempotentWrite,
    );
    this.invalidate(clean);
  }

  /** Keys directly under `prefix` (folders end with `/`); empty when there are none. */
  async list(prefix = ""): Promise<readonly string[]> {
    const clean = prefix.replace(/^\/+|\/+$/g, "") === "" ? "" : checkPath(prefix, "KV v2 list prefix");
    try {
      const res = await this.requester.request<Envelope<{ keys: string[] }>>(
        { method: "LIST", path: `${encodePath(this.mount)}/metadata/${encodePath(clean)}` },
        POLICIES.read,
      );
      const keys: unknown = (res.body?.data as unknown as Record<string, unknown> | undefined)?.keys;
      if (keys === undefined || keys === null) return [];
      if (!Array.isArray(keys) || keys.some((k) => typeof k !== "string"))
        throw malformed({ method: "LIST", path: `${this.mount}/metadata/${clean}`, status: res.status }, "lists keys that are not strings");
      return keys as string[];
    } catch (error) {
      if (error instanceof VaultHttpError && error.status === 404) return [];
      throw error;
    }
  }

  /** Read many secrets with at most `concurrency` requests in flight; one result per path, in order. */
  readBatch<T extends SecretData = SecretData>(
    paths: readonly string[],
    options: Kv2ReadOptions & { concurrency?: number } = {},
  ): Promise<BatchResult<Kv2Secret<T> | undefined>[]> {
    return mapBounded(paths, options.concurrency ?? 16, (path) => settle(path, () => this.read<T>(path, options)));
  }

  /** Write many secrets with at most `concurrency` requests in flight; one result per item, in order. */
  writeBatch(items: readonly Kv2BatchWrite[], options: { concurrency?: number } = {}): Promise<BatchResult<Kv2VersionMetadata>[]> {
    return mapBounded(items, options.concurrency ?? 16, (item) =>
      settle(item.path, () => this.write(item.path, item.data, { cas: item.cas, ambiguous: item.ambiguous })),
    );
  }

  private invalidate(path: string): void {
    this.cache?.invalidatePrefix(`kv2:${this.mount}/${path}@`);
  }
}
