/**
 * Exponential backoff with jitter, and the renewal point of a token: the two pieces of timing
 * the TokenManager uses, kept pure so they can be tested on their own.
 */

/** Exponential backoff settings. */
export interface BackoffPolicy {
  /** Ceiling of the first delay, in milliseconds. @default 1000 */
  readonly initialMs: number;
  /** Cap on any delay, in milliseconds. @default 60000 */
  readonly maxMs: number;
  /** Growth factor between attempts. @default 2 */
  readonly multiplier: number;
}

/** The defaults: 1 s, doubling, capped at 60 s (short enough for a self-hosted Vault coming back). */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000, multiplier: 2 };

/**
 * Delay before retry number `attempt` (0 for the first retry): the ceiling
 * `min(maxMs, initialMs · multiplier^attempt)`, jittered uniformly into `[ceiling/2, ceiling]`
 * so clients that failed together do not retry together, yet the delay never collapses to zero.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * Math.pow(policy.multiplier, Math.max(0, attempt)));
  return ceiling / 2 + (random() * ceiling) / 2;
}

/** When to renew a token, as fractions of its TTL. */
export interface RenewalTiming {
  /** Point of the TTL at which to renew. @default 2/3 */
  readonly fraction: number;
  /** Relative jitter around that point: the delay is scaled by `1 ± jitter`. @default 0.1 */
  readonly jitter: number;
}

/** The defaults: about two thirds of the TTL, ±10 % (60–73 % of the TTL). */
export const DEFAULT_RENEWAL_TIMING: RenewalTiming = { fraction: 2 / 3, jitter: 0.1 };

/** Delay from now until a token with `ttlSeconds` left should be renewed (or replaced). */
export function renewalDelayMs(ttlSeconds: number, timing: RenewalTiming, random: () => number): number {
  const base = ttlSeconds * 1000 * timing.fraction;
  return base * (1 - timing.jitter + 2 * timing.jitter * random());
}
