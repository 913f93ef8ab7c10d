/**
 * Time as the TokenManager sees it: the current time and one-shot timers. Injectable so unit
 * tests can drive the renewal schedule with a fake clock and count attempts instead of waiting.
 */

/** Cancels a timer set with {@link Clock.schedule}; calling it twice is harmless. */
export type CancelTimer = () => void;

/** A source of time and timers. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Run `callback` once after `delayMs` milliseconds; returns a function that cancels it. */
  schedule(callback: () => void, delayMs: number): CancelTimer;
}

/** Longest delay `setTimeout` accepts (2^31 − 1 ms, about 24.8 days); longer ones would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The real clock: `Date.now()` and unref'd `setTimeout` (so a pending renewal never keeps a
 * process alive), chained for delays beyond what one timer can hold — a 40-day TTL is renewed
 * after ~27 days, not immediately.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(callback, delayMs) {
    let timer: NodeJS.Timeout;
    const arm = (remaining: number): void => {
      timer = setTimeout(
        () => (remaining > MAX_TIMER_MS ? arm(remaining - MAX_TIMER_MS) : callback()),
        Math.min(Math.max(0, remaining), MAX_TIMER_MS),
      );
      timer.unref();
    };
    arm(delayMs);
    return () => clearTimeout(timer);
  },
};
