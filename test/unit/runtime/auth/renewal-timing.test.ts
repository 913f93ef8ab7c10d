import { DEFAULT_BACKOFF, DEFAULT_RENEWAL_TIMING } from "../../../../runtime";
import { checkRenewalTiming, renewalDelayMs, tokenOperationDeadlineMs } from "../../../../runtime/auth/renewal-timing";
import { backoffDelay } from "../../../../runtime/core/backoff";

describe("renewalDelayMs", () => {
  it("lands anywhere in 50–80 % of the TTL by default, uniformly", () => {
    expect(renewalDelayMs(300, DEFAULT_RENEWAL_TIMING, () => 0)).toBeCloseTo(150_000, 6);
    expect(renewalDelayMs(300, DEFAULT_RENEWAL_TIMING, () => 0.5)).toBeCloseTo(195_000, 6);
    expect(renewalDelayMs(300, DEFAULT_RENEWAL_TIMING, () => 1)).toBeCloseTo(240_000, 6);
  });

  it("follows a custom band, a single point included", () => {
    expect(renewalDelayMs(100, { earliest: 0.5, latest: 0.5 }, Math.random)).toBe(50_000);
    expect(renewalDelayMs(100, { earliest: 0.2, latest: 0.6 }, () => 0.25)).toBeCloseTo(30_000, 6);
  });

  it("accepts a band inside (0, 1) and refuses anything else, naming the bound", () => {
    expect(() => checkRenewalTiming(DEFAULT_RENEWAL_TIMING)).not.toThrow();
    expect(() => checkRenewalTiming({ earliest: 0.5, latest: 0.5 })).not.toThrow();
    expect(() => checkRenewalTiming({ earliest: 1, latest: 1 })).toThrow("renewal.earliest must be in (0, 1), got 1");
    expect(() => checkRenewalTiming({ earliest: 0.5, latest: 0.4 })).toThrow("renewal.latest must be in [renewal.earliest, 1), got 0.4");
    expect(() => checkRenewalTiming({ earliest: Number.NaN, latest: 0.5 })).toThrow("renewal.earliest");
  });
});

describe("checkRenewalTiming boundaries", () => {
  it("refuses 0 and 1 themselves, and NaN or infinite bounds", () => {
    expect(() => checkRenewalTiming({ earliest: 0, latest: 0.5 })).toThrow("renewal.earliest must be in (0, 1), got 0");
    expect(() => checkRenewalTiming({ earliest: 0.5, latest: 1 })).toThrow("renewal.latest must be in [renewal.earliest, 1), got 1");
    expect(() => checkRenewalTiming({ earliest: 0.5, latest: Number.NaN })).toThrow("renewal.latest");
    expect(() => checkRenewalTiming({ earliest: -0.1, latest: 0.5 })).toThrow("renewal.earliest");
    expect(() => checkRenewalTiming({ earliest: 0.5, latest: Number.POSITIVE_INFINITY })).toThrow("renewal.latest");
  });

  it("accepts bounds just inside (0, 1)", () => {
    expect(() => checkRenewalTiming({ earliest: 0.001, latest: 0.999 })).not.toThrow();
    expect(() => checkRenewalTiming({ earliest: 0.999, latest: 0.999 })).not.toThrow();
  });
});

describe("tokenOperationDeadlineMs boundaries", () => {
  it("switches exactly at 500 ms and 60 s left, and floors odd milliseconds", () => {
    expect(tokenOperationDeadlineMs(499)).toBe(250);
    expect(tokenOperationDeadlineMs(500)).toBe(250);
    expect(tokenOperationDeadlineMs(502)).toBe(251);
    expect(tokenOperationDeadlineMs(503)).toBe(251);
    expect(tokenOperationDeadlineMs(59_998)).toBe(29_999);
    expect(tokenOperationDeadlineMs(60_000)).toBe(30_000);
    expect(tokenOperationDeadlineMs(0)).toBe(250);
  });
});

describe("tokenOperationDeadlineMs", () => {
  it("gives a token operation half of the time the token has left, within 250 ms and 30 s", () => {
    expect(tokenOperationDeadlineMs(6_000)).toBe(3_000);
    expect(tokenOperationDeadlineMs(1_001)).toBe(500);
    expect(tokenOperationDeadlineMs(100)).toBe(250);
    expect(tokenOperationDeadlineMs(-5)).toBe(250);
    expect(tokenOperationDeadlineMs(60_001)).toBe(30_000);
    expect(tokenOperationDeadlineMs(3_600_000)).toBe(30_000);
  });
});

describe("DEFAULT_BACKOFF", () => {
  it("retries a failed token operation after 1 s, doubling up to 60 s", () => {
    expect(DEFAULT_BACKOFF).toEqual({ minMs: 1_000, maxMs: 60_000, multiplier: 2 });
    expect([0, 1, 5, 6, 7].map((attempt) => backoffDelay(attempt, DEFAULT_BACKOFF, () => 1))).toEqual([
      1_000, 2_000, 32_000, 60_000, 60_000,
    ]);
  });
});
