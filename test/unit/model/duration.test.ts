import fc from "fast-check";
import { ModelValidationError } from "../../../model/errors";
import { durationSeconds, formatWholeDuration, parseWholeDuration, tryParseWholeDuration } from "../../../model/duration";

describe("parseWholeDuration", () => {
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
    expect(parseWholeDuration(input, "ttl")).toBe(seconds);
  });

  it.each(["10x", "", "-5s", "1.5h", "h", "5m1h", "1h1h", "5 m", "P1D"])("rejects %p naming the field", (input) => {
    expect(() => parseWholeDuration(input, "engines.pki.ttl")).toThrow(ModelValidationError);
    expect(() => parseWholeDuration(input, "engines.pki.ttl")).toThrow(/^engines\.pki\.ttl: invalid duration/);
  });

  it.each(["5mx", "1h30mjunk", "30s x", "x5m", "5m;rm", "1h\n30m", "\u0665m", "\uff15m", "5M", "5\u00a0m", "m5"])(
    "rejects trailing or leading junk and look-alike characters: %p",
    (input) => {
      expect(tryParseWholeDuration(input)).toBeUndefined();
    },
  );

  it("trims surrounding whitespace only", () => {
    expect(tryParseWholeDuration("  5m\n")).toBe(300);
    expect(tryParseWholeDuration(" 42 ")).toBe(42);
    expect(tryParseWholeDuration("   ")).toBeUndefined();
  });

  it("accepts zero and leading zeros, and each unit on its own", () => {
    expect(tryParseWholeDuration("0")).toBe(0);
    expect(tryParseWholeDuration("0s")).toBe(0);
    expect(tryParseWholeDuration("007m")).toBe(420);
    expect(tryParseWholeDuration("1d")).toBe(86_400);
    expect(tryParseWholeDuration("1h")).toBe(3_600);
    expect(tryParseWholeDuration("1m")).toBe(60);
    expect(tryParseWholeDuration("1s")).toBe(1);
  });

  it("rejects values beyond the safe integer range instead of rounding them", () => {
    expect(tryParseWholeDuration(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(tryParseWholeDuration(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(tryParseWholeDuration(Number.MAX_SAFE_INTEGER + 1)).toBeUndefined();
    expect(tryParseWholeDuration("9007199254740992")).toBeUndefined();
    expect(tryParseWholeDuration("104249991374d")).toBe(9_007_199_254_713_600);
    expect(tryParseWholeDuration("104249991375d")).toBeUndefined();
    expect(tryParseWholeDuration("9".repeat(400) + "s")).toBeUndefined();
    expect(tryParseWholeDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(tryParseWholeDuration(Number.NaN)).toBeUndefined();
  });

  it("rejects a repeated unit and units out of order", () => {
    for (const input of ["1s1s", "1m1m", "1d1d", "1s1m", "1m1d", "1d1h1d"]) expect(tryParseWholeDuration(input)).toBeUndefined();
    expect(tryParseWholeDuration("1d1s")).toBe(86_401);
  });

  it("property: every well-formed d/h/m/s string parses to the sum of its parts", () => {
    const part = fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined });
    fc.assert(
      fc.property(part, part, part, part, (d, h, m, sec) => {
        fc.pre([d, h, m, sec].some((x) => x !== undefined));
        const text = `${d === undefined ? "" : `${d}d`}${h === undefined ? "" : `${h}h`}${m === undefined ? "" : `${m}m`}${sec === undefined ? "" : `${sec}s`}`;
        expect(tryParseWholeDuration(text)).toBe((d ?? 0) * 86_400 + (h ?? 0) * 3_600 + (m ?? 0) * 60 + (sec ?? 0));
      }),
    );
  });

  it("property: appending any character outside digits, units and whitespace makes a duration invalid", () => {
    const junk = fc.string({ minLength: 1, maxLength: 1, unit: "binary" }).filter((c) => !/[\ddhms\s]/.test(c));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom("", "d", "h", "m", "s"), junk, (n, unit, c) => {
        expect(tryParseWholeDuration(`${n}${unit}${c}`)).toBeUndefined();
        expect(tryParseWholeDuration(`${c}${n}${unit}`)).toBeUndefined();
      }),
    );
  });

  it("property: formatWholeDuration round-trips through parseWholeDuration", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(parseWholeDuration(formatWholeDuration(n), "ttl")).toBe(n);
      }),
    );
  });

  it("rejects non-integers, negatives and non-strings", () => {
    expect(tryParseWholeDuration(1.5)).toBeUndefined();
    expect(tryParseWholeDuration(-1)).toBeUndefined();
    expect(tryParseWholeDuration(true)).toBeUndefined();
    expect(tryParseWholeDuration(null)).toBeUndefined();
  });

  it("zod schema turns durations into seconds and reports garbage", () => {
    expect(durationSeconds.parse("24h")).toBe(86_400);
    const result = durationSeconds.safeParse("10x");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/invalid duration "10x"/);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]).toMatchObject({ code: "custom", path: [] });
  });

  it.each(["-5", "+5", "0x10", "1e3", "5.0", "1_000", "x5", "Infinity"])(
    "reads only plain digits as a number of seconds, not what Number() would accept: %p",
    (input) => {
      expect(tryParseWholeDuration(input)).toBeUndefined();
      expect(durationSeconds.safeParse(input).success).toBe(false);
    },
  );

  it("says what a missing or mistyped duration should have been, not zod's bare 'Invalid input'", () => {
    expect(durationSeconds.safeParse(undefined).error?.issues.map((i) => i.message)).toEqual([
      'required: a duration such as "720h" or a number of seconds',
    ]);
    expect(durationSeconds.safeParse(true).error?.issues.map((i) => i.message)).toEqual([
      'expected a duration such as "720h" or a number of seconds, got boolean',
    ]);
  });

  it("formats seconds back into h/m/s", () => {
    expect(formatWholeDuration(2_592_000)).toBe("720h");
    expect(formatWholeDuration(5_430)).toBe("1h30m30s");
    expect(formatWholeDuration(0)).toBe("0s");
  });
});
