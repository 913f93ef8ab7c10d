import { DEFAULT_RENEWAL_TIMING, renewalDelayMs } from "../../../../runtime/auth";

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
