/**
 * KV v2 scenarios of `npm run bench`, on one server (a single-node Raft OpenBao in the report),
 * for three contenders measured in the same run: vaultsmith, node-vault 0.12 (the peer), and the
 * server's ceiling — bare undici requests over a keep-alive pool that read the answer's bytes and
 * nothing more. In the latency steps the contenders take turns in blocks, so drift of the server
 * or of the shared machine's load hits all alike.
 *
 * - read and write latency (p50/p99) and throughput at several concurrencies;
 * - bulk write and bulk read of `secrets` distinct secrets with 32 in flight (secrets/s);
 * - cached reads under a Zipf workload (s = 0.99, as YCSB) over those secrets: latency of every
 *   read and the cache's hit rate in the steady phase after a warm-up of the same length.
 * - token renewal (`auth/token/renew-self`) latency through vaultsmith and bare.
 */
import NodeVault from "node-vault";
import { Agent, request } from "undici";
import { POLICIES, VaultClient } from "../runtime";
import type { BenchTarget } from "./pki-issuance";
import { LoadResult, Stats, load, pool, stats, timed, zipfSampler, seededRandom } from "./support/stats";

/** Sizes of the KV scenarios. */
export interface KvSizes {
  /** Operations per contender and concurrency level. */
  readonly ops: number;
  /** Concurrency levels. */
  readonly concurrencies: readonly number[];
  /** Distinct secrets of the bulk and Zipf scenarios. */
  readonly secrets: number;
  /** Reads of the Zipf warm-up, and again of its measured phase. */
  readonly zipfReads: number;
  /** Token renewals per contender. */
  readonly renewals: number;
}

/** The three contenders. */
export type Contender = "vaultsmith" | "node-vault" | "ceiling";

/** One measured KV step. */
export interface KvRow {
  /** Scenario, e.g. `read` or `write`. */
  readonly scenario: string;
  /** Requests in flight. */
  readonly concurrency: number;
  /** Who. */
  readonly contender: Contender;
  /** Latencies and throughput. */
  readonly result: LoadResult;
}

/** Everything the KV scenarios measured. */
export interface KvResults {
  /** Read/write latency and throughput per concurrency and contender. */
  readonly rows: readonly KvRow[];
  /** Bulk write and read, secrets/s, per contender. */
  readonly bulk: Readonly<Record<"write" | "read", Readonly<Record<Contender, number>>>>;
  /** Zipf workload through vaultsmith's cache (steady phase). */
  readonly zipf: {
    readonly secrets: number;
    readonly reads: number;
    readonly s: number;
    readonly latency: Stats;
    readonly hitRate: number;
  };
  /** Token renewal latency. */
  readonly renewal: Readonly<Record<"vaultsmith" | "ceiling", Stats>>;
}

const ZIPF_S = 0.99;
/** Blocks each contender's share of a step is cut into; the contenders take turns block by block. */
const BLOCKS = 8;

/**
 * `count` tasks per contender at `concurrency`, in {@link BLOCKS} blocks taken in turns (the
 * first contender changes every block), so a burst of load on the shared machine hits all alike.
 * Statistics over every sample; throughput over the contender's own wall time.
 */
async function interleaved(
  count: number,
  concurrency: number,
  order: readonly Contender[],
  tasks: Readonly<Record<Contender, (i: number) => Promise<unknown>>>,
): Promise<Record<Contender, LoadResult>> {
  const samples = Object.fromEntries(order.map((who) => [who, [] as number[]])) as Record<Contender, number[]>;
  const wall = Object.fromEntries(order.map((who) => [who, 0])) as Record<Contender, number>;
  const per = Math.max(1, Math.floor(count / BLOCKS));
  for (let block = 0; block < BLOCKS; block++) {
    for (let k = 0; k < order.length; k++) {
      const who = order[(block + k) % order.length];
      const offset = block * per;
      const start = performance.now();
      await pool(per, concurrency, async (i) => {
        const t = performance.now();
        await tasks[who](offset + i);
        samples[who].push(performance.now() - t);
      });
      wall[who] += performance.now() - start;
    }
  }
  return Object.fromEntries(
    order.map((who) => [who, { ...stats(samples[who]), perSecond: (samples[who].length / wall[who]) * 1000 }]),
  ) as Record<Contender, LoadResult>;
}
const BULK_CONCURRENCY = 32;

/** Run every KV scenario against `server`. */
export async function runKv(server: BenchTarget, sizes: KvSizes, log: (line: string) => void): Promise<KvResults> {
  const vs = new VaultClient({ address: server.address, token: server.token, cache: false });
  const nv = NodeVault({ endpoint: server.address, token: server.token });
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  const bare = async (method: "GET" | "POST", path: string, body?: unknown, token = server.token): Promise<void> => {
    const res = await request(`${server.address}/v1/${path}`, {
      method,
      dispatcher: agent,
      headers: { "x-vault-token": token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await res.body.text();
    if (res.statusCode >= 300) throw new Error(`bare ${method} ${path} answered HTTP ${res.statusCode}`);
  };
  const rows: KvRow[] = [];
  try {
    await vs.kv().write("bench/hot", { password: "x".repeat(32) });
    const readers: Record<Contender, () => Promise<unknown>> = {
      vaultsmith: () => vs.kv().read("bench/hot"),
      "node-vault": () => nv.read("secret/data/bench/hot"),
      ceiling: () => bare("GET", "secret/data/bench/hot"),
    };
    const order: Contender[] = ["ceiling", "vaultsmith", "node-vault"];
    // Warm every connection pool and JIT path once.
    for (const who of order) await load(Math.min(200, sizes.ops), 8, readers[who]);
    for (const concurrency of sizes.concurrencies) {
      const writers: Record<Contender, (i: number) => Promise<unknown>> = {
        vaultsmith: (i) => vs.kv().write(`bench/w/vaultsmith/${concurrency}/${i}`, { i }),
        "node-vault": (i) => nv.write(`secret/data/bench/w/node-vault/${concurrency}/${i}`, { data: { i } }),
        ceiling: (i) => bare("POST", `secret/data/bench/w/ceiling/${concurrency}/${i}`, { data: { i } }),
      };
      for (const [scenario, tasks] of [
        ["read", readers],
        ["write", writers],
      ] as const) {
        const results = await interleaved(sizes.ops, concurrency, order, tasks);
        for (const who of order) {
          const result = results[who];
          rows.push({ scenario, concurrency, contender: who, result });
          log(
            `${scenario.padEnd(5)} c=${String(concurrency).padStart(2)} ${who.padEnd(10)} p50 ${result.p50.toFixed(3)} ms p99 ${result.p99.toFixed(3)} ms ${result.perSecond.toFixed(0)}/s`,
          );
        }
      }
    }

    const bulkWrite = {} as Record<Contender, number>;
    const bulkRead = {} as Record<Contender, number>;
    const n = sizes.secrets;
    const path = (who: Contender, i: number): string => `bench/bulk/${who}/${i}`;
    for (const who of order) {
      const ms = await timed(async () => {
        if (who === "vaultsmith") {
          const results = await vs.kv().writeBatch(
            Array.from({ length: n }, (_, i) => ({ path: path(who, i), data: { i, value: `v-${i}` } })),
            { concurrency: BULK_CONCURRENCY },
          );
          if (results.some((r) => !r.ok)) throw new Error("vaultsmith bulk write had failures");
        } else if (who === "node-vault") {
          await load(n, BULK_CONCURRENCY, (i) => nv.write(`secret/data/${path(who, i)}`, { data: { i, value: `v-${i}` } }));
        } else await load(n, BULK_CONCURRENCY, (i) => bare("POST", `secret/data/${path(who, i)}`, { data: { i, value: `v-${i}` } }));
      });
      bulkWrite[who] = (n / ms) * 1000;
      log(`bulk write ${n} ${who.padEnd(10)} ${bulkWrite[who].toFixed(0)} secrets/s`);
    }
    for (const who of order) {
      const ms = await timed(async () => {
        if (who === "vaultsmith") {
          const results = await vs.kv().readBatch(
            Array.from({ length: n }, (_, i) => path(who, i)),
            { concurrency: BULK_CONCURRENCY },
          );
          if (results.some((r) => !r.ok || r.value === undefined)) throw new Error("vaultsmith bulk read had failures");
        } else if (who === "node-vault") await load(n, BULK_CONCURRENCY, (i) => nv.read(`secret/data/${path(who, i)}`));
        else await load(n, BULK_CONCURRENCY, (i) => bare("GET", `secret/data/${path(who, i)}`));
      });
      bulkRead[who] = (n / ms) * 1000;
      log(`bulk read  ${n} ${who.padEnd(10)} ${bulkRead[who].toFixed(0)} secrets/s`);
    }

    // Zipf over vaultsmith's bulk secrets, through a client with the default cache (10,000 entries, 5 min).
    const cached = new VaultClient({ address: server.address, token: server.token });
    try {
      const draw = zipfSampler(n, ZIPF_S, seededRandom(15));
      const kv = cached.kv();
      for (let i = 0; i < sizes.zipfReads; i++) await kv.read(path("vaultsmith", draw()));
      const before = cached.cache!.stats();
      const samples: number[] = [];
      for (let i = 0; i < sizes.zipfReads; i++) {
        const rank = draw();
        const start = performance.now();
        await kv.read(path("vaultsmith", rank));
        samples.push(performance.now() - start);
      }
      const after = cached.cache!.stats();
      const hits = after.hits - before.hits;
      const misses = after.misses - before.misses;
      const zipf = { secrets: n, reads: sizes.zipfReads, s: ZIPF_S, latency: stats(samples), hitRate: hits / Math.max(1, hits + misses) };
      log(
        `zipf ${n} secrets: p50 ${zipf.latency.p50.toFixed(4)} ms p99 ${zipf.latency.p99.toFixed(3)} ms hit rate ${(zipf.hitRate * 100).toFixed(1)} %`,
      );

      // Token renewal: a renewable token of its own, renewed through vaultsmith and bare.
      const created = await vs.request<{ auth: { client_token: string } }>(
        { method: "POST", path: "auth/token/create", body: { ttl: "1h", renewable: true, policies: ["default"] } },
        POLICIES.creatingWrite,
      );
      const token = created.body!.auth.client_token;
      const holder = new VaultClient({ address: server.address, token, cache: false });
      try {
        const renewVs = await load(sizes.renewals, 1, () =>
          holder.request({ method: "POST", path: "auth/token/renew-self", body: { increment: "1h" } }, POLICIES.idempotentWrite),
        );
        const renewBare = await load(sizes.renewals, 1, () => bare("POST", "auth/token/renew-self", { increment: "1h" }, token));
        log(`token renewal vaultsmith p99 ${renewVs.p99.toFixed(3)} ms, bare p99 ${renewBare.p99.toFixed(3)} ms`);
        return { rows, bulk: { write: bulkWrite, read: bulkRead }, zipf, renewal: { vaultsmith: renewVs, ceiling: renewBare } };
      } finally {
        await holder.close();
      }
    } finally {
      await cached.close();
    }
  } finally {
    await vs.close();
    await agent.close();
  }
}
