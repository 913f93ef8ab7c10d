/**
 * Exponential backoff with "equal jitter": the delay grows by `multiplier` per attempt from
 * `minMs` up to `maxMs`, and half of it is randomised so that many clients recovering together do
 * not retry in lock-step (the renew storms the anchors document), yet it never collapses to zero.
 * Used by the request executor and by the TokenManager.
 */

/** Bounds of a backoff schedule. */
export interface BackoffOptions {
  /** First delay, in milliseconds. */
  readonly minMs: number;
  /** Largest delay, in milliseconds. */
  readonly maxMs: number;
  /** Growth per attempt. @default 2 */
  readonly multiplier?: number;
}

/** Delay before retry number `attempt` (0-based; negative counts as 0): in [d/2, d] with d = min(max, min · multiplier^attempt). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  if (options.minMs <= 0 || options.maxMs < options.minMs) {
    throw new RangeError(`backoff needs 0 < minMs <= maxMs, got minMs=${options.minMs} maxMs=${options.maxMs}`);
  }
  const ceiling = Math.min(options.maxMs, options.minMs * (options.multiplier ?? 2) ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Parse an HTTP `Retry-After` header (seconds or HTTP date) into milliseconds, if valid. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  // delay-seconds is 1*DIGIT: Number() would also take " ", "1e3", "0x10" and "1.5".
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always has a month or day name; V8's Date.parse reads bare numbers such as "-1" as years.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
