/**
 * `npm run bench:ops`: the three operations figures, on real OpenBao servers. Asserts nothing
 * (numbers vary by machine); prints what it measured and against what.
 *
 * 1. DR drill recovery time: a 3-node Raft cluster with `BENCH_DR_SECRETS` KV secrets (default
 *    200) and 5 policies is snapshotted and destroyed; a new 3-node cluster is built, the snapshot
 *    restored, the nodes unsealed with the old keys and every secret and policy compared by
 *    checksum. Recovery = rebuild start → verification end; the phases are printed.
 * 2. Audit parse throughput: a dev server's file audit device logs `BENCH_AUDIT_REQUESTS` KV reads
 *    (default 5000); the log is then parsed and correlated in memory `BENCH_AUDIT_ROUNDS` times
 *    (default 5) and compared with a bare `JSON.parse` of the same lines (the ceiling: no typing,
 *    no pairing) — entries/s and the ratio.
 * 3. Alert latency: `BENCH_ALERTS` requests with the root token (default 200), one at a time;
 *    for each, the time from sending it to its `root-token-use` alert arriving at a local webhook,
 *    through a socket device (pushed by the server) and through a tailed file device (polled every
 *    20 ms). Median and 95th percentile.
 *
 * `BENCH_OPS=dr,audit,alerts` picks sections (default all).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { IncomingMessage, createServer } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { POLICIES, VaultClient } from "../runtime";
import { AuditAlert, WebhookAlertSink } from "../runtime/ops/audit/audit-alerts";
import { AuditCorrelator } from "../runtime/ops/audit/audit-correlator";
import { createAuditPipeline } from "../runtime/ops/audit/audit-pipeline";
import { AuditSocketReceiver, tailAuditFile } from "../runtime/ops/audit/audit-sources";
import { AuditStream } from "../runtime/ops/audit/audit-stream";
import { runDrDrill } from "../runtime/ops/dr/dr-drill";
import { startDevServer } from "../test/support/dev-server";
import { RaftCluster, startRaftCluster } from "../test/support/raft-cluster";
import { buildServers } from "../tools/server-build";

const SECTIONS = new Set((process.env.BENCH_OPS ?? "dr,audit,alerts").split(","));

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function drDrill(): Promise<void> {
  const secrets = Number(process.env.BENCH_DR_SECRETS ?? 200);
  const clusters: RaftCluster[] = [];
  const clients: VaultClient[] = [];
  try {
    const source = await startRaftCluster("openbao", { nodes: 3 });
    clusters.push(source);
    const client = new VaultClient({ addresses: source.nodes.map((n) => n.address), token: source.rootToken });
    clients.push(client);
    for (let i = 0; i < secrets; i++) await client.kv("secret").write(`bench/app-${i % 20}/s${i}`, { value: `v${i}`, n: i });
    for (let i = 0; i < 5; i++) {
      await client.request(
        {
          method: "PUT",
          path: `sys/policies/acl/bench-${i}`,
          body: { policy: `path "secret/data/bench/app-${i}/*" { capabilities = ["read"] }` },
        },
        POLICIES.idempotentWrite,
      );
    }
    let rebuilt: RaftCluster | undefined;
    const keys = source.keys;
    const report = await runDrDrill(
      client,
      {
        destroy: () => source.stop(),
        rebuild: async () => {
          rebuilt = await startRaftCluster("openbao", { nodes: 3, mountKv: false });
          clusters.push(rebuilt);
          const c = new VaultClient({ addresses: rebuilt.nodes.map((n) => n.address), token: rebuilt.rootToken });
          clients.push(c);
          return c;
        },
        afterRestore: async () => {
          const target = rebuilt as RaftCluster;
          target.adoptKeys(keys);
          for (let i = 0; i < 3; i++) await target.unseal(i);
          await target.waitForLeader();
          const c = new VaultClient({ addresses: target.nodes.map((n) => n.address), token: keys.rootToken });
          clients.push(c);
          return c;
        },
      },
      { kvMounts: ["secret"] },
    );
    console.log(
      `DR drill (3-node Raft, ${report.verified.secrets} secrets, ${report.verified.policies} policies, snapshot ${report.snapshot.bytes} bytes): ` +
        `${report.identical ? "identical" : "DIFFERENT"}; recovery ${report.recoveryMs} ms ` +
        `(rebuild ${report.phasesMs.rebuild}, restore ${report.phasesMs.restore}, unseal ${report.phasesMs.unseal}, verify ${report.phasesMs.verify}); ` +
        `snapshot ${report.phasesMs.snapshot} ms`,
    );
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(clusters.map((c) => c.stop()));
  }
}

async function auditThroughput(): Promise<void> {
  const requests = Number(process.env.BENCH_AUDIT_REQUESTS ?? 5000);
  const rounds = Number(process.env.BENCH_AUDIT_ROUNDS ?? 5);
  const dir = mkdtempSync(join(tmpdir(), "vaultsmith-bench-audit-"));
  const log = join(dir, "audit.log");
  const server = await startDevServer("openbao", { config: `audit "file" "f" {\n  options {\n    file_path = "${log}"\n  }\n}\n` });
  const client = new VaultClient({ address: server.address, token: server.token, cache: false });
  try {
    for (let i = 0; i < 20; i++) await client.kv("secret").write(`bench/k${i}`, { v: i });
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < requests) await client.kv("secret").read(`bench/k${next++ % 20}`);
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    const text = readFileSync(log);
    const lines = text
      .toString("utf8")
      .split("\n")
      .filter((l) => l !== "");
    const ours: number[] = [];
    const ceiling: number[] = [];
    let paired = 0;
    for (let round = 0; round < rounds; round++) {
      let start = performance.now();
      const stream = new AuditStream();
      const correlator = new AuditCorrelator();
      stream.on("event", (e) => correlator.add(e));
      stream.push("log", text);
      stream.end("log");
      ours.push(lines.length / ((performance.now() - start) / 1000));
      paired = correlator.completed;
      start = performance.now();
      let n = 0;
      for (const line of lines) n += (JSON.parse(line) as object) ? 1 : 0;
      ceiling.push(n / ((performance.now() - start) / 1000));
    }
    const best = Math.max(...ours);
    const bare = Math.max(...ceiling);
    console.log(
      `Audit parse (${lines.length} entries of ${requests}+ requests, ${paired} pairs): vaultsmith ${Math.round(best)} entries/s (parse + type + correlate + enrich), ` +
        `bare JSON.parse ${Math.round(bare)} lines/s; ratio ${(best / bare).toFixed(2)} (best of ${rounds})`,
    );
  } finally {
    await client.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function alertLatency(): Promise<void> {
  const count = Number(process.env.BENCH_ALERTS ?? 200);
  const dir = mkdtempSync(join(tmpdir(), "vaultsmith-bench-alerts-"));
  const socketSide = createAuditPipeline({ store: false });
  const fileSide = createAuditPipeline({ store: false });
  const receiver = new AuditSocketReceiver(socketSide.stream);
  const socketAddress = await receiver.listen();
  const arrivals = new Map<string, Map<string, number>>([
    ["socket", new Map()],
    ["file", new Map()],
  ]);
  const hook = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const alert = JSON.parse(body) as AuditAlert;
      arrivals.get(req.url === "/socket" ? "socket" : "file")?.set(alert.path, performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
  const base = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
  new WebhookAlertSink(`${base}/socket`).attach(socketSide.alerts as never);
  new WebhookAlertSink(`${base}/file`).attach(fileSide.alerts as never);
  const log = join(dir, "audit.log");
  const server = await startDevServer("openbao", {
    config: [
      `audit "file" "f" {\n  options {\n    file_path = "${log}"\n  }\n}`,
      `audit "socket" "s" {\n  options {\n    address = "${socketAddress}"\n    socket_type = "tcp"\n  }\n}`,
    ].join("\n"),
  });
  const tail = tailAuditFile(log, fileSide.stream, { pollMs: 20, fromStart: false });
  const client = new VaultClient({ address: server.address, token: server.token, cache: false });
  const sent = new Map<string, number>();
  try {
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < count; i++) {
      const path = `secret/data/latency/${i}`;
      sent.set(path, performance.now());
      await client.request({ method: "GET", path, acceptStatus: [404] }, POLICIES.read);
      const end = Date.now() + 5_000;
      while (!(arrivals.get("socket")?.has(path) && arrivals.get("file")?.has(path)) && Date.now() < end)
        await new Promise((r) => setTimeout(r, 1));
    }
    for (const [via, got] of arrivals) {
      const latencies = [...sent].filter(([p]) => got.has(p)).map(([p, t]) => (got.get(p) as number) - t);
      console.log(
        `Alert latency via ${via} device (request sent → root-token-use alert received by webhook, ${latencies.length}/${count} alerts): ` +
          `median ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms`,
      );
    }
  } finally {
    await tail.stop();
    await receiver.close();
    await client.close();
    await server.stop();
    await new Promise((r) => hook.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  buildServers(["openbao"]);
  if (SECTIONS.has("audit")) await auditThroughput();
  if (SECTIONS.has("alerts")) await alertLatency();
  if (SECTIONS.has("dr")) await drDrill();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
