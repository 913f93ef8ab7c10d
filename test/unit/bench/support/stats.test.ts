/** The benches' shared statistics: nearest-rank percentiles, summaries, alternating scenario order. */
import { alternate, percentile, row, stats } from "../../../../bench/support/stats";

describe("bench latency helpers", () => {
  it("takes nearest-rank percentiles of sorted samples", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3], 0)).toBe(1);
    expect(() => percentile([], 50)).toThrow(RangeError);
  });

  it("summarises unsorted samples", () => {
    expect(stats([5, 1, 3, 2, 4])).toEqual({ count: 5, mean: 3, p50: 3, p99: 5, max: 5 });
  });

  it("alternates the scenarios' order and drops the warm-up", async () => {
    const calls: string[] = [];
    const [a, b] = await alternate(
      [
        async () => {
          calls.push("a");
          return calls.length;
        },
        async () => {
          calls.push("b");
          return -calls.length;
        },
      ],
      3,
      1,
    );
    // Iterations -1 (warm-up), 0, 1, 2: reversed on odd ones.
    expect(calls.join("")).toBe("baabbaab");
    expect(a).toEqual([3, 6, 7]);
    expect(b).toEqual([-4, -5, -8]);
  });

  it("formats a table row", () => {
    expect(row("x", { count: 2, mean: 1.25, p50: 1, p99: 2, max: 2 }, ["ok"])).toBe("| x | 2 | 1.3 | 1.0 | 2.0 | 2.0 | ok |");
  });
});
