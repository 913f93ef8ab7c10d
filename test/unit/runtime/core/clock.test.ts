import { systemClock } from "../../../../runtime/core/clock";

describe("systemClock", () => {
  afterEach(() => jest.useRealTimers());

  it("fires a delay longer than one timer can hold at its time, not at once", () => {
    jest.useFakeTimers();
    const fired: number[] = [];
    const fortyDays = 40 * 24 * 3600 * 1000;
    systemClock.schedule(() => fired.push(Date.now()), fortyDays);
    const start = Date.now();
    jest.advanceTimersByTime(1_000);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(fortyDays - 1_001);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual([start + fortyDays]);
  });

  it("cancels a chained timer", () => {
    jest.useFakeTimers();
    let fired = false;
    const cancel = systemClock.schedule(() => (fired = true), 30 * 24 * 3600 * 1000);
    jest.advanceTimersByTime(25 * 24 * 3600 * 1000);
    cancel();
    jest.advanceTimersByTime(10 * 24 * 3600 * 1000);
    expect(fired).toBe(false);
  });
});
