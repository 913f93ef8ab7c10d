import { Cluster } from "../../../../runtime";

/** Addresses nothing listens on: probes fail at once, which these tests do not depend on. */
const ADDRESSES = ["http://127.0.0.1:9", "http://127.0.0.1:10", "http://127.0.0.1:11"];

describe("Cluster", () => {
  let cluster: Cluster;

  beforeEach(() => {
    cluster = new Cluster({ addresses: ADDRESSES, probeTimeoutMs: 200 });
  });

  afterEach(async () => {
    await cluster.stop();
  });

  it("says no-leader, not sealed, while unsealed standbys are up and the sealed leader is being replaced", () => {
    const [a, b, c] = cluster.nodes;
    cluster.reportFailure(a, "sealed");
    cluster.reportFailure(b, "standby");
    cluster.reportFailure(c, "standby");
    expect(cluster.availability).toBe("no-leader");
    expect(cluster.gate.open).toBe(false);
    cluster.reportFailure(b, "sealed");
    cluster.reportFailure(c, "sealed");
    expect(cluster.availability).toBe("sealed");
    cluster.reportFailure(c, "active");
    expect(cluster.availability).toBe("available");
    expect(cluster.gate.open).toBe(true);
  });

  it("wakes a waiting request as soon as a node's state changes, long before its timeout", async () => {
    const started = Date.now();
    const waiting = cluster.waitForChange(10_000);
    setTimeout(() => cluster.reportFailure(cluster.nodes[1], "active"), 50);
    await waiting;
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("ends a wait at its timeout when nothing changes, and at once when the caller aborts", async () => {
    const started = Date.now();
    await cluster.waitForChange(150);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const controller = new AbortController();
    const waiting = cluster.waitForChange(10_000, controller.signal);
    controller.abort(new Error("caller gave up"));
    await expect(waiting).rejects.toThrow("caller gave up");
  });

  it("knows when the first ejected node may take a trial", async () => {
    expect(cluster.nextTrialInMs).toBe(Infinity);
    const node = cluster.nodes[2];
    for (let i = 0; i < 5; i++)
      await node.breaker.execute(() => node.transport.send({ method: "GET", path: "sys/health" })).catch(() => undefined);
    // Read both within one millisecond tick: a frozen clock.
    const now = Date.now();
    const spy = jest.spyOn(Date, "now").mockReturnValue(now);
    try {
      expect(node.trialInMs).toBeGreaterThan(4_000);
      expect(cluster.nextTrialInMs).toBe(node.trialInMs);
      cluster.nodes[0].vouch();
      expect(cluster.nextTrialInMs).toBe(node.trialInMs);
      node.vouch();
      expect(cluster.nextTrialInMs).toBe(Infinity);
    } finally {
      spy.mockRestore();
    }
  });
});
