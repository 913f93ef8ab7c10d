/**
 * Latency statistics shared by the benches: nearest-rank percentiles, a summary per scenario, a
 * timer around one operation, and a Markdown table row. Numbers are milliseconds.
 */
import { performance } from "node:perf_hooks";

/** Latency statistics of one scenario, in milliseconds. */
export interface Stats {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("percentile of no samples");
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Summary of `samples` (any order). */
export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

/** Milliseconds `run` took. */
export async function time(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/**
 * Run each scenario once per iteration, alternating their order every other iteration so that
 * server-side drift (storage growth, GC) hits all alike; the first `warmup` iterations are not kept.
 */
export async function alternate(scenarios: readonly (() => Promise<number>)[], count: number, warmup: number): Promise<number[][]> {
  const samples = scenarios.map(() => [] as number[]);
  for (let i = -warmup; i < count; i++) {
    const order = scenarios.map((_, index) => index);
    if (i % 2 !== 0) order.reverse();
    for (const index of order) {
      const ms = await scenarios[index]();
      if (i >= 0) samples[index].push(ms);
    }
  }
  return samples;
}

/** `| name | n | mean | p50 | p99 | max |` with one decimal. */
export function row(name: string, s: Stats, extra: readonly string[] = []): string {
  const f = (ms: number): string => ms.toFixed(1);
  return `| ${[name, String(s.count), f(s.mean), f(s.p50), f(s.p99), f(s.max), ...extra].join(" | ")} |`;
}
