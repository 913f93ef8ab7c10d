import { VaultClient, VaultError } from "../../../runtime";
import { RaftCluster, startRaftCluster } from "../../support/raft-cluster";
import { selectedFlavors } from "../../support/server-binaries";
import { TcpProxy } from "../../support/tcp-proxy";

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(selectedFlavors())("VaultClient on a real 3-node %s cluster", (flavor) => {
  let cluster: RaftCluster;

  beforeAll(async () => {
    cluster = await startRaftCluster(flavor, { nodes: 3 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it("survives the leader being killed mid-stream: critical reads never fail, acknowledged writes persist, the new leader is found", async () => {
    const client = new VaultClient({
      addresses: cluster.nodes.map((n) => n.address),
      token: cluster.rootToken,
      probeIntervalMs: 300,
      timeoutMs: 3_000,
      cache: { ttlMs: 200 },
      retry: { deadlineMs: 20_000, backoff: { minMs: 50, maxMs: 500 } },
    });
    try {
      await client.kv().write("critical/db", { password: "s3cr3t-critical" });
      expect((await client.kv().read("critical/db", { cache: "critical" }))?.data).toEqual({ password: "s3cr3t-critical" });
      const leader = await cluster.waitForLeader();

      const acknowledged: string[] = [];
      const writeFailures: unknown[] = [];
      const readFailures: unknown[] = [];
      let killed = false;
      for (let i = 0; i < 60; i++) {
        if (i === 15) {
          await cluster.stopNode(cluster.indexOf(leader.id), "SIGKILL");
          killed = true;
        }
        const path = `stream/${i}`;
        const [write, read] = await Promise.allSettled([
          client.kv().write(path, { i }, { cas: 0 }),
          client.kv().read("critical/db", { cache: "critical" }),
        ]);
        if (write.status === "fulfilled") acknowledged.push(path);
        else writeFailures.push(write.reason);
        if (read.status === "rejected" || read.value?.data.password !== "s3cr3t-critical")
          readFailures.push(read.status === "rejected" ? read.reason : read.value);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(killed).toBe(true);
      expect(readFailures).toEqual([]);
      for (const failure of writeFailures) expect(failure).toBeInstanceOf(VaultError);
      expect(acknowledged.length).toBeGreaterThan(40);

      for (const path of acknowledged) {
        const secret = await client.kv().read(path, { cache: "bypass" });
        expect(secret?.metadata.version).toBe(1);
      }
      const newLeader = await cluster.waitForLeader({ exclude: [leader.id] });
      await client.cluster.probe();
      expect(client.cluster.leader?.address).toBe(newLeader.address);
      expect(await client.metrics.text()).toMatch(/vaultsmith_retries_total\{kind="[a-z-]+"\} [1-9]/);
    } finally {
      await client.close();
      const index = cluster.indexOf((await cluster.waitForLeader()).id);
      for (let i = 0; i < cluster.nodes.length; i++) {
        if (i !== index && !cluster.nodes[i].isRunning) {
          cluster.startNode(i);
          await cluster.unseal(i);
        }
      }
    }
  });

  it("queues operations while every node is sealed and runs each exactly once after unseal", async () => {
    const client = new VaultClient({
      addresses: cluster.nodes.map((n) => n.address),
      token: cluster.rootToken,
      probeIntervalMs: 300,
      retry: { deadlineMs: 60_000 },
    });
    try {
      await client.kv().write("sealed/warmup", { ok: true });
      for (let i = 0; i < cluster.nodes.length; i++) await cluster.seal(i).catch(() => undefined);
      await until(() => client.cluster.availability === "sealed", 10_000, "the client to see the sealed cluster");

      const pending = Array.from({ length: 10 }, (_, i) => client.kv().write(`sealed/op-${i}`, { i }, { cas: 0 }));
      await until(() => client.cluster.gate.waiting > 0, 5_000, "operations to queue");
      for (let i = 0; i < cluster.nodes.length; i++) await cluster.unseal(i);

      const results = await Promise.all(pending);
      expect(results.map((r) => r.version)).toEqual(Array(10).fill(1));
      for (let i = 0; i < 10; i++) {
        const meta = await client.kv().readMetadata(`sealed/op-${i}`);
        expect(meta?.currentVersion).toBe(1);
      }
    } finally {
      await client.close();
    }
  });

  it("keeps writing when the active node is sealed: a standby takes over and the sealed node is skipped", async () => {
    const client = new VaultClient({
      addresses: cluster.nodes.map((n) => n.address),
      token: cluster.rootToken,
      probeIntervalMs: 300,
      retry: { deadlineMs: 30_000, backoff: { minMs: 50, maxMs: 500 } },
    });
    try {
      await client.kv().write("seal-one/before", { ok: true });
      const leader = await cluster.waitForLeader();
      const index = cluster.indexOf(leader.id);
      await cluster.seal(index);
      const written = await client.kv().write("seal-one/after", { ok: true }, { cas: 0 });
      expect(written.version).toBe(1);
      await until(() => client.cluster.nodes[index].state === "sealed", 5_000, "the sealed node to be seen as sealed");
      expect(client.cluster.leader?.address).not.toBe(leader.address);
      expect((await client.kv().read("seal-one/before", { cache: "bypass" }))?.data).toEqual({ ok: true });
      await cluster.unseal(index);
      await until(() => client.cluster.nodes[index].state === "standby", 15_000, "the unsealed node to serve again as a standby");
    } finally {
      await client.close();
    }
  });

  it("with reads spread over serving nodes, routes around a silently partitioned one", async () => {
    const ports = cluster.nodes.map((n) => Number(new URL(n.address).port));
    const proxies = await Promise.all(ports.map((p) => TcpProxy.start(p)));
    const leader = await cluster.waitForLeader();
    const victim = cluster.nodes.findIndex((n) => n.id !== leader.id);
    const client = new VaultClient({
      addresses: proxies.map((p) => `http://127.0.0.1:${p.port}`),
      token: cluster.rootToken,
      probeIntervalMs: 300,
      probeTimeoutMs: 500,
      timeoutMs: 1_000,
      readFrom: "any",
      cache: false,
      retry: { deadlineMs: 10_000, backoff: { minMs: 20, maxMs: 200 } },
    });
    try {
      await client.kv().write("partition/value", { v: 1 });
      await until(
        async () =>
          (
            await Promise.all(
              cluster.nodes.map((n) =>
                fetch(`${n.address}/v1/secret/data/partition/value`, { headers: { "x-vault-token": cluster.rootToken } }),
              ),
            )
          ).every((r) => r.status === 200),
        10_000,
        "the write to reach every replica",
      );
      await client.cluster.probe();
      proxies[victim].blackhole();
      const failures: unknown[] = [];
      for (let i = 0; i < 30; i++) {
        await client
          .kv()
          .read("partition/value")
          .catch((e: unknown) => failures.push(e));
      }
      expect(failures).toEqual([]);
      await until(() => client.cluster.nodes[victim].state === "unreachable", 5_000, "the partitioned node to be marked unreachable");
      proxies[victim].heal();
      await until(() => client.cluster.nodes[victim].state === "standby", 10_000, "the healed node to serve again");
    } finally {
      await client.close();
      await Promise.all(proxies.map((p) => p.stop()));
    }
  });
});
