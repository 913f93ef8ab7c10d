/**
 * `npm run chaos`: every chaos scenario at full size against real OpenBao Raft clusters (one node,
 * and three for the leader kill) and a real PostgreSQL (lease revocation), printing a table and writing bench/results/chaos.json. Exits
 * non-zero when any scenario lost an acknowledged write or left a write of unknown outcome.
 * `CHAOS_SIZE=small` runs the size `npm test` runs.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ChaosReport,
  FULL,
  SMALL,
  certificateNearExpiry,
  leaderKill,
  leaseRevoked,
  partition,
  sealUnseal,
  serverRestart,
  tokenRevoked,
} from "../../test/support/chaos";
import { startDatabase } from "../../test/support/database-under-test";
import { startRaftCluster } from "../../test/support/raft-cluster";
import { buildServers } from "../../tools/server-build";

async function main(): Promise<void> {
  const size = process.env.CHAOS_SIZE === "small" ? SMALL : FULL;
  buildServers(["openbao"]);
  const reports: ChaosReport[] = [];
  const [single, postgres] = await Promise.all([startRaftCluster("openbao", { nodes: 1 }), startDatabase("postgres")]);
  try {
    for (const scenario of [partition, sealUnseal, serverRestart, tokenRevoked, certificateNearExpiry]) {
      reports.push(await scenario(single, size));
      console.log(JSON.stringify(reports.at(-1)));
    }
    reports.push(await leaseRevoked(single, size, postgres));
    console.log(JSON.stringify(reports.at(-1)));
  } finally {
    await single.stop();
    await postgres.stop();
  }
  const three = await startRaftCluster("openbao", { nodes: 3 });
  try {
    reports.push(await leaderKill(three, size));
    console.log(JSON.stringify(reports.at(-1)));
  } finally {
    await three.stop();
  }
  console.log("\n| scenario | attempted | acknowledged | failed | retried | settled | lost | unknown |");
  console.log("|---|--:|--:|--:|--:|--:|--:|--:|");
  for (const r of reports)
    console.log(
      `| ${r.scenario} | ${r.attempted} | ${r.acknowledged} | ${r.failed} | ${r.retried} | ${r.settled} | ${r.lost} | ${r.unknown} |`,
    );
  const dir = join(__dirname, "..", "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "chaos.json"), `${JSON.stringify({ date: new Date().toISOString(), size, reports }, null, 2)}\n`);
  if (reports.some((r) => r.lost > 0 || r.unknown > 0)) {
    console.error("chaos: acknowledged writes were lost or writes were left with an unknown outcome");
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`chaos failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
