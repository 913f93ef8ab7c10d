/**
 * `npm run bench:profile-read`: the uncached KV v2 read path under a CPU profiler. Reads one
 * secret `BENCH_PROFILE_READS` times (default 20000) one at a time through vaultsmith with the
 * cache off, on a single-node Raft OpenBao; run under `node --cpu-prof` (the npm script does) and
 * summarise the profile with `tsx tools/cpuprofile-summary.ts <file>`.
 */
import { Agent, request } from "undici";
import { VaultClient } from "../runtime";
import { startRaftCluster } from "../test/support/raft-cluster";
import { buildServers } from "../tools/server-build";
import { median } from "./support/stats";

const READS = Number(process.env.BENCH_PROFILE_READS ?? 20_000);

async function main(): Promise<void> {
  buildServers(["openbao"]);
  const cluster = await startRaftCluster("openbao", { nodes: 1 });
  const client = new VaultClient({ address: cluster.nodes[0].address, token: cluster.rootToken, cache: false });
  try {
    await client.kv().write("profile/hot", { password: "x".repeat(32) });
    // Blocks of vaultsmith and bare undici reads alternate, so the ratio survives a noisy machine.
    const agent = new Agent({ keepAliveTimeout: 30_000 });
    const url = `${cluster.nodes[0].address}/v1/secret/data/profile/hot`;
    const blocks = 10;
    const per = Math.max(1, Math.floor(READS / blocks));
    const vs: number[] = [];
    const bare: number[] = [];
    for (let b = 0; b < blocks; b++) {
      let start = performance.now();
      for (let i = 0; i < per; i++) await client.kv().read("profile/hot");
      vs.push((performance.now() - start) / per);
      start = performance.now();
      for (let i = 0; i < per; i++) {
        const res = await request(url, { dispatcher: agent, headers: { "x-vault-token": cluster.rootToken } });
        await res.body.text();
      }
      bare.push((performance.now() - start) / per);
    }
    await agent.close();
    const vsMs = median(vs);
    const bareMs = median(bare);
    console.log(
      `${blocks * per} uncached reads each: vaultsmith ${vsMs.toFixed(3)} ms, bare undici ${bareMs.toFixed(3)} ms (median of ${blocks} blocks) — vaultsmith at ${((bareMs / vsMs) * 100).toFixed(0)} % of the ceiling`,
    );
  } finally {
    await client.close();
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`profile failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
