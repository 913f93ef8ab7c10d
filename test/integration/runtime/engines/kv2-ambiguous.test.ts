/**
 * KV v2 writes whose outcome is unknown, settled on a real server: first one node on Raft behind
 * a TCP proxy that breaks the connection at a chosen moment (before the request reaches the
 * server, or after the server stored it but before the answer comes back), then a real 3-node
 * Raft cluster whose leader is killed with writes in flight.
 */
import { KvWriteNotAppliedError, KvWriteOutcomeUnknownError, VaultClient, VaultConnectionError, VaultError } from "../../../../runtime";
import { call } from "../../../support/harness-http";
import { RaftCluster, startRaftCluster } from "../../../support/raft-cluster";
import { selectedFlavors } from "../../../support/server-binaries";
import { TcpProxy } from "../../../support/tcp-proxy";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function versionsOf(address: string, token: string, path: string): Promise<number> {
  const res = await call<{ data: { versions: Record<string, unknown> } }>(address, "GET", `secret/metadata/${path}`, { token });
  return res.status === 200 ? Object.keys(res.body.data.versions).length : 0;
}

async function dataOf(address: string, token: string, path: string): Promise<unknown> {
  const res = await call<{ data: { data: unknown } }>(address, "GET", `secret/data/${path}`, { token });
  return res.status === 200 ? res.body.data.data : undefined;
}

describe.each(selectedFlavors())("ambiguous KV v2 writes on one %s Raft node behind a breaking link", (flavor) => {
  let cluster: RaftCluster;
  let proxy: TcpProxy;
  let address: string;
  let client: VaultClient;

  beforeAll(async () => {
    cluster = await startRaftCluster(flavor, { nodes: 1 });
    address = cluster.nodes[0].address;
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  beforeEach(async () => {
    proxy = await TcpProxy.start(Number(new URL(address).port));
    client = new VaultClient({
      address: `http://127.0.0.1:${proxy.port}`,
      token: cluster.rootToken,
      cache: false,
      timeoutMs: 400,
      probeIntervalMs: 200,
      retry: { deadlineMs: 15_000, backoff: { minMs: 50, maxMs: 200 } },
    });
    // A first answer opens the client's outage gate, so the write under test is sent at once.
    await client.kv().read("amb/warmup");
  });
  afterEach(async () => {
    await client.close();
    await proxy.stop();
  });

  /** Black-hole the link while a write is on its way, heal it after the attempt timed out. */
  async function lostOnTheWay<T>(write: () => Promise<T>): Promise<PromiseSettledResult<T>> {
    proxy.blackhole();
    const pending = Promise.allSettled([write()]);
    await sleep(700);
    await proxy.heal();
    return (await pending)[0];
  }

  it("repeats a write that never reached the server, once, and returns the version it created", async () => {
    const kv = client.kv();
    const result = await lostOnTheWay(() => kv.write("amb/lost", { user: "app" }, { cas: 0 }));
    expect(result.status).toBe("fulfilled");
    expect(result.status === "fulfilled" && result.value.version).toBe(1);
    expect(kv.ambiguousWriteStats).toEqual({ detected: 1, applied: 0, repeated: 1, notApplied: 0, unknown: 0 });
    expect(await versionsOf(address, cluster.rootToken, "amb/lost")).toBe(1);
    expect(await dataOf(address, cluster.rootToken, "amb/lost")).toEqual({ user: "app" });
  });

  it("repeats an unconditional write fenced by the current version, leaving exactly one new version", async () => {
    const kv = client.kv();
    await kv.write("amb/plain", { v: 1 });
    const result = await lostOnTheWay(() => kv.write("amb/plain", { v: 2 }));
    expect(result.status === "fulfilled" && result.value.version).toBe(2);
    expect(kv.ambiguousWriteStats.repeated).toBe(1);
    expect(await versionsOf(address, cluster.rootToken, "amb/plain")).toBe(2);
  });

  it("finds a write the server stored before the answer was lost, without writing it again", async () => {
    const kv = client.kv();
    // Answers take 300 ms to come back: long enough to see the write land and cut the link first.
    proxy.delay(300);
    const pending = Promise.allSettled([kv.write("amb/landed", { user: "app", n: 7 }, { cas: 0 })]);
    const deadline = Date.now() + 10_000;
    while ((await versionsOf(address, cluster.rootToken, "amb/landed")) === 0) {
      if (Date.now() > deadline) throw new Error("the write never reached the server");
      await sleep(10);
    }
    proxy.reset();
    await sleep(50);
    await proxy.heal();
    const [result] = await pending;
    expect(result.status === "fulfilled" && result.value.version).toBe(1);
    expect(kv.ambiguousWriteStats).toEqual({ detected: 1, applied: 1, repeated: 0, notApplied: 0, unknown: 0 });
    expect(await versionsOf(address, cluster.rootToken, "amb/landed")).toBe(1);
  });

  it("reports a conflict when another writer took the version the cas named meanwhile", async () => {
    const kv = client.kv();
    proxy.blackhole();
    const pending = Promise.allSettled([kv.write("amb/raced", { mine: true }, { cas: 0 })]);
    await call(address, "POST", "secret/data/amb/raced", {
      token: cluster.rootToken,
      body: { data: { theirs: true }, options: { cas: 0 } },
    });
    await sleep(700);
    await proxy.heal();
    const [result] = await pending;
    expect(result.status).toBe("rejected");
    const error = result.status === "rejected" ? (result.reason as unknown) : undefined;
    expect(error).toBeInstanceOf(KvWriteNotAppliedError);
    expect((error as KvWriteNotAppliedError).reason).toBe("conflict");
    expect(await dataOf(address, cluster.rootToken, "amb/raced")).toEqual({ theirs: true });
  });

  it("in report mode says the write did not apply and with which cas to repeat it, and writes nothing", async () => {
    const kv = client.kv();
    const result = await lostOnTheWay(() => kv.write("amb/report", { user: "r3port-v4lue" }, { cas: 0, ambiguous: "report" }));
    expect(result.status).toBe("rejected");
    const error = result.status === "rejected" ? (result.reason as KvWriteNotAppliedError) : undefined;
    expect(error).toBeInstanceOf(KvWriteNotAppliedError);
    expect(error?.reason).toBe("not-applied");
    expect(error?.retryCas).toBe(0);
    expect(error?.message).not.toContain("r3port-v4lue");
    expect(await versionsOf(address, cluster.rootToken, "amb/report")).toBe(0);
  });

  it("with the option off raises the connection error as before", async () => {
    const kv = client.kv();
    const result = await lostOnTheWay(() => kv.write("amb/off", { user: "app" }, { cas: 0, ambiguous: "off" }));
    expect(result.status === "rejected" && result.reason).toBeInstanceOf(VaultConnectionError);
    expect(kv.ambiguousWriteStats.detected).toBe(0);
  });
});

describe.each(selectedFlavors())("ambiguous KV v2 writes when the leader of a real 3-node %s cluster is killed", (flavor) => {
  let cluster: RaftCluster;

  beforeAll(async () => {
    cluster = await startRaftCluster(flavor, { nodes: 3 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it("leaves no write of unknown outcome: every one is acknowledged and stored once, or provably not stored", async () => {
    const client = new VaultClient({
      addresses: cluster.nodes.map((n) => n.address),
      token: cluster.rootToken,
      cache: false,
      probeIntervalMs: 250,
      timeoutMs: 2_000,
      retry: { deadlineMs: 30_000, backoff: { minMs: 50, maxMs: 500 } },
    });
    const kv = client.kv();
    try {
      await kv.write("kill/warmup", { ok: true });
      const leader = await cluster.waitForLeader();
      const acknowledged = new Map<string, number>();
      const notApplied: string[] = [];
      const failures: unknown[] = [];
      let next = 0;
      let stop = false;
      // 16 writers keep 16 writes in flight on the leader when it dies.
      const writers = Array.from({ length: 16 }, async () => {
        while (!stop) {
          const path = `kill/${next++}`;
          try {
            acknowledged.set(path, (await kv.write(path, { path }, { cas: 0 })).version);
          } catch (error) {
            if (error instanceof KvWriteNotAppliedError) notApplied.push(path);
            else failures.push(error);
          }
        }
      });
      await sleep(500);
      await cluster.stopNode(cluster.indexOf(leader.id), "SIGKILL");
      await cluster.waitForLeader({ exclude: [leader.id] });
      await sleep(1_000);
      stop = true;
      await Promise.all(writers);

      expect(failures.filter((f) => f instanceof KvWriteOutcomeUnknownError)).toEqual([]);
      for (const f of failures) expect(f).toBeInstanceOf(VaultError);
      expect(kv.ambiguousWriteStats.detected).toBeGreaterThan(0);
      expect(kv.ambiguousWriteStats.unknown).toBe(0);
      const survivor = await cluster.waitForLeader();
      for (const [path, version] of acknowledged) {
        expect(version).toBe(1);
        expect(await dataOf(survivor.address, cluster.rootToken, path)).toEqual({ path });
        expect(await versionsOf(survivor.address, cluster.rootToken, path)).toBe(1);
      }
      for (const path of notApplied) expect(await versionsOf(survivor.address, cluster.rootToken, path)).toBe(0);
    } finally {
      await client.close();
    }
  });
});
