/**
 * A bounded waiting room for operations while the cluster cannot serve them (sealed, no leader,
 * unreachable). Open: callers pass straight through. Closed: callers wait until it opens again,
 * their deadline passes, or the room is full — each outcome explicit, nothing dropped silently.
 */

/** Why a wait ended without the gate opening. */
export type GateRefusal = "deadline" | "full" | "stopped";

/** Raised to a waiting caller the gate could not let through. */
export class GateRefusedError extends Error {
  /** What ended the wait. */
  public readonly refusal: GateRefusal;

  /** @internal */
  constructor(refusal: GateRefusal, detail: string) {
    super(detail);
    this.name = "GateRefusedError";
    this.refusal = refusal;
  }
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: GateRefusedError) => void;
  readonly timer: NodeJS.Timeout;
}

/** The waiting room. */
export class OutageGate {
  private isOpen = true;
  private stopped = false;
  private readonly waiters = new Set<Waiter>();

  /** @param capacity the most operations that may wait at once */
  constructor(public readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`gate capacity must be a non-negative integer, got ${capacity}`);
  }

  /** True when callers pass straight through. */
  get open(): boolean {
    return this.isOpen;
  }

  /** Operations waiting now. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Pass when open; otherwise wait until open or until `deadlineAt` (epoch ms). */
  pass(deadlineAt: number): Promise<void> {
    if (this.stopped) return Promise.reject(new GateRefusedError("stopped", "the client was stopped"));
    if (this.isOpen) return Promise.resolve();
    if (this.waiters.size >= this.capacity) {
      return Promise.reject(new GateRefusedError("full", `the outage queue is full (${this.capacity} operations waiting)`));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(
          () => {
            this.waiters.delete(waiter);
            reject(new GateRefusedError("deadline", "the deadline passed while waiting for the cluster to recover"));
          },
          Math.max(0, deadlineAt - Date.now()),
        ),
      };
      this.waiters.add(waiter);
    });
  }

  /** Let everyone through, now and until {@link OutageGate.close}. */
  openGate(): void {
    this.isOpen = true;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
    this.waiters.clear();
  }

  /** Make new callers wait. */
  close(): void {
    if (!this.stopped) this.isOpen = false;
  }

  /** Refuse every waiting and future caller. */
  stop(): void {
    this.stopped = true;
    this.isOpen = false;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new GateRefusedError("stopped", "the client was stopped"));
    }
    this.waiters.clear();
  }
}
