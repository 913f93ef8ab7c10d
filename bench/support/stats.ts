/**
 * Timing and statistics shared by the bench files: percentiles, a bounded pool of concurrent
 * tasks that records each task's latency, a Zipf sampler, alternating scenarios and a Markdown
 * row. All times in milliseconds.
 */
import { performance } from "node:perf_hooks";

/** Latency statistics of one scenario, in milliseconds. */
export interface Stats {
  /** Samples. */
  readonly count: number;
  /** Arithmetic mean. */
  readonly mean: number;
  /** Median (nearest rank). */
  readonly p50: number;
  /** 99th percentile (nearest rank). */
  readonly p99: number;
  /** Largest sample. */
  readonly max: number;
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("percentile of no samples");
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Statistics of `samples` (not sorted in place). */
export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

/** Median, averaging the two middle samples of an even count. */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of `run`. */
export async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** Run `task(0..count-1)` with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** Latencies and throughput of `count` tasks run with `concurrency` in flight. */
export interface LoadResult extends Stats {
  /** Tasks per second over the whole run. */
  readonly perSecond: number;
}

/** Run `task` `count` times with `concurrency` in flight, timing each. */
export async function load(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<LoadResult> {
  const samples = new Array<number>(count);
  const wall = await timed(() =>
    pool(count, concurrency, async (i) => {
      const start = performance.now();
      await task(i);
      samples[i] = performance.now() - start;
    }),
  );
  return { ...stats(samples), perSecond: (count / wall) * 1000 };
}

/**
 * Zipf-distributed ranks in [0, n): rank k is drawn with probability proportional to 1/(k+1)^s.
 * `random` is a uniform source in [0, 1) (seeded by the caller for repeatable runs).
 */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / Math.pow(k + 1, s);
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** A small seeded uniform generator (mulberry32), so workloads repeat across runs and contenders. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
