/**
 * In-memory secret cache: bounded (least recently used entries go first), entries live for the
 * configured TTL or the secret's lease, whichever is shorter; concurrent misses share one fill;
 * entries marked critical are served stale while the cluster cannot be reached. Never persisted.
 */
import { inspect } from "node:util";
import { VaultConnectionError, VaultDeadlineError, VaultHttpError, VaultUnavailableError } from "../core/errors";

/** Options of {@link SecretCache}. */
export interface SecretCacheOptions {
  /** Longest time an entry is served fresh, in ms. @default 300000 (the seed's `ttl: 5m`) */
  readonly ttlMs?: number;
  /** Most entries kept. @default 10000 */
  readonly maxEntries?: number;
  /** How long past expiry a critical entry may be served while the cluster is unreachable, in ms. @default 3600000 */
  readonly staleIfErrorMs?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
  /** Called on every lookup with its result (for metrics). @default none */
  readonly onLookup?: (result: "hit" | "miss" | "stale") => void;
}

/** What a fill returns: the value and, for leased secrets, the lease duration. */
export interface CacheFill<T> {
  /** The value to cache. `undefined` is returned but never cached. */
  readonly value: T | undefined;
  /** Lease duration in ms; the entry expires no later than this. @default no lease */
  readonly leaseMs?: number;
}

/** Counters of a cache. */
export interface CacheStats {
  /** Lookups answered from a fresh entry. */
  readonly hits: number;
  /** Lookups that had to fill. */
  readonly misses: number;
  /** Lookups answered from an expired critical entry because the fill could not reach the cluster. */
  readonly stale: number;
  /** Entries dropped to stay within `maxEntries`. */
  readonly evictions: number;
  /** Entries held now. */
  readonly size: number;
}

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/** True for failures that say "the cluster could not be reached", never for answers like 403 or 404. */
function isOutage(error: unknown): boolean {
  return (
    error instanceof VaultConnectionError ||
    error instanceof VaultUnavailableError ||
    error instanceof VaultDeadlineError ||
    (error instanceof VaultHttpError && error.status >= 500 && error.status !== 501)
  );
}

/** The cache. */
export class SecretCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<unknown>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly staleIfErrorMs: number;
  private readonly now: () => number;
  private readonly onLookup: (result: "hit" | "miss" | "stale") => void;
  private counts = { hits: 0, misses: 0, stale: 0, evictions: 0 };
  /** Bumped by every invalidation: a fill that started before one must not store what it read. */
  private epoch = 0;

  /** An empty cache; throws on a non-positive (or NaN) TTL or size, or a negative stale window. */
  constructor(options: SecretCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 300_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.staleIfErrorMs = options.staleIfErrorMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
    this.onLookup = options.onLookup ?? (() => undefined);
    if (!(this.ttlMs > 0)) throw new RangeError(`cache ttlMs must be positive, got ${this.ttlMs}`);
    if (!(this.staleIfErrorMs >= 0)) throw new RangeError(`cache staleIfErrorMs must be zero or positive, got ${this.staleIfErrorMs}`);
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1)
      throw new RangeError(`cache maxEntries must be a positive integer, got ${this.maxEntries}`);
  }

  /**
   * The cached value for `key`, or the result of `fill` (shared by concurrent callers). With
   * `critical`, an expired entry is returned when `fill` fails because the cluster is unreachable;
   * `fill` is told whether such a fallback exists, so it can give up sooner.
   */
  async get<T>(
    key: string,
    fill: (hasStaleFallback: boolean) => Promise<CacheFill<T>>,
    options: { critical?: boolean } = {},
  ): Promise<T | undefined> {
    let entry = this.entries.get(key);
    const now = this.now();
    if (entry && now >= entry.expiresAt + this.staleIfErrorMs) {
      // Too old even to fall back on: do not keep the secret in memory any longer.
      this.entries.delete(key);
      entry = undefined;
    }
    if (entry && entry.expiresAt > now) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.counts.hits++;
      this.onLookup("hit");
      return entry.value as T;
    }
    this.counts.misses++;
    this.onLookup("miss");
    const shared = this.pending.get(key);
    if (shared) return shared as Promise<T | undefined>;
    const filling: Promise<T | undefined> = this.fill(key, fill, entry, options.critical ?? false).finally(() => {
      if (this.pending.get(key) === filling) this.pending.delete(key);
    });
    this.pending.set(key, filling);
    return filling;
  }

  private async fill<T>(
    key: string,
    fill: (hasStaleFallback: boolean) => Promise<CacheFill<T>>,
    previous: Entry | undefined,
    critical: boolean,
  ): Promise<T | undefined> {
    const fallback = critical && previous !== undefined && this.now() < previous.expiresAt + this.staleIfErrorMs;
    const epoch = this.epoch;
    try {
      const result = await fill(fallback);
      if (result.value === undefined) {
        this.entries.delete(key);
        return undefined;
      }
      if (epoch !== this.epoch) return result.value;
      this.store(key, { value: result.value, expiresAt: this.now() + this.lifeMs(result.leaseMs) });
      return result.value;
    } catch (error) {
      if (fallback && previous && isOutage(error)) {
        this.counts.stale++;
        this.onLookup("stale");
        return previous.value as T;
      }
      throw error;
    }
  }

  /** How long a new entry lives: the TTL, or a shorter positive lease. */
  private lifeMs(leaseMs: number | undefined): number {
    // Stryker disable next-line ConditionalExpression: equivalent when false (`undefined > 0` below is false too); the line is for the type checker.
    if (leaseMs === undefined) return this.ttlMs;
    return leaseMs > 0 ? Math.min(this.ttlMs, leaseMs) : this.ttlMs;
  }

  private store(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    // Least recently used first: Map keys keep insertion order, and a hit re-inserts its key.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
      this.counts.evictions++;
    }
  }

  /** Put a value in directly (e.g. what was just written), for `ttlMs` or `leaseMs`. */
  set(key: string, value: unknown, leaseMs?: number): void {
    this.store(key, { value, expiresAt: this.now() + this.lifeMs(leaseMs) });
  }

  /** Drop one key; fills already under way for it will not be stored. */
  invalidate(key: string): void {
    this.drop((k) => k === key);
  }

  /** Drop every key starting with `prefix`; fills already under way for them will not be stored. */
  invalidatePrefix(prefix: string): void {
    this.drop((k) => k.startsWith(prefix));
  }

  private drop(matches: (key: string) => boolean): void {
    this.epoch++;
    for (const key of [...this.entries.keys()]) if (matches(key)) this.entries.delete(key);
    for (const key of [...this.pending.keys()]) if (matches(key)) this.pending.delete(key);
  }

  /** Drop everything. */
  clear(): void {
    this.epoch++;
    this.entries.clear();
    this.pending.clear();
  }

  /** What `util.inspect` shows: counters, never a cached value. */
  [inspect.custom](): string {
    return `SecretCache(${JSON.stringify(this.stats())})`;
  }

  /** What `JSON.stringify` shows: counters, never a cached value. */
  toJSON(): CacheStats {
    return this.stats();
  }

  /** Hit, miss, stale and eviction counters and the current size. */
  stats(): CacheStats {
    return { ...this.counts, size: this.entries.size };
  }
}
