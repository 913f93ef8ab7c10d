/**
 * The TokenManager's timing: when to renew a token, how long one token operation may take, and
 * its backoff defaults (the backoff formula itself is the shared one in `core/backoff`).
 * Pure, so it is tested on its own.
 */
import { BackoffOptions } from "../core/backoff";

/** The TokenManager's backoff defaults: 1 s, doubling, capped at 60 s (short enough for a self-hosted Vault coming back). */
export const DEFAULT_BACKOFF: BackoffOptions = { minMs: 1_000, maxMs: 60_000, multiplier: 2 };

/**
 * When to renew a token: at a uniformly random point of a band of its TTL. A wide band is what
 * spreads a fleet that logged in together (a rollout) from its first renewal on; ±10 % around
 * one point does not (50 managers renewed within one second).
 */
export interface RenewalTiming {
  /** Earliest point of the TTL at which to renew, as a fraction. @default 0.5 */
  readonly earliest: number;
  /** Latest point of the TTL at which to renew, as a fraction. @default 0.8 */
  readonly latest: number;
}

/**
 * The defaults: anywhere in 50–80 % of the TTL, on average 65 % (about the two thirds Vault
 * Agent and cert-manager use), leaving at least a fifth of the TTL for retries. N managers that
 * start together send at most about N / (0.3 · TTL in s) + 1 renewals in any one second.
 */
export const DEFAULT_RENEWAL_TIMING: RenewalTiming = { earliest: 0.5, latest: 0.8 };

/** Throw a RangeError naming the bad bound unless 0 < earliest <= latest < 1. */
export function checkRenewalTiming(timing: RenewalTiming): void {
  if (!(timing.earliest > 0 && timing.earliest < 1)) throw new RangeError(`renewal.earliest must be in (0, 1), got ${timing.earliest}`);
  if (!(timing.latest >= timing.earliest && timing.latest < 1))
    throw new RangeError(`renewal.latest must be in [renewal.earliest, 1), got ${timing.latest}`);
}

/** Delay from now until a token with `ttlSeconds` left should be renewed (or replaced). */
export function renewalDelayMs(ttlSeconds: number, timing: RenewalTiming, random: () => number): number {
  return ttlSeconds * 1000 * (timing.earliest + (timing.latest - timing.earliest) * random());
}

/** Longest any token operation may take, however long the token has left, in ms. */
export const MAX_TOKEN_OPERATION_MS = 30_000;
/** Shortest deadline given to a token operation, in ms: below it no request can complete. */
export const MIN_TOKEN_OPERATION_MS = 250;

/**
 * Deadline of one renewal or re-login while the token has `remainingMs` left: half of it, so
 * that a failure still leaves time for a retry or a login before expiry (a generic 30 s request
 * deadline held a 6 s token's upkeep hostage). Bounded to [250 ms, 30 s].
 */
export function tokenOperationDeadlineMs(remainingMs: number): number {
  return Math.min(MAX_TOKEN_OPERATION_MS, Math.max(MIN_TOKEN_OPERATION_MS, Math.floor(remainingMs / 2)));
}
