import { CircuitState } from "cockatiel";
import { ClusterNode, VaultConnectionError, VaultHttpError } from "../../../../runtime";

const refused = (): Promise<never> =>
  Promise.reject(
    new VaultConnectionError("GET", "secret/data/x", "http://127.0.0.1:1", Object.assign(new Error("refused"), { code: "ECONNREFUSED" })),
  );
const ok = (): Promise<string> => Promise.resolve("ok");

async function trip(node: ClusterNode, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await node.breaker.execute(refused).catch(() => undefined);
}

describe("ClusterNode breaker", () => {
  let node: ClusterNode;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    node = new ClusterNode(
      { address: "http://127.0.0.1:1" },
      { consecutiveFailures: 3, halfOpenAfterMs: 1_000, maxHalfOpenAfterMs: 3_000 },
    );
  });

  afterEach(async () => {
    jest.useRealTimers();
    await node.transport.close();
  });

  it("ejects the node after the consecutive failures, and offers it a trial once the ejection is over", async () => {
    await trip(node, 2);
    expect(node.breakerAllows).toBe(true);
    await trip(node, 1);
    expect(node.breaker.state).toBe(CircuitState.Open);
    expect(node.breakerAllows).toBe(false);
    expect(node.trialInMs).toBe(1_000);
    jest.advanceTimersByTime(999);
    expect(node.breakerAllows).toBe(false);
    jest.advanceTimersByTime(1);
    expect(node.breakerAllows).toBe(true);
    await expect(node.breaker.execute(ok)).resolves.toBe("ok");
    expect(node.breaker.state).toBe(CircuitState.Closed);
  });

  it("doubles the ejection after each failed trial, up to the cap", async () => {
    await trip(node, 3);
    const ejections: number[] = [];
    for (let i = 0; i < 4; i++) {
      ejections.push(node.trialInMs);
      jest.advanceTimersByTime(node.trialInMs);
      await node.breaker.execute(refused).catch(() => undefined);
      expect(node.breaker.state).toBe(CircuitState.Open);
    }
    expect(ejections).toEqual([1_000, 2_000, 3_000, 3_000]);
    jest.advanceTimersByTime(3_000);
    await node.breaker.execute(ok);
    await trip(node, 3);
    expect(node.trialInMs).toBe(1_000);
  });

  it("ends an ejection at once when a probe vouches for the node, and only once per ejection", async () => {
    expect(node.vouch()).toBe(false);
    await trip(node, 3);
    expect(node.vouch()).toBe(true);
    expect(node.vouch()).toBe(false);
    expect(node.trialInMs).toBe(0);
    expect(node.breakerAllows).toBe(true);
    await node.breaker.execute(refused).catch(() => undefined);
    expect(node.breaker.state).toBe(CircuitState.Open);
    expect(node.breakerAllows).toBe(false);
    expect(node.trialInMs).toBe(2_000);
    expect(node.vouch()).toBe(true);
    await expect(node.breaker.execute(ok)).resolves.toBe("ok");
    expect(node.breaker.state).toBe(CircuitState.Closed);
  });

  it("is never tripped by answers that say nothing about the node's health (4xx)", async () => {
    for (let i = 0; i < 10; i++) {
      await node.breaker
        .execute(() => Promise.reject(new VaultHttpError("GET", "secret/data/x", 403, ["permission denied"], "req-1")))
        .catch(() => undefined);
    }
    expect(node.breaker.state).toBe(CircuitState.Closed);
  });

  it("is usable only in a serving state with a breaker that lets requests through", async () => {
    expect(node.usable).toBe(false);
    node.state = "standby";
    expect(node.usable).toBe(true);
    node.state = "sealed";
    expect(node.usable).toBe(false);
    node.state = "active";
    await trip(node, 3);
    expect(node.usable).toBe(false);
    node.vouch();
    expect(node.usable).toBe(true);
  });

  it.each([
    [{ halfOpenAfterMs: 2_000, maxHalfOpenAfterMs: 1_000 }, "breaker needs 0 <= halfOpenAfterMs <= maxHalfOpenAfterMs, got 2000 and 1000"],
    [{ halfOpenAfterMs: -1 }, "breaker needs 0 <= halfOpenAfterMs"],
    [{ consecutiveFailures: 0 }, "breaker.consecutiveFailures must be a positive integer, got 0"],
  ])("refuses %p", (options, message) => {
    expect(() => new ClusterNode({ address: "http://127.0.0.1:1" }, options)).toThrow(message);
  });
});
