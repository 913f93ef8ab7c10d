/**
 * `npm run bench:failover`: time from killing the leader of a real 3-node OpenBao cluster to the
 * first acknowledged write through vaultsmith (the seed's target: < 5 s to standby), next to the
 * cluster's own election time (first node reporting itself active, polled every 50 ms) in the same
 * run. Repeated a few times; prints each round and the median.
 */
import { performance } from "node:perf_hooks";
import { VaultClient } from "../runtime";
import { startRaftCluster } from "../test/support/raft-cluster";
import { buildServers } from "../tools/server-build";
import { median } from "./support/stats";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Per round: the cluster's election time and vaultsmith's first acknowledged write, ms after the kill. */
export interface FailoverResult {
  /** First node reporting itself active. */
  readonly election: readonly number[];
  /** First write vaultsmith got acknowledged. */
  readonly client: readonly number[];
}

/** Kill the leader of a fresh 3-node cluster `rounds` times. */
export async function runFailover(rounds = ROUNDS): Promise<FailoverResult> {
  const ROUNDS = rounds;
  const cluster = await startRaftCluster("openbao", { nodes: 3 });
  const client = new VaultClient({
    addresses: cluster.nodes.map((n) => n.address),
    token: cluster.rootToken,
    probeIntervalMs: 250,
    timeoutMs: 2_000,
    retry: { deadlineMs: 30_000, backoff: { minMs: 50, maxMs: 500 } },
  });
  const clientTimes: number[] = [];
  const electionTimes: number[] = [];
  try {
    await client.kv().write("failover/warmup", { ok: true });
    for (let round = 1; round <= ROUNDS; round++) {
      const leader = await cluster.waitForLeader();
      const index = cluster.indexOf(leader.id);
      const killedAt = performance.now();
      await cluster.stopNode(index, "SIGKILL");
      const [clientMs, electionMs] = await Promise.all([
        client
          .kv()
          .write(`failover/round-${round}`, { round })
          .then(() => performance.now() - killedAt),
        cluster.waitForLeader({ exclude: [leader.id] }).then(() => performance.now() - killedAt),
      ]);
      clientTimes.push(clientMs);
      electionTimes.push(electionMs);
      console.log(
        `round ${round}: leader ${leader.id} killed; new leader elected after ${electionMs.toFixed(0)} ms, vaultsmith write acknowledged after ${clientMs.toFixed(0)} ms`,
      );
      cluster.startNode(index);
      await cluster.unseal(index);
      await new Promise((r) => setTimeout(r, 2_000));
    }
    return { election: electionTimes, client: clientTimes };
  } finally {
    await client.close();
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  buildServers(["openbao"]);
  const { election: electionTimes, client: clientTimes } = await runFailover();
  {
    console.log(
      `median: election ${median(electionTimes).toFixed(0)} ms, first acknowledged write ${median(clientTimes).toFixed(0)} ms (target < 5000 ms)`,
    );
    console.log(`vaultsmith overhead over the election: ${(median(clientTimes) - median(electionTimes)).toFixed(0)} ms`);
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
