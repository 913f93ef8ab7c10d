/**
 * `npm run bench`: vaultsmith against node-vault 0.12 (the peer) and against the server's own
 * ceiling (bare undici requests with the same concurrency), on one real OpenBao dev server,
 * all in the same run. Prints latencies and ratios; asserts nothing (numbers vary by machine).
 *
 * Scenarios:
 * - uncached sequential reads (latency per read);
 * - cached reads of a hot secret (vaultsmith's cache; node-vault has none, so it goes to the server);
 * - bulk writes of distinct secrets with 32 in flight (secrets per second). OpenBao's in-memory
 *   dev storage slows down as keys accumulate (measured: 580 → 110 writes/s over 2,000 writes),
 *   so each contender writes to a fresh server of its own.
 */
import { performance } from "node:perf_hooks";
import NodeVault from "node-vault";
import { Agent, request } from "undici";
import { VaultClient } from "../runtime";
import { DevServer, startDevServer } from "../test/support/dev-server";
import { buildServers } from "../tools/server-build";

const READS = Number(process.env.BENCH_READS ?? 2_000);
const WRITES = Number(process.env.BENCH_WRITES ?? 2_000);
const CONCURRENCY = 32;

async function pool(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function timed(label: string, run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  const ms = performance.now() - start;
  console.log(`  ${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms`);
  return ms;
}

/** Time `run` against a dev server of its own, started before and stopped after the clock. */
async function onFreshServer(label: string, run: (server: DevServer) => Promise<void>): Promise<number> {
  const server = await startDevServer("openbao");
  try {
    return await timed(label, () => run(server));
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  buildServers(["openbao"]);
  const server = await startDevServer("openbao");
  const vs = new VaultClient({ address: server.address, token: server.token });
  const nv = NodeVault({ endpoint: server.address, token: server.token });
  const raw = new Agent({ keepAliveTimeout: 30_000 });
  const rawCall = async (method: "GET" | "POST", path: string, body?: unknown): Promise<void> => {
    const res = await request(`${server.address}/v1/${path}`, {
      method,
      dispatcher: raw,
      headers: { "x-vault-token": server.token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await res.body.text();
  };
  try {
    console.log(`bench on OpenBao ${server.version}, ${READS} reads, ${WRITES} writes, ${CONCURRENCY} in flight`);
    await vs.kv().write("bench/hot", { password: "x".repeat(32) });

    console.log("uncached sequential reads:");
    const ceilingRead = await timed("server ceiling (bare undici)", async () => {
      for (let i = 0; i < READS; i++) await rawCall("GET", "secret/data/bench/hot");
    });
    const vsRead = await timed("vaultsmith (cache bypassed)", async () => {
      for (let i = 0; i < READS; i++) await vs.kv().read("bench/hot", { cache: "bypass" });
    });
    const nvRead = await timed("node-vault", async () => {
      for (let i = 0; i < READS; i++) await nv.read("secret/data/bench/hot");
    });

    console.log("hot secret, cached where the client can:");
    const vsCached = await timed("vaultsmith (cache)", async () => {
      for (let i = 0; i < READS; i++) await vs.kv().read("bench/hot");
    });

    console.log(`bulk writes of distinct secrets (a fresh server each):`);
    const ceilingWrite = await onFreshServer("server ceiling (bare undici)", async (fresh) => {
      const agent = new Agent({ keepAliveTimeout: 30_000 });
      try {
        await pool(WRITES, CONCURRENCY, async (i) => {
          const res = await request(`${fresh.address}/v1/secret/data/bench/raw/${i}`, {
            method: "POST",
            dispatcher: agent,
            headers: { "x-vault-token": fresh.token },
            body: JSON.stringify({ data: { i } }),
          });
          await res.body.text();
        });
      } finally {
        await agent.close();
      }
    });
    const vsWrite = await onFreshServer("vaultsmith writeBatch", async (fresh) => {
      const client = new VaultClient({ address: fresh.address, token: fresh.token });
      try {
        const items = Array.from({ length: WRITES }, (_, i) => ({ path: `bench/vs/${i}`, data: { i } }));
        const results = await client.kv().writeBatch(items, { concurrency: CONCURRENCY });
        if (results.some((r) => !r.ok)) throw new Error("vaultsmith batch had failures");
      } finally {
        await client.close();
      }
    });
    const nvWrite = await onFreshServer("node-vault", async (fresh) => {
      const client = NodeVault({ endpoint: fresh.address, token: fresh.token });
      await pool(WRITES, CONCURRENCY, (i) => client.write(`secret/data/bench/nv/${i}`, { data: { i } }));
    });

    const perSec = (ms: number): string => ((WRITES / ms) * 1000).toFixed(0);
    console.log("\nresults");
    console.log(
      `  uncached read: vaultsmith ${(vsRead / READS).toFixed(3)} ms, node-vault ${(nvRead / READS).toFixed(3)} ms, ceiling ${(ceilingRead / READS).toFixed(3)} ms`,
    );
    console.log(
      `    vaultsmith/node-vault time ratio ${(vsRead / nvRead).toFixed(2)}, vaultsmith/ceiling ${(vsRead / ceilingRead).toFixed(2)}`,
    );
    console.log(
      `  cached read: vaultsmith ${((vsCached / READS) * 1000).toFixed(1)} µs = ${(nvRead / vsCached).toFixed(0)}x faster than node-vault (no cache)`,
    );
    console.log(`  bulk write: vaultsmith ${perSec(vsWrite)}/s, node-vault ${perSec(nvWrite)}/s, ceiling ${perSec(ceilingWrite)}/s`);
    console.log(
      `    vaultsmith/node-vault throughput ratio ${(nvWrite / vsWrite).toFixed(2)}, vaultsmith/ceiling ${(ceilingWrite / vsWrite).toFixed(2)}`,
    );
    console.log(`  cache: ${JSON.stringify(vs.cache?.stats())}`);
  } finally {
    await vs.close();
    await raw.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
