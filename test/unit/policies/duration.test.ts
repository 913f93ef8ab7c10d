import { formatVaultDuration, parseVaultDuration } from "../../../policies/duration";

describe("parseVaultDuration (Vault's ParseDurationSecond)", () => {
  it.each([
    [60, 60],
    ["60", 60],
    ["90s", 90],
    ["1m30s", 90],
    ["1.5h", 5400],
    ["2d", 172_800],
    ["500ms", 0.5],
    ["", 0],
  ])("%j is %d seconds", (input, seconds) => {
    expect(parseVaultDuration(input)).toBe(seconds);
  });

  it.each(["soon", "1y", "d", "1.5d", "h"])("refuses %j", (input) => {
    expect(() => parseVaultDuration(input)).toThrow(/invalid duration/);
  });

  it("formats the shortest exact string and reads it back", () => {
    for (const seconds of [1, 59, 60, 90, 3600, 5400, 86_400, 0.5]) {
      expect(parseVaultDuration(formatVaultDuration(seconds))).toBe(seconds);
    }
    expect(formatVaultDuration(3600)).toBe("1h");
    expect(formatVaultDuration(90)).toBe("90s");
  });
});

describe("parseVaultDuration edges", () => {
  it("takes finite numbers as they are, fractions included, and refuses NaN and infinities", () => {
    expect(parseVaultDuration(1.5)).toBe(1.5);
    expect(parseVaultDuration(-3)).toBe(-3);
    expect(() => parseVaultDuration(Number.NaN)).toThrow("duration NaN is not a finite number of seconds");
    expect(() => parseVaultDuration(Number.POSITIVE_INFINITY)).toThrow("duration Infinity is not a finite number of seconds");
  });

  it.each([
    ["+5", 5],
    ["-5", -5],
    ["0", 0],
    ["12d", 1_036_800],
    ["+2d", 172_800],
    ["-1d", -86_400],
    ["-1h30m", -5_400],
    ["+1.5h", 5_400],
    [".5s", 0.5],
    [".55s", 0.55],
    ["10s", 10],
    ["12.5s", 12.5],
  ])("%j is %d seconds", (input, seconds) => {
    expect(parseVaultDuration(input)).toBeCloseTo(seconds, 9);
  });

  it.each([
    ["x5", 'invalid duration "x5": expected a number followed by one of ns, us, ms, s, m, h'],
    ["xx1s", 'invalid duration "xx1s": expected a number followed by one of ns, us, ms, s, m, h'],
    ["-", 'invalid duration "-"'],
    ["+", 'invalid duration "+"'],
    ["1.5d", 'invalid duration "1.5d": days must be a whole number'],
  ])("refuses %j: %s", (input, message) => {
    expect(() => parseVaultDuration(input)).toThrow(new Error(message));
  });
});

describe("formatVaultDuration edges", () => {
  it.each([
    [0, "0s"],
    [120, "2m"],
    [7_200, "2h"],
    [61, "61s"],
    [0.5, "0.5s"],
  ])("%d seconds is %j", (seconds, text) => {
    expect(formatVaultDuration(seconds)).toBe(text);
  });
});
