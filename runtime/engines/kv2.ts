/**
 * KV version 2 secrets engine: write (with check-and-set), read (latest or a version).
 */
import { VaultHttpError } from "../errors";
import { HttpTransport } from "../transport/http-transport";

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

/** Options for {@link Kv2Api.write}. */
export interface Kv2WriteOptions {
  /** Check-and-set: 0 writes only if absent, n only if the current version is n. @default no check */
  readonly cas?: number;
}

/** Options for {@link Kv2Api.read}. */
export interface Kv2ReadOptions {
  /** Version to read. @default the latest */
  readonly version?: number;
}

interface RawMetadata {
  readonly version: number;
  readonly created_time: string;
  readonly deletion_time: string;
  readonly destroyed: boolean;
}

interface Envelope<T> {
  readonly data: T;
}

function toMetadata(raw: RawMetadata): Kv2VersionMetadata {
  return { version: raw.version, createdTime: raw.created_time, deletionTime: raw.deletion_time, destroyed: raw.destroyed };
}

function checkPath(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, "");
  if (trimmed.length === 0) throw new TypeError("KV v2 secret path must not be empty");
  return trimmed;
}

/** One KV v2 mount. */
export class Kv2Api {
  /** Mount path without slashes, e.g. `secret`. */
  public readonly mount: string;

  constructor(
    private readonly transport: HttpTransport,
    mount: string,
  ) {
    this.mount = checkPath(mount);
  }

  /** Write a new version; returns its metadata. CAS mismatches raise {@link VaultHttpError} (400). */
  async write(path: string, data: SecretData, options: Kv2WriteOptions = {}): Promise<Kv2VersionMetadata> {
    const body = options.cas === undefined ? { data } : { data, options: { cas: options.cas } };
    const res = await this.transport.send<Envelope<RawMetadata>>({ method: "POST", path: `${this.mount}/data/${checkPath(path)}`, body });
    if (!res.body) throw new TypeError(`KV v2 write to ${this.mount}/data/${path} returned no metadata`);
    return toMetadata(res.body.data);
  }

  /** Read the latest or a given version; `undefined` when it does not exist or is deleted. */
  async read<T extends SecretData = SecretData>(path: string, options: Kv2ReadOptions = {}): Promise<Kv2Secret<T> | undefined> {
    const query = options.version === undefined ? undefined : { version: options.version };
    try {
      const res = await this.transport.send<Envelope<{ data: T | null; metadata: RawMetadata }>>({
        method: "GET",
        path: `${this.mount}/data/${checkPath(path)}`,
        query,
      });
      const payload = res.body?.data;
      if (!payload || payload.data === null) return undefined;
      return { data: payload.data, metadata: toMetadata(payload.metadata) };
    } catch (error) {
      if (error instanceof VaultHttpError && error.status === 404) return undefined;
      throw error;
    }
  }
}
