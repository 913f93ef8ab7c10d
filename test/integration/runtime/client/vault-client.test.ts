import { CircuitState } from "cockatiel";
import { POLICIES, VaultClient, VaultDeadlineError, VaultError, withDeadline } from "../../../../runtime";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { RaftCluster, startRaftCluster } from "../../../support/raft-cluster";
import { selectedFlavors } from "../../../support/server-binaries";
import { TcpProxy } from "../../../support/tcp-proxy";

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

  it("finds the active node when it works in a namespace (health is probed in the root namespace)", async () => {
    // OpenBao answers sys/health inside a namespace with 400 "operation unavailable in
    // namespaces": probed there, every node looked down and requests went to any node.
    const client = new VaultClient({ addresses: cluster.nodes.map((n) => n.address), namespace: "team-a", cache: false });
    try {
      await client.cluster.probe();
      expect(client.cluster.leader?.address).toBe((await cluster.waitForLeader()).address);
      expect(client.cluster.availability).toBe("available");
      expect(client.cluster.nodes.map((n) => n.state).sort()).toEqual(["active", "standby", "standby"]);
    } finally {
      await client.close();
    }
  });

  it("sends a new client's first request to the active node, not to whichever node comes first", async () => {
    // The leader first: with no probe answered yet, the rotation's first pick is the next node, a standby.
    const leader = await cluster.waitForLeader();
    const ordered = [leader.address, ...cluster.nodes.map((n) => n.address).filter((a) => a !== leader.address)];
    const client = new VaultClient({ addresses: ordered, token: cluster.rootToken, cache: false });
    const sentTo: string[] = [];
    for (const node of client.cluster.nodes) {
      const send = node.transport.send.bind(node.transport);
      jest.spyOn(node.transport, "send").mockImplementation((req) => {
        sentTo.push(node.address);
        return send(req);
      });
    }
    try {
      await client.request(
        { method: "PUT", path: "sys/policies/acl/first-request", body: { policy: 'path "x" { capabilities = ["read"] }' } },
        POLICIES.idempotentWrite,
      );
      expect(sentTo).toEqual([leader.address]);
    } finally {
      await client.close();
    }
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
      // The client worked through the failover: attempts retried, or writes that were in flight on the
      // dying leader settled on the new one (then later writes may never meet the dead node at all).
      const retried = /vaultsmith_retries_total\{kind="[a-z-]+"\} [1-9]/.test(await client.metrics.text());
      expect(retried || client.kv().ambiguousWriteStats.detected > 0).toBe(true);
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
    const availability: string[] = [];
    client.cluster.on("availability", (a) => availability.push(a));
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
      // Two unsealed standbys were up throughout: the truth was "no leader yet", never "sealed".
      expect(availability).not.toContain("sealed");
    } finally {
      await client.close();
    }
  });

  it("returns to full service after an outage of the whole network opened every node's breaker", async () => {
    const ports = cluster.nodes.map((n) => Number(new URL(n.address).port));
    const proxies = await Promise.all(ports.map((p) => TcpProxy.start(p)));
    const client = new VaultClient({ addresses: proxies.map((p) => `http://127.0.0.1:${p.port}`), token: cluster.rootToken, cache: false });
    const successes: number[] = [];
    const reads = new Set<Promise<unknown>>();
    let running = true;
    const app = (async () => {
      while (running) {
        const read = client
          .kv()
          .read("outage/value", { cache: "bypass" })
          .then(() => successes.push(Date.now()))
          .catch(() => undefined);
        reads.add(read);
        void read.finally(() => reads.delete(read));
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    try {
      await client.kv().write("outage/value", { v: 1 });
      await Promise.all(proxies.map((p) => p.refuse()));
      await until(() => client.cluster.nodes.every((n) => n.breaker.state === CircuitState.Open), 20_000, "every breaker to open");
      await new Promise((r) => setTimeout(r, 3_000));
      expect(client.cluster.availability).toBe("unreachable");
      await Promise.all(proxies.map((p) => p.heal()));
      const restoredAt = Date.now();
      await until(() => successes.some((t) => t > restoredAt), 15_000, "a read after the network came back");
      const recoveryMs = (successes.find((t) => t > restoredAt) ?? Infinity) - restoredAt;
      process.stdout.write(`[outage-recovery] ${flavor} 3 nodes, whole network refused: first read ${recoveryMs} ms after restore\n`);
      // One probe interval (1 s) plus one backoff step (at most 2 s).
      expect(recoveryMs).toBeLessThanOrEqual(3_000);
      const written = await client.kv().write("outage/after", { ok: true });
      expect(written.version).toBeGreaterThanOrEqual(1);
      await until(() => client.cluster.nodes.every((n) => n.usable), 5_000, "every node to be usable again");
      expect(client.cluster.availability).toBe("available");
    } finally {
      running = false;
      await app;
      await Promise.allSettled([...reads]);
      await client.close();
      await Promise.all(proxies.map((p) => p.stop()));
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
      await proxies[victim].heal();
      await until(() => client.cluster.nodes[victim].state === "standby", 10_000, "the healed node to serve again");
    } finally {
      await client.close();
      await Promise.all(proxies.map((p) => p.stop()));
    }
  });
});

describe.each(selectedFlavors())("VaultClient as token upkeep's requester (a real %s server)", (flavor) => {
  let server: DevServer;
  let proxy: TcpProxy;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    proxy = await TcpProxy.start(Number(new URL(server.address).port));
  });

  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });

  afterEach(async () => {
    await proxy.heal();
  });

  /** A client through the proxy whose node counts the attempts it sends. */
  function countingClient(): { client: VaultClient; attempts: () => number } {
    const client = new VaultClient({
      address: `http://127.0.0.1:${proxy.port}`,
      token: server.token,
      retry: { backoff: { minMs: 10, maxMs: 20 } },
    });
    let sent = 0;
    const transport = client.cluster.nodes[0].transport;
    const send = transport.send.bind(transport);
    transport.send = (req) => {
      sent++;
      return send(req);
    };
    return { client, attempts: () => sent };
  }

  it("retries a write marked idempotent (a renewal) after a connection reset, and a state-creating one (a login) never", async () => {
    const renewal = { method: "POST", path: "auth/token/renew-self", body: { increment: "60s" } } as const;
    const idempotent = countingClient();
    const creating = countingClient();
    try {
      await idempotent.client.cluster.probe();
      await creating.client.cluster.probe();
      proxy.reset();
      await expect(idempotent.client.request(renewal, POLICIES.idempotentWrite)).rejects.toBeInstanceOf(VaultError);
      await expect(creating.client.request(renewal, POLICIES.creatingWrite)).rejects.toBeInstanceOf(VaultError);
      // maxRetries (3) retries after failures that may have run, for the idempotent one only.
      expect(idempotent.attempts()).toBe(4);
      expect(creating.attempts()).toBe(1);
    } finally {
      await idempotent.client.close();
      await creating.client.close();
    }
  });

  it("ends a request at the deadline the caller gives, not the client's 30 s", async () => {
    const { client } = countingClient();
    try {
      await client.cluster.probe();
      proxy.blackhole();
      const started = Date.now();
      const failure = await client
        .request({ method: "POST", path: "auth/token/renew-self" }, withDeadline(POLICIES.idempotentWrite, 800))
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(VaultDeadlineError);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await client.close();
    }
  });

  it("tells its listeners when the server can serve again, once per recovery", async () => {
    const { client } = countingClient();
    let recoveries = 0;
    await client.cluster.probe();
    const stop = client.onRecovered(() => recoveries++);
    try {
      await proxy.refuse();
      await client.cluster.probe();
      expect(client.cluster.availability).toBe("unreachable");
      expect(recoveries).toBe(0);
      await proxy.heal();
      await client.cluster.probe();
      await client.cluster.probe();
      expect(recoveries).toBe(1);
      stop();
      await proxy.refuse();
      await client.cluster.probe();
      await proxy.heal();
      await client.cluster.probe();
      expect(recoveries).toBe(1);
    } finally {
      await client.close();
    }
  });
});
