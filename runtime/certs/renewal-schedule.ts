/**
 * When a managed certificate is renewed, and how failed renewals are retried. Pure (time and
 * randomness come in as arguments) so the band, the jitter spread and the margin are unit-tested.
 *
 * A renewal falls at a uniformly random point of a band of the certificate's lifetime (by default
 * 60–75 %): a fleet that obtained its certificates together spreads its renewals over 15 % of the
 * lifetime instead of hitting the CA in the same second. The lifetime is counted from when the
 * certificate was received, not from `notBefore`: OpenBao back-dates `notBefore` by 30 s, which
 * would make a 10 s certificate look 75 % used on arrival.
 */
import { BackoffOptions, backoffDelay } from "../core/backoff";

/** Fractions of the lifetime between which a renewal falls. */
export interface RenewalBand {
  /** Earliest point, in (0, 1). @default 0.6 */
  readonly from: number;
  /** Latest point, in [from, 1). @default 0.75 */
  readonly to: number;
}

/** 60–75 % of the lifetime. */
export const DEFAULT_RENEWAL_BAND: RenewalBand = { from: 0.6, to: 0.75 };

/** Retries of a failed renewal: 1 s doubling to 60 s, and never later than a third of the time left. */
export const DEFAULT_RENEWAL_BACKOFF: BackoffOptions = { minMs: 1_000, maxMs: 60_000, multiplier: 2 };

/** Throw `RangeError` unless 0 < from ≤ to < 1. */
export function checkBand(band: RenewalBand): RenewalBand {
  if (!(band.from > 0 && band.from <= band.to && band.to < 1)) {
    throw new RangeError(`renewal band needs 0 < from <= to < 1, got from=${band.from} to=${band.to}`);
  }
  return band;
}

/**
 * Epoch ms at which to renew a certificate valid from `validFromMs` (when it was received, or its
 * `notBefore` if later) to `notAfterMs`: a random point of `band`, but never later than
 * `minMarginMs` before `notAfter` — the margin is cut to half the lifetime for certificates too
 * short to honour it, so a renewal still comes before expiry.
 */
export function renewalTime(validFromMs: number, notAfterMs: number, band: RenewalBand, minMarginMs: number, random: () => number): number {
  checkBand(band);
  const lifetime = Math.max(0, notAfterMs - validFromMs);
  const point = validFromMs + lifetime * (band.from + (band.to - band.from) * random());
  const margin = Math.min(Math.max(0, minMarginMs), lifetime / 2);
  return Math.min(point, notAfterMs - margin);
}

/**
 * Delay before retry `attempt` (0-based) of a failed renewal at `nowMs`: the shared backoff, but
 * while the certificate is still valid at most a third of the time it has left (at least 100 ms),
 * so several attempts fit before `notAfter` however long the backoff has grown.
 */
export function retryDelay(attempt: number, nowMs: number, notAfterMs: number, backoff: BackoffOptions, random: () => number): number {
  const delay = backoffDelay(attempt, backoff, random);
  const left = notAfterMs - nowMs;
  return left > 0 ? Math.max(100, Math.min(delay, Math.floor(left / 3))) : delay;
}
