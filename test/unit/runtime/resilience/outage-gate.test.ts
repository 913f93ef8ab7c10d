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
  });
});
