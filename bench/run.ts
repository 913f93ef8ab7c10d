/**
 * `npm run bench`: every seed target on production-like storage — a single-node OpenBao on Raft
 * integrated storage (a 3-node cluster for failover) — with the peers measured in the same run,
 * written to bench/results/bench.json and bench/results/bench.md (machine, versions, date, load).
 *
 * Sizes: `BENCH_SIZE=small` validates the bench in a minute; the default is the full run.
 * Single values can be overridden: BENCH_KV_OPS, BENCH_SECRETS, BENCH_ZIPF_READS, BENCH_PKI_COUNT,
 * BENCH_TRANSIT_ITEMS, BENCH_TRANSIT_ROUNDS, BENCH_ROUNDS (failover). BENCH_SKIP=failover,pki,…
 * leaves scenarios out (they are then reported as not measured).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { Agent, request } from "undici";
import { VaultClient } from "../runtime";
import { startDatabase } from "../test/support/database-under-test";
import { call } from "../test/support/harness-http";
import { admin } from "../test/support/vault-admin";
import { startRaftCluster } from "../test/support/raft-cluster";
import { buildServers } from "../tools/server-build";
import { runFailover } from "./failover";
import { KvResults, KvSizes, runKv } from "./kv-throughput";
import { BenchTarget, PkiRow, runPkiIssuance } from "./pki-issuance";
import { Stats, median, stats, timed } from "./support/stats";
import { TransitRow, runTransitBatch } from "./transit-batch";

const small = process.env.BENCH_SIZE === "small";
const num = (name: string, full: number, quick: number): number => Number(process.env[name] ?? (small ? quick : full));
const SIZES: KvSizes = {
  ops: num("BENCH_KV_OPS", 2_000, 200),
  concurrencies: small ? [1, 8] : [1, 8, 32],
  secrets: num("BENCH_SECRETS", 10_000, 500),
  zipfReads: num("BENCH_ZIPF_READS", 50_000, 2_000),
  renewals: num("BENCH_RENEWALS", 200, 20),
};
const PKI_COUNT = num("BENCH_PKI_COUNT", 50, 5);
const TRANSIT_ITEMS = num("BENCH_TRANSIT_ITEMS", 10_000, 1_000);
const TRANSIT_ROUNDS = num("BENCH_TRANSIT_ROUNDS", 11, 3);
const FAILOVER_ROUNDS = num("BENCH_ROUNDS", 3, 1);
const LEASE_RENEWALS = num("BENCH_LEASE_RENEWALS", 200, 20);
const SKIP = new Set((process.env.BENCH_SKIP ?? "").split(",").filter(Boolean));

/**
 * Lease renewal: dynamic PostgreSQL credentials on `target`'s `database/` mount, the lease renewed
 * `count` times one at a time through vaultsmith (`database().renew`) and as a bare
 * `PUT sys/leases/renew`, alternating in blocks.
 */
async function leaseRenewal(target: BenchTarget, count: number): Promise<Record<"vaultsmith" | "ceiling", Stats>> {
  const db = await startDatabase("postgres");
  const client = new VaultClient({ address: target.address, token: target.token, cache: false });
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  try {
    const vault = { address: target.address, token: target.token };
    await admin(vault, "POST", "sys/mounts/database", { type: "database" });
    await admin(vault, "POST", "database/config/db", await db.connectionConfig("vault_bench", ["bench"]));
    await admin(vault, "POST", "database/roles/bench", {
      db_name: "db",
      creation_statements: db.creationStatements,
      default_ttl: "1h",
      max_ttl: "24h",
    });
    const creds = await client.database().credentials("bench");
    const vs: number[] = [];
    const bare: number[] = [];
    const blocks = 4;
    const per = Math.max(1, Math.floor(count / blocks));
    const bareRenew = async (): Promise<void> => {
      const res = await request(`${target.address}/v1/sys/leases/renew`, {
        method: "PUT",
        dispatcher: agent,
        headers: { "x-vault-token": target.token },
        body: JSON.stringify({ lease_id: creds.leaseId, increment: 3600 }),
      });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`bare lease renewal answered HTTP ${res.statusCode}`);
    };
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < per; i++) vs.push(await timed(() => client.database().renew(creds.leaseId, 3600)));
      for (let i = 0; i < per; i++) bare.push(await timed(bareRenew));
    }
    await client.database().revoke(creds.leaseId);
    return { vaultsmith: stats(vs), ceiling: stats(bare) };
  } finally {
    await client.close();
    await agent.close();
    await db.stop();
  }
}

/** One seed target and what was measured for it. */
interface TargetRow {
  readonly target: string;
  readonly seed: string;
  readonly measured: number | undefined;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  readonly bound: number;
  readonly how: string;
}

function version(packageJson: string): string {
  return (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
}

function margin(row: TargetRow): string {
  if (row.measured === undefined) return "not measured";
  const m = row.higherIsBetter ? row.measured - row.bound : row.bound - row.measured;
  const ratio = row.higherIsBetter ? row.measured / row.bound : row.bound / row.measured;
  return `${m >= 0 ? "+" : ""}${fmt(m)} ${row.unit} (${ratio.toFixed(2)}x) ${m >= 0 ? "met" : "MISSED"}`;
}

function fmt(value: number): string {
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 1 ? value.toFixed(2) : value.toFixed(4);
}

function pct(a: number, b: number): string {
  return `${((a / b) * 100).toFixed(0)} %`;
}

async function main(): Promise<void> {
  buildServers(["openbao"]);
  const date = new Date().toISOString();
  const loadBefore = loadavg();
  const log = (line: string): void => console.log(`  ${line}`);
  const single = await startRaftCluster("openbao", { nodes: 1 });
  let kv: KvResults;
  let pki: PkiRow[] = [];
  let transit: TransitRow[] = [];
  let lease: Record<"vaultsmith" | "ceiling", Stats> | undefined;
  let serverVersion = "?";
  try {
    const status = await call<{ version: string }>(single.nodes[0].address, "GET", "sys/seal-status");
    serverVersion = status.body.version;
    const target: BenchTarget = { address: single.nodes[0].address, token: single.rootToken, version: serverVersion };
    console.log(`bench on a single-node OpenBao ${serverVersion} on Raft (${small ? "small" : "full"} size)`);
    kv = await runKv(target, SIZES, log);
    if (!SKIP.has("pki")) pki = await runPkiIssuance(target, PKI_COUNT, Math.min(5, PKI_COUNT));
    if (!SKIP.has("transit")) transit = await runTransitBatch(target, TRANSIT_ITEMS, TRANSIT_ROUNDS);
    if (!SKIP.has("lease")) lease = await leaseRenewal(target, LEASE_RENEWALS);
  } finally {
    await single.stop();
  }
  const failover = SKIP.has("failover") ? undefined : await runFailover(FAILOVER_ROUNDS);
  const loadAfter = loadavg();

  const pkiP99 = (key: string): number | undefined => pki.find((r) => r.key === key && r.scenario === "issue, vaultsmith")?.stats.p99;
  const certP99 = [pkiP99("EC P-256"), pkiP99("RSA-2048")].filter((v): v is number => v !== undefined);
  const targets: TargetRow[] = [
    {
      target: "cached retrieval",
      seed: "< 50 ms",
      measured: kv.zipf.latency.p99,
      unit: "ms",
      higherIsBetter: false,
      bound: 50,
      how: `p99 of every read (misses included) in the Zipf steady phase`,
    },
    {
      target: "certificate generation",
      seed: "< 2 s",
      measured: certP99.length > 0 ? Math.max(...certP99) : undefined,
      unit: "ms",
      higherIsBetter: false,
      bound: 2_000,
      how: "p99 of pki issue through vaultsmith, worse of EC P-256 and RSA-2048",
    },
    {
      target: "bulk operations",
      seed: "> 1,000 secrets/s",
      measured: kv.bulk.write.vaultsmith,
      unit: "secrets/s",
      higherIsBetter: true,
      bound: 1_000,
      how: `writeBatch of ${SIZES.secrets} distinct secrets, 32 in flight (server ceiling ${kv.bulk.write.ceiling.toFixed(0)}/s)`,
    },
    {
      target: "bulk read",
      seed: "> 1,000 secrets/s",
      measured: kv.bulk.read.vaultsmith,
      unit: "secrets/s",
      higherIsBetter: true,
      bound: 1_000,
      how: `readBatch of ${SIZES.secrets} secrets, 32 in flight, cache bypassed`,
    },
    {
      target: "token renewal",
      seed: "< 100 ms",
      measured: kv.renewal.vaultsmith.p99,
      unit: "ms",
      higherIsBetter: false,
      bound: 100,
      how: "p99 of auth/token/renew-self through vaultsmith",
    },
    {
      target: "lease renewal",
      seed: "< 100 ms (as token renewal)",
      measured: lease?.vaultsmith.p99,
      unit: "ms",
      higherIsBetter: false,
      bound: 100,
      how: lease
        ? `p99 of a PostgreSQL credential lease renewed through vaultsmith (bare sys/leases/renew p99 ${lease.ceiling.p99.toFixed(1)} ms)`
        : "skipped",
    },
    {
      target: "failover",
      seed: "< 5 s",
      measured: failover ? median([...failover.client]) : undefined,
      unit: "ms",
      higherIsBetter: false,
      bound: 5_000,
      how: failover
        ? `median over ${failover.client.length} leader kills of kill → first acknowledged write (server's own election: median ${median([...failover.election]).toFixed(0)} ms)`
        : "skipped",
    },
    {
      target: "cache hit rate",
      seed: "> 90 %",
      measured: kv.zipf.hitRate * 100,
      unit: "%",
      higherIsBetter: true,
      bound: 90,
      how: `Zipf s=${kv.zipf.s} over ${kv.zipf.secrets} secrets, ${kv.zipf.reads} reads after as many warm-up reads`,
    },
  ];

  const machine = {
    cpu: cpus()[0]?.model ?? "?",
    cores: cpus().length,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    loadBefore,
    loadAfter,
  };
  const versions = {
    node: process.version,
    openbao: serverVersion,
    vaultsmith: version(join(__dirname, "..", "package.json")),
    "node-vault": version(require.resolve("node-vault/package.json")),
    undici: version(require.resolve("undici/package.json")),
  };
  const md: string[] = [];
  md.push(`# vaultsmith bench, ${date}`, "");
  md.push(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; load average (1/5/15 min) ${loadBefore.map((l) => l.toFixed(2)).join(" / ")} at the start, ${loadAfter.map((l) => l.toFixed(2)).join(" / ")} at the end.`,
  );
  md.push(
    `Versions: Node ${versions.node}, OpenBao ${versions.openbao} (single node on Raft; 3 nodes for failover), vaultsmith ${versions.vaultsmith}, node-vault ${versions["node-vault"]}, undici ${versions.undici}. Size: ${small ? "small (validation only)" : "full"}.`,
    "",
  );
  md.push("## Seed targets", "", "| target | seed | measured | margin | how |", "|---|---|--:|---|---|");
  for (const t of targets)
    md.push(`| ${t.target} | ${t.seed} | ${t.measured === undefined ? "—" : `${fmt(t.measured)} ${t.unit}`} | ${margin(t)} | ${t.how} |`);
  md.push("", "## KV v2 latency and throughput against peers (same run)", "");
  md.push(
    "| op | in flight | vaultsmith p50 / p99 ms | node-vault p50 / p99 ms | ceiling p50 / p99 ms | vaultsmith ops/s | vaultsmith / ceiling (throughput) | vaultsmith / node-vault (throughput) |",
    "|---|--:|--:|--:|--:|--:|--:|--:|",
  );
  for (const scenario of ["read", "write"])
    for (const c of SIZES.concurrencies) {
      const get = (who: string) => kv.rows.find((r) => r.scenario === scenario && r.concurrency === c && r.contender === who)!.result;
      const [v, n, ceil] = [get("vaultsmith"), get("node-vault"), get("ceiling")];
      md.push(
        `| ${scenario} | ${c} | ${v.p50.toFixed(3)} / ${v.p99.toFixed(3)} | ${n.p50.toFixed(3)} / ${n.p99.toFixed(3)} | ${ceil.p50.toFixed(3)} / ${ceil.p99.toFixed(3)} | ${v.perSecond.toFixed(0)} | ${pct(v.perSecond, ceil.perSecond)} | ${(v.perSecond / n.perSecond).toFixed(2)}x |`,
      );
    }
  md.push("", `## Bulk, ${SIZES.secrets} distinct secrets, 32 in flight (secrets/s)`, "");
  md.push("| op | vaultsmith | node-vault | ceiling | vaultsmith / ceiling | vaultsmith / node-vault |", "|---|--:|--:|--:|--:|--:|");
  for (const op of ["write", "read"] as const) {
    const b = kv.bulk[op];
    md.push(
      `| ${op} | ${b.vaultsmith.toFixed(0)} | ${b["node-vault"].toFixed(0)} | ${b.ceiling.toFixed(0)} | ${pct(b.vaultsmith, b.ceiling)} | ${(b.vaultsmith / b["node-vault"]).toFixed(2)}x |`,
    );
  }
  const ceilingRead1 = kv.rows.find((r) => r.scenario === "read" && r.concurrency === 1 && r.contender === "ceiling")!.result;
  md.push("", "## Cached reads under Zipf", "");
  md.push(
    `${kv.zipf.reads} reads (after ${kv.zipf.reads} warm-up reads), Zipf s=${kv.zipf.s} over ${kv.zipf.secrets} secrets, default cache (10,000 entries, 5 min): hit rate ${(kv.zipf.hitRate * 100).toFixed(1)} %, p50 ${kv.zipf.latency.p50.toFixed(4)} ms, p99 ${kv.zipf.latency.p99.toFixed(3)} ms; an uncached bare read (ceiling, 1 in flight) takes p50 ${ceilingRead1.p50.toFixed(3)} ms — ${(ceilingRead1.p50 / kv.zipf.latency.p50).toFixed(0)}x the cached p50. node-vault has no cache: its reads are the uncached row above.`,
  );
  md.push("", "## Token renewal (auth/token/renew-self, one at a time)", "");
  md.push(
    `vaultsmith p50 ${kv.renewal.vaultsmith.p50.toFixed(3)} ms / p99 ${kv.renewal.vaultsmith.p99.toFixed(3)} ms; bare undici p50 ${kv.renewal.ceiling.p50.toFixed(3)} ms / p99 ${kv.renewal.ceiling.p99.toFixed(3)} ms.`,
  );
  if (lease) {
    md.push("", `## Lease renewal (dynamic PostgreSQL credentials, ${lease.vaultsmith.count} renewals each, one at a time)`, "");
    md.push(
      `vaultsmith p50 ${lease.vaultsmith.p50.toFixed(3)} ms / p99 ${lease.vaultsmith.p99.toFixed(3)} ms; bare undici p50 ${lease.ceiling.p50.toFixed(3)} ms / p99 ${lease.ceiling.p99.toFixed(3)} ms.`,
    );
  }
  if (pki.length > 0) {
    md.push("", `## Certificate issuance (${PKI_COUNT} per scenario, one at a time)`, "");
    md.push("| scenario | key | p50 ms | p99 ms | max ms |", "|---|---|--:|--:|--:|");
    for (const r of pki)
      md.push(`| ${r.scenario} | ${r.key} | ${r.stats.p50.toFixed(1)} | ${r.stats.p99.toFixed(1)} | ${r.stats.max.toFixed(1)} |`);
  }
  if (transit.length > 0) {
    md.push("", `## Transit batch (${TRANSIT_ITEMS} items of 64 bytes, median of ${TRANSIT_ROUNDS} rounds)`, "");
    md.push("| scenario | vaultsmith items/s | bare items/s | vaultsmith / bare |", "|---|--:|--:|--:|");
    for (const r of transit) md.push(`| ${r.label} | ${r.vaultsmith.toFixed(0)} | ${r.bare.toFixed(0)} | ${pct(r.vaultsmith, r.bare)} |`);
  }
  if (failover) {
    md.push("", "## Failover (3-node Raft, leader SIGKILLed)", "");
    md.push(
      `Per round, ms after the kill: election ${failover.election.map((m) => m.toFixed(0)).join(", ")}; vaultsmith's first acknowledged write ${failover.client.map((m) => m.toFixed(0)).join(", ")}.`,
    );
  }
  md.push("");
  const dir = join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "bench.json"),
    `${JSON.stringify({ date, size: small ? "small" : "full", machine, versions, sizes: SIZES, targets, kv, lease, pki, transit, failover }, null, 2)}\n`,
  );
  writeFileSync(join(dir, "bench.md"), md.join("\n"));
  console.log(`\n${md.join("\n")}`);
  console.log(`written: ${join(dir, "bench.json")}, ${join(dir, "bench.md")}`);
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
