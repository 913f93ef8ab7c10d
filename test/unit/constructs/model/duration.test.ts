import { ModelValidationError } from "../../../../constructs/model/errors";
import { durationSeconds, formatDuration, parseDuration, tryParseDuration } from "../../../../constructs/model/duration";

describe("parseDuration", () => {
  it.each([
    ["87600h", 315_360_000],
    ["720h", 2_592_000],
    ["5m", 300],
    ["30s", 30],
    ["1h30m", 5_400],
    ["7d", 604_800],
    ["1d2h3m4s", 93_784],
    ["3600", 3_600],
    [0, 0],
    [42, 42],
  ])("%p is %p seconds", (input, seconds) => {
    expect(parseDuration(input, "ttl")).toBe(seconds);
  });

  it.each(["10x", "", "-5s", "1.5h", "h", "5m1h", "1h1h", "5 m", "P1D"])("rejects %p naming the field", (input) => {
    expect(() => parseDuration(input, "engines.pki.ttl")).toThrow(ModelValidationError);
    expect(() => parseDuration(input, "engines.pki.ttl")).toThrow(/^engines\.pki\.ttl: invalid duration/);
  });

  it("rejects non-integers, negatives and non-strings", () => {
    expect(tryParseDuration(1.5)).toBeUndefined();
    expect(tryParseDuration(-1)).toBeUndefined();
    expect(tryParseDuration(true)).toBeUndefined();
    expect(tryParseDuration(null)).toBeUndefined();
  });

  it("zod schema turns durations into seconds and reports garbage", () => {
    expect(durationSeconds.parse("24h")).toBe(86_400);
    const result = durationSeconds.safeParse("10x");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/invalid duration "10x"/);
  });

  it("formats seconds back into h/m/s", () => {
    expect(formatDuration(2_592_000)).toBe("720h");
    expect(formatDuration(5_430)).toBe("1h30m30s");
    expect(formatDuration(0)).toBe("0s");
  });
});
