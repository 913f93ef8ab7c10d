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

/** The real clock: `Date.now()` and unref'd `setTimeout`, so a pending renewal never keeps a process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(callback, delayMs) {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    timer.unref();
    return () => clearTimeout(timer);
  },
};
