import { DEFAULT_RENEWAL_BAND } from "../../../../runtime";
import { DEFAULT_RENEWAL_BACKOFF, checkBand, renewalTime, retryDelay } from "../../../../runtime/certs/renewal-schedule";

const HOUR = 3_600_000;
const start = 1_700_000_000_000;

/** A deterministic, evenly spread sequence in [0, 1). */
function spread(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i + 0.5) / n);
}

describe("renewalTime", () => {
  const lifetime = 720 * HOUR;

  it("falls at 60 % of the lifetime for random 0 and just under 75 % for random → 1", () => {
    expect(renewalTime(start, start + lifetime, DEFAULT_RENEWAL_BAND, 300_000, () => 0)).toBe(start + 0.6 * lifetime);
    const late = renewalTime(start, start + lifetime, DEFAULT_RENEWAL_BAND, 300_000, () => 0.999999);
    expect(late).toBeLessThan(start + 0.75 * lifetime);
    expect(late).toBeGreaterThan(start + 0.7499 * lifetime);
  });

  it("spreads a fleet over the whole band, not a few percent around one point", () => {
    const points = spread(1000).map(
      (r) => (renewalTime(start, start + lifetime, DEFAULT_RENEWAL_BAND, 300_000, () => r) - start) / lifetime,
    );
    expect(Math.min(...points)).toBeLessThan(0.601);
    expect(Math.max(...points)).toBeGreaterThan(0.749);
    // Every tenth of the band gets its share: uniform, not clustered.
    const buckets = new Array(10).fill(0);
    for (const p of points) buckets[Math.min(9, Math.floor(((p - 0.6) / 0.15) * 10))]++;
    for (const count of buckets) expect(count).toBe(100);
  });

  it("honours a custom band", () => {
    expect(renewalTime(start, start + 1000, { from: 0.5, to: 0.5 }, 0, () => 0.9)).toBe(start + 500);
    expect(renewalTime(start, start + 1000, { from: 0.2, to: 0.4 }, 0, () => 0.5)).toBe(start + 300);
  });

  it("keeps the minimum margin before notAfter when the band would come later", () => {
    // 1 h certificate, 20 min margin: the band (36–45 min) is cut to 40 min.
    expect(renewalTime(start, start + HOUR, DEFAULT_RENEWAL_BAND, 20 * 60_000, () => 0.9)).toBe(start + 40 * 60_000);
    expect(renewalTime(start, start + HOUR, DEFAULT_RENEWAL_BAND, 20 * 60_000, () => 0)).toBe(start + 36 * 60_000);
  });

  it("cuts the margin to half the lifetime for certificates shorter than it, so they still renew before expiry", () => {
    // 12 s certificate, 5 min margin: renew at 6 s, not at once and not after expiry.
    expect(renewalTime(start, start + 12_000, DEFAULT_RENEWAL_BAND, 300_000, () => 0.5)).toBe(start + 6_000);
  });

  it("refuses a band outside (0, 1) or upside down", () => {
    for (const band of [
      { from: 0, to: 0.5 },
      { from: 0.8, to: 0.6 },
      { from: 0.5, to: 1 },
    ])
      expect(() => checkBand(band)).toThrow(RangeError);
    expect(() => checkBand({ from: 0.8, to: 0.6 })).toThrow("renewal band needs 0 < from <= to < 1, got from=0.8 to=0.6");
    expect(checkBand(DEFAULT_RENEWAL_BAND)).toBe(DEFAULT_RENEWAL_BAND);
  });
});

describe("retryDelay", () => {
  const backoff = { minMs: 1_000, maxMs: 60_000, multiplier: 2 };

  it("follows the shared backoff while there is plenty of time", () => {
    expect(retryDelay(0, start, start + HOUR, backoff, () => 1)).toBe(1_000);
    expect(retryDelay(3, start, start + HOUR, backoff, () => 1)).toBe(8_000);
    expect(retryDelay(3, start, start + HOUR, backoff, () => 0)).toBe(4_000);
    expect(retryDelay(20, start, start + HOUR, backoff, () => 1)).toBe(60_000);
  });

  it("never waits more than a third of the validity left, so several attempts fit before expiry", () => {
    expect(retryDelay(20, start, start + 30_000, backoff, () => 1)).toBe(10_000);
    expect(retryDelay(20, start, start + 600, backoff, () => 1)).toBe(200);
    expect(retryDelay(20, start, start + 90, backoff, () => 1)).toBe(100);
  });

  it("keeps backing off after expiry, so a dead CA is not hammered", () => {
    expect(retryDelay(20, start + 10, start, backoff, () => 1)).toBe(60_000);
  });

  it("backs off in full from the instant of expiry on (no third of nothing)", () => {
    expect(retryDelay(20, start, start, backoff, () => 1)).toBe(60_000);
    expect(retryDelay(20, start, start + 1, backoff, () => 1)).toBe(100);
  });

  it("retries a renewal after 1 s by default, doubling to 60 s", () => {
    expect(DEFAULT_RENEWAL_BACKOFF).toEqual({ minMs: 1_000, maxMs: 60_000, multiplier: 2 });
    expect([0, 3, 6].map((attempt) => retryDelay(attempt, start, start + 24 * HOUR, DEFAULT_RENEWAL_BACKOFF, () => 1))).toEqual([
      1_000, 8_000, 60_000,
    ]);
  });
});
