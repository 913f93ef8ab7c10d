import { DEFAULT_BACKOFF } from "../../../../runtime";
import { backoffDelay, parseRetryAfter } from "../../../../runtime/core/backoff";

describe("backoffDelay", () => {
  const bounds = { minMs: 100, maxMs: 1_000 };

  it("doubles per attempt up to the cap, with half of each delay randomised", () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, bounds, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, bounds, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it("uses the TokenManager's defaults: 1 s doubling to a 60 s cap, never below half the ceiling", () => {
    expect(Array.from({ length: 10 }, (_, i) => backoffDelay(i, DEFAULT_BACKOFF, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000,
    ]);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(4, DEFAULT_BACKOFF);
      expect(d).toBeGreaterThanOrEqual(8_000);
      expect(d).toBeLessThanOrEqual(16_000);
    }
  });

  it("honours a custom multiplier and treats negative attempts as the first", () => {
    const policy = { minMs: 100, maxMs: 10_000, multiplier: 3 };
    expect([0, 1, 2, 3, 4, 5].map((i) => backoffDelay(i, policy, () => 1))).toEqual([100, 300, 900, 2_700, 8_100, 10_000]);
    expect(backoffDelay(-2, policy, () => 1)).toBe(100);
  });

  it("rejects bounds that make no schedule", () => {
    expect(() => backoffDelay(0, { minMs: 0, maxMs: 10 })).toThrow("backoff needs 0 < minMs <= maxMs, got minMs=0 maxMs=10");
    expect(() => backoffDelay(0, { minMs: 20, maxMs: 10 })).toThrow(RangeError);
  });

  it("accepts equal bounds: a constant ceiling, still half-randomised", () => {
    const flat = { minMs: 400, maxMs: 400 };
    expect([0, 1, 5].map((a) => backoffDelay(a, flat, () => 1))).toEqual([400, 400, 400]);
    expect(backoffDelay(3, flat, () => 0)).toBe(200);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, ignores garbage", () => {
    expect(parseRetryAfter("3")).toBe(3_000);
    expect(parseRetryAfter("Sun, 29 Nov 2026 10:00:05 GMT", Date.parse("Sun, 29 Nov 2026 10:00:00 GMT"))).toBe(5_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it("reads 0 as now, whatever the clock (not as a date such as the year 2000)", () => {
    expect(parseRetryAfter("0", 0)).toBe(0);
    expect(parseRetryAfter("0")).toBe(0);
  });

  it("reads only whole seconds as a delay: no blanks, exponents, hex, fractions or signs (RFC 9110 delay-seconds)", () => {
    for (const value of [" ", "1e3", "0x10", "1.5", "-1", "+2"]) expect(parseRetryAfter(value, 0)).toBeUndefined();
    expect(parseRetryAfter(" 7 ")).toBe(7_000);
  });

  it("ignores an empty header instead of reading it as 0 s", () => {
    expect(parseRetryAfter("")).toBeUndefined();
  });

  it("never returns a negative or infinite wait", () => {
    expect(parseRetryAfter("Infinity")).toBeUndefined();
    for (const value of ["-5", "-0.5", "-1e9"]) {
      const wait = parseRetryAfter(value);
      expect(wait === undefined || (wait >= 0 && Number.isFinite(wait))).toBe(true);
    }
  });
});
