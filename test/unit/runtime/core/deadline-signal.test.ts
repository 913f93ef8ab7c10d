import { deadlineSignal } from "../../../../runtime/core/deadline-signal";

describe("deadlineSignal", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("aborts with a TimeoutError when the deadline passes, and says so", () => {
    const d = deadlineSignal(100);
    jest.advanceTimersByTime(99);
    expect(d.signal.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(d.signal.aborted).toBe(true);
    expect(d.timedOut).toBe(true);
    expect((d.signal.reason as DOMException).name).toBe("TimeoutError");
  });

  it("follows the parent with the parent's reason, without counting as a timeout", () => {
    const parent = new AbortController();
    const d = deadlineSignal(100, parent.signal);
    const reason = new Error("caller gave up");
    parent.abort(reason);
    expect(d.signal.aborted).toBe(true);
    expect(d.signal.reason).toBe(reason);
    expect(d.timedOut).toBe(false);
  });

  it("starts aborted when the parent already is", () => {
    const parent = new AbortController();
    parent.abort(new Error("already"));
    const d = deadlineSignal(100, parent.signal);
    expect(d.signal.aborted).toBe(true);
    expect(d.timedOut).toBe(false);
  });

  it("once cleared, neither the deadline nor the parent aborts it, and no timer is left", () => {
    const parent = new AbortController();
    const d = deadlineSignal(100, parent.signal);
    d.clear();
    expect(jest.getTimerCount()).toBe(0);
    parent.abort();
    jest.advanceTimersByTime(1_000);
    expect(d.signal.aborted).toBe(false);
    expect(d.timedOut).toBe(false);
  });
});
