/**
 * A per-attempt abort signal with a deadline, released when the attempt ends. `AbortSignal.timeout`
 * plus `AbortSignal.any` cost about 35 µs per pair on Node 20 and keep a timer and a signal alive
 * until the timeout fires (tens of seconds) — at thousands of requests per second that was the
 * largest client-side cost of an uncached read (see docs/architecture.md, "The request path").
 * One controller and one timer, cleared as soon as the answer is read, do the same job.
 */

/** A signal that aborts when `ms` pass or the parent aborts, until {@link DeadlineSignal.clear}. */
export interface DeadlineSignal {
  /** Aborts with a `TimeoutError` DOMException at the deadline, or with the parent's reason. */
  readonly signal: AbortSignal;
  /** True when the deadline (not the parent) aborted the signal. */
  readonly timedOut: boolean;
  /** Drop the timer and the listener on the parent; call once the attempt is over. */
  clear(): void;
}

/** Start a deadline of `ms` milliseconds, tied to `parent` when given. */
export function deadlineSignal(ms: number, parent?: AbortSignal): DeadlineSignal {
  const controller = new AbortController();
  let timedOut = false;
  const onParent = (): void => controller.abort(parent?.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
  }, ms);
  // Like AbortSignal.timeout: a pending deadline alone does not keep the process alive.
  timer.unref();
  if (parent?.aborted) onParent();
  else parent?.addEventListener("abort", onParent, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onParent);
    },
  };
}
