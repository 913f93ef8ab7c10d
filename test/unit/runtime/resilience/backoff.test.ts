import { backoffDelay, parseRetryAfter } from "../../../../runtime";

describe("backoffDelay", () => {
  const bounds = { minMs: 100, maxMs: 1_000 };

  it("doubles per attempt up to the cap, with half of each delay randomised", () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, bounds, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, bounds, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it("rejects bounds that make no schedule", () => {
    expect(() => backoffDelay(0, { minMs: 0, maxMs: 10 })).toThrow("backoff needs 0 < minMs <= maxMs, got minMs=0 maxMs=10");
    expect(() => backoffDelay(0, { minMs: 20, maxMs: 10 })).toThrow(RangeError);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, ignores garbage", () => {
    expect(parseRetryAfter("3")).toBe(3_000);
    expect(parseRetryAfter("Sun, 29 Nov 2026 10:00:05 GMT", Date.parse("Sun, 29 Nov 2026 10:00:00 GMT"))).toBe(5_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
