/**
 * The TokenManager's timing: when to renew a token, and its backoff defaults (the backoff
 * formula itself is the shared one in `resilience/backoff`). Pure, so it is tested on its own.
 */
import { BackoffOptions } from "../resilience/backoff";

/** The TokenManager's backoff defaults: 1 s, doubling, capped at 60 s (short enough for a self-hosted Vault coming back). */
export const DEFAULT_BACKOFF: BackoffOptions = { minMs: 1_000, maxMs: 60_000, multiplier: 2 };

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
