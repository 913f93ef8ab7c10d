import { formatDurationSeconds, parseDurationSeconds } from "../../../policies/duration";

describe("parseDurationSeconds (Vault's ParseDurationSecond)", () => {
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
    expect(parseDurationSeconds(input)).toBe(seconds);
  });

  it.each(["soon", "1y", "d", "1.5d", "h"])("refuses %j", (input) => {
    expect(() => parseDurationSeconds(input)).toThrow(/invalid duration/);
  });

  it("formats the shortest exact string and reads it back", () => {
    for (const seconds of [1, 59, 60, 90, 3600, 5400, 86_400, 0.5]) {
      expect(parseDurationSeconds(formatDurationSeconds(seconds))).toBe(seconds);
    }
    expect(formatDurationSeconds(3600)).toBe("1h");
    expect(formatDurationSeconds(90)).toBe("90s");
  });
});
