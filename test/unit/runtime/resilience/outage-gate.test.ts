import { GateRefusedError } from "../../../../runtime";
import { OutageGate } from "../../../../runtime/resilience/outage-gate";

describe("OutageGate", () => {
  it("lets callers through while open", async () => {
    const gate = new OutageGate(2);
    await expect(gate.pass(Date.now() + 1_000)).resolves.toBeUndefined();
  });

  it("holds callers while closed and releases them all when it opens", async () => {
    const gate = new OutageGate(3);
    gate.close();
    const released: number[] = [];
    const waits = [1, 2, 3].map((n) => gate.pass(Date.now() + 5_000).then(() => released.push(n)));
    await Promise.resolve();
    expect(gate.waiting).toBe(3);
    expect(released).toEqual([]);
    gate.openGate();
    await Promise.all(waits);
    expect(released.sort()).toEqual([1, 2, 3]);
    expect(gate.waiting).toBe(0);
  });

  it("refuses a caller beyond capacity at once, and one whose deadline passes", async () => {
    const gate = new OutageGate(1);
    gate.close();
    const first = gate.pass(Date.now() + 50);
    await expect(gate.pass(Date.now() + 5_000)).rejects.toMatchObject({ refusal: "full" });
    const refused = await first.catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GateRefusedError);
    expect((refused as GateRefusedError).refusal).toBe("deadline");
    expect(gate.waiting).toBe(0);
  });

  it("refuses waiting and later callers once stopped", async () => {
    const gate = new OutageGate(2);
    gate.close();
    const waiting = gate.pass(Date.now() + 5_000);
    gate.stop();
    await expect(waiting).rejects.toMatchObject({ refusal: "stopped" });
    await expect(gate.pass(Date.now() + 5_000)).rejects.toMatchObject({ refusal: "stopped" });
    gate.openGate();
    expect(gate.open).toBe(true);
    gate.close();
    expect(gate.open).toBe(true);
  });

  it("is closed once stopped, and its refusals say why", async () => {
    const gate = new OutageGate(1);
    gate.close();
    const waiting = gate.pass(Date.now() + 5_000).catch((e: unknown) => e);
    gate.stop();
    expect(gate.open).toBe(false);
    const refused = (await waiting) as GateRefusedError;
    expect(refused).toBeInstanceOf(GateRefusedError);
    expect(refused.name).toBe("GateRefusedError");
    expect(refused.message).toBe("the client was stopped");
    await expect(gate.pass(Date.now() + 5_000)).rejects.toThrow("the client was stopped");
  });

  it("names the capacity when full", async () => {
    const gate = new OutageGate(0);
    gate.close();
    await expect(gate.pass(Date.now() + 5_000)).rejects.toThrow("the outage queue is full (0 operations waiting)");
  });

  it("accepts a capacity of 0 and refuses a negative or fractional one", () => {
    expect(new OutageGate(0).capacity).toBe(0);
    for (const capacity of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new OutageGate(capacity)).toThrow(new RangeError(`gate capacity must be a non-negative integer, got ${capacity}`));
    }
  });
});

describe("OutageGate deadlines (fake clock)", () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
  afterEach(() => jest.useRealTimers());

  it("keeps a caller waiting until its deadline and refuses it exactly then", async () => {
    const gate = new OutageGate(1);
    gate.close();
    let outcome: unknown = "waiting";
    void gate.pass(Date.now() + 1_000).then(
      () => (outcome = "passed"),
      (e: unknown) => (outcome = e),
    );
    await jest.advanceTimersByTimeAsync(999);
    expect(outcome).toBe("waiting");
    expect(gate.waiting).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(GateRefusedError);
    expect((outcome as GateRefusedError).refusal).toBe("deadline");
    expect((outcome as GateRefusedError).message).toBe("the deadline passed while waiting for the cluster to recover");
    expect(gate.waiting).toBe(0);
  });

  it("refuses a caller whose deadline has already passed on the next tick", async () => {
    const gate = new OutageGate(1);
    gate.close();
    const refused = gate.pass(Date.now() - 5_000).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(0);
    expect(((await refused) as GateRefusedError).refusal).toBe("deadline");
  });
});
