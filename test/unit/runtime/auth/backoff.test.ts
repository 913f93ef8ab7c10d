import { DEFAULT_BACKOFF, DEFAULT_RENEWAL_TIMING, backoffDelayMs, renewalDelayMs } from "../../../../runtime/auth";

describe("backoffDelayMs", () => {
  it("doubles the ceiling per attempt up to the cap", () => {
    const ceilings = Array.from({ length: 10 }, (_, i) => backoffDelayMs(i, DEFAULT_BACKOFF, () => 1));
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
  });

  it("jitters into the upper half of the ceiling, never to zero", () => {
    expect(backoffDelayMs(0, DEFAULT_BACKOFF, () => 0)).toBe(500);
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0)).toBe(4_000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(4, DEFAULT_BACKOFF, Math.random);
      expect(d).toBeGreaterThanOrEqual(8_000);
      expect(d).toBeLessThanOrEqual(16_000);
    }
  });

  it("honours a custom multiplier and treats negative attempts as the first", () => {
    const policy = { initialMs: 100, maxMs: 10_000, multiplier: 3 };
    expect([0, 1, 2, 3, 4, 5].map((i) => backoffDelayMs(i, policy, () => 1))).toEqual([100, 300, 900, 2_700, 8_100, 10_000]);
    expect(backoffDelayMs(-2, policy, () => 1)).toBe(100);
  });
});

describe("renewalDelayMs", () => {
  it("lands at two thirds of the TTL, ±10 %", () => {
    expect(renewalDelayMs(300, DEFAULT_RENEWAL_TIMING, () => 0.5)).toBeCloseTo(200_000, 6);
    expect(renewalDelayMs(300, DEFAULT_RENEWAL_TIMING, () => 0)).toBeCloseTo(180_000, 6);
    expect(renewalDelayMs(300, DEFAULT_RENEWAL_TIMING, () => 1)).toBeCloseTo(220_000, 6);
  });

  it("follows a custom fraction and jitter", () => {
    expect(renewalDelayMs(100, { fraction: 0.5, jitter: 0 }, Math.random)).toBe(50_000);
    expect(renewalDelayMs(100, { fraction: 0.8, jitter: 0.25 }, () => 0)).toBeCloseTo(60_000, 6);
  });
});
