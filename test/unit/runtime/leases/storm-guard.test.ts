import { DEFAULT_STORM_GUARD, StormGuard } from "../../../../runtime";
import { checkStormGuard } from "../../../../runtime/leases/storm-guard";
import { FakeClock } from "./fakes";

describe("StormGuard", () => {
  it("lets maxRequests through per window, then says how long to wait until the oldest leaves it", async () => {
    const clock = new FakeClock();
    const guard = new StormGuard({ maxRequests: 3, intervalMs: 10_000 }, clock);
    expect([guard.acquire(), guard.acquire()]).toEqual([0, 0]);
    await clock.advance(4_000);
    expect(guard.acquire()).toBe(0);
    expect(guard.inWindow).toBe(3);
    // The first two were sent at t=0: the window frees a slot at t=10 s, 6 s from now.
    expect(guard.acquire()).toBe(6_000);
    expect(guard.waitMs()).toBe(6_000);
    await clock.advance(5_999);
    expect(guard.acquire()).toBe(1);
    await clock.advance(1);
    // Both requests of t=0 have left the window: two slots.
    expect([guard.acquire(), guard.acquire()]).toEqual([0, 0]);
    expect(guard.acquire()).toBe(4_000);
    expect({ total: guard.total, deferred: guard.deferred }).toEqual({ total: 5, deferred: 3 });
  });

  it("never lets more than maxRequests into any window, however often it is asked", async () => {
    const clock = new FakeClock();
    const guard = new StormGuard({ maxRequests: 4, intervalMs: 1_000 }, clock);
    const sent: number[] = [];
    for (let t = 0; t < 20_000; t += 37) {
      if (guard.acquire() === 0) sent.push(clock.now());
      await clock.advance(37);
    }
    for (const start of sent) expect(sent.filter((at) => at >= start && at < start + 1_000).length).toBeLessThanOrEqual(4);
    // And it is not stingier than the bound: 20 s at 4 per second.
    expect(sent.length).toBeGreaterThanOrEqual(76);
  });

  it("refuses bounds that would block everything or nothing", () => {
    expect(() => checkStormGuard({ maxRequests: 0, intervalMs: 1_000 })).toThrow(/maxRequests/);
    expect(() => checkStormGuard({ maxRequests: 1.5, intervalMs: 1_000 })).toThrow(/maxRequests/);
    expect(() => checkStormGuard({ maxRequests: 1, intervalMs: 0 })).toThrow(/intervalMs/);
    expect(checkStormGuard(DEFAULT_STORM_GUARD)).toBe(DEFAULT_STORM_GUARD);
  });
});
