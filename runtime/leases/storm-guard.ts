/**
 * The storm guard: a ceiling on how many new credentials a LeaseManager requests per interval,
 * over all the credentials it manages. While the database or Vault fails, every managed
 * credential wants new credentials at once and each failure is retried; without a ceiling a fleet
 * of managers turns one outage into a flood of `creds/` requests (each of which, when it does get
 * through, creates a database user). The guard is a sliding window: at most `maxRequests`
 * requests in any `intervalMs`; a request that would exceed it waits until the oldest one in the
 * window leaves it. Pure bookkeeping over an injected clock, so it is unit-tested without waiting.
 */
import type { Clock } from "../core/clock";

/** Bound of the guard. */
export interface StormGuardOptions {
  /** Most credential requests allowed in any window of `intervalMs`. @default 10 */
  readonly maxRequests: number;
  /** Length of the window, in ms. @default 60000 */
  readonly intervalMs: number;
}

/** 10 requests per minute: far above what renewals at 50–80 % of a TTL need, far below a storm. */
export const DEFAULT_STORM_GUARD: StormGuardOptions = { maxRequests: 10, intervalMs: 60_000 };

/** Throw a RangeError naming the bad bound unless maxRequests ≥ 1 (an integer) and intervalMs > 0. */
export function checkStormGuard(options: StormGuardOptions): StormGuardOptions {
  if (!(Number.isInteger(options.maxRequests) && options.maxRequests >= 1))
    throw new RangeError(`stormGuard.maxRequests must be an integer >= 1, got ${options.maxRequests}`);
  if (!(options.intervalMs > 0)) throw new RangeError(`stormGuard.intervalMs must be > 0, got ${options.intervalMs}`);
  return options;
}

/** Sliding-window limiter of credential requests. */
export class StormGuard {
  readonly #options: StormGuardOptions;
  readonly #clock: Clock;
  /** Times of the requests still inside the window, oldest first. */
  #sent: number[] = [];
  #total = 0;
  #deferred = 0;

  constructor(options: StormGuardOptions, clock: Clock) {
    this.#options = checkStormGuard(options);
    this.#clock = clock;
  }

  /** The bound in force. */
  get options(): StormGuardOptions {
    return this.#options;
  }

  /** Requests recorded since the guard was made. */
  get total(): number {
    return this.#total;
  }

  /** How often a request had to wait for the window. */
  get deferred(): number {
    return this.#deferred;
  }

  /** Requests inside the current window. */
  get inWindow(): number {
    this.#prune();
    return this.#sent.length;
  }

  /** Milliseconds until a request may be sent (0: now). */
  waitMs(): number {
    this.#prune();
    if (this.#sent.length < this.#options.maxRequests) return 0;
    return Math.max(1, this.#sent[0] + this.#options.intervalMs - this.#clock.now());
  }

  /**
   * Take a slot now if the window has one: returns 0 and records the request, or returns the
   * milliseconds to wait (nothing recorded; the caller tries again after them).
   */
  acquire(): number {
    const wait = this.waitMs();
    if (wait > 0) {
      this.#deferred++;
      return wait;
    }
    this.#sent.push(this.#clock.now());
    this.#total++;
    return 0;
  }

  #prune(): void {
    const horizon = this.#clock.now() - this.#options.intervalMs;
    while (this.#sent.length > 0 && this.#sent[0] <= horizon) this.#sent.shift();
  }
}
