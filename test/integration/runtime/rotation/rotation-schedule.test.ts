/**
 * The RotationScheduler's schedule, driven by a clock the test moves, against a real OpenBao dev
 * server: the earlier of interval and maximum age (by the server's own version timestamp), the
 * notice before a rotation, backoff between attempts, the later retry after a failed rotation, the
 * grace period's end, and nothing at all after `stop()`.
 */
import { once } from "node:events";
import { CancelTimer, Clock, RotationScheduler, RotationSucceededEvent, VaultClient } from "../../../../runtime";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { selectedFlavors } from "../../../support/server-binaries";

const flavor = selectedFlavors()[0];

/** Time that moves only when the test says; timers fire in due order. */
class TestClock implements Clock {
  private readonly timers = new Map<number, { at: number; callback: () => void }>();
  private id = 0;
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  schedule(callback: () => void, delayMs: number): CancelTimer {
    const id = this.id++;
    this.timers.set(id, { at: this.current + Math.max(0, delayMs), callback });
    return () => this.timers.delete(id);
  }

  /** Move forward `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = due[1].at;
      due[1].callback();
    }
    this.current = end;
  }

  get pending(): number {
    return this.timers.size;
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe(`RotationScheduler schedule with a test clock against a real ${flavor} dev server`, () => {
  let vault: DevServer;
  let client: VaultClient;

  beforeAll(async () => {
    vault = await startDevServer(flavor);
    client = new VaultClient({ address: vault.address, token: vault.token, cache: false });
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await vault?.stop();
  });

  it("rotates at the interval after a notice, and after a failed rotation tries again only after failureRetryMs", async () => {
    await client.kv().write("sched/interval", { n: "0" });
    const clock = new TestClock(Date.now());
    const scheduler = new RotationScheduler({ client, clock, attempts: 1, failureRetryMs: 30_000 });
    const upcoming: number[] = [];
    scheduler.on("upcoming", (e) => void upcoming.push(e.dueAt.getTime()));
    let fail = false;
    let n = 0;
    try {
      const added = clock.now();
      const status = await scheduler.add({
        id: "i",
        target: {
          kind: "kv",
          path: "sched/interval",
          generate: () => {
            if (fail) throw new Error("no value today");
            return { n: String(++n) };
          },
        },
        policy: { intervalMs: 60_000, maxAgeMs: 3_600_000, noticeMs: 5_000 },
      });
      expect(status.nextDueAt?.getTime()).toBe(added + 60_000);

      clock.advance(54_999);
      expect(upcoming).toEqual([]);
      clock.advance(1);
      expect(upcoming).toEqual([added + 60_000]);
      expect(scheduler.status("i").version).toBe("1");

      const rotated = once(scheduler, "rotated");
      clock.advance(5_000);
      const [event] = (await rotated) as [RotationSucceededEvent];
      expect(event).toMatchObject({ trigger: "interval", fromVersion: "1", toVersion: "2" });
      expect(scheduler.status("i")).toMatchObject({ lastRotatedAt: new Date(added + 60_000), nextDueAt: new Date(added + 120_000) });

      fail = true;
      const failed = once(scheduler, "failed");
      clock.advance(60_000);
      const [failure] = (await failed) as [{ nextAttemptAt: Date; attempts: number }];
      expect(failure.attempts).toBe(1);
      expect(failure.nextAttemptAt.getTime()).toBe(added + 120_000 + 30_000);
      expect(scheduler.status("i")).toMatchObject({ consecutiveFailures: 1, version: "2" });
      fail = false;
      const again = once(scheduler, "rotated");
      clock.advance(29_999);
      await settle();
      expect(scheduler.status("i").version).toBe("2");
      clock.advance(1);
      expect(((await again) as [RotationSucceededEvent])[0].toVersion).toBe("3");
      expect(scheduler.status("i").consecutiveFailures).toBe(0);
    } finally {
      await scheduler.stop();
    }
  });

  it("is due by maximum age counted from the server's own version timestamp, when that comes before the interval", async () => {
    const written = await client.kv().write("sched/age", { n: "0" });
    const clock = new TestClock(Date.now());
    const scheduler = new RotationScheduler({ client, clock });
    try {
      const status = await scheduler.add({
        id: "a",
        target: { kind: "kv", path: "sched/age", generate: () => ({ n: "1" }) },
        policy: { intervalMs: 3_600_000, maxAgeMs: 120_000 },
      });
      expect(status.versionCreatedAt?.getTime()).toBe(new Date(written.createdTime).getTime());
      expect(status.nextDueAt?.getTime()).toBe(new Date(written.createdTime).getTime() + 120_000);
      const rotated = once(scheduler, "rotated");
      clock.advance(new Date(written.createdTime).getTime() + 120_000 - clock.now());
      expect(((await rotated) as [RotationSucceededEvent])[0].trigger).toBe("max-age");
    } finally {
      await scheduler.stop();
    }
  });

  it("backs off between attempts, runs the grace step when the grace period ends, and does nothing after stop()", async () => {
    await client.kv().write("sched/grace", { n: "0" });
    const clock = new TestClock(Date.now());
    const scheduler = new RotationScheduler({ client, clock, attempts: 2, backoff: { minMs: 500, maxMs: 4_000 }, random: () => 0 });
    const retries: number[] = [];
    scheduler.on("retry", (e) => void retries.push(e.retryInMs));
    let calls = 0;
    try {
      await scheduler.add({
        id: "g",
        target: {
          kind: "kv",
          path: "sched/grace",
          afterGrace: "delete",
          generate: () => {
            if (++calls === 1) throw new Error("first call fails");
            return { n: String(calls) };
          },
        },
        policy: { gracePeriodMs: 10_000 },
      });
      const rotation = scheduler.rotateNow("g");
      await settle();
      // Equal jitter with random() = 0: half of the first delay.
      expect(retries).toEqual([250]);
      clock.advance(249);
      await settle();
      expect(calls).toBe(1);
      clock.advance(1);
      const done = await rotation;
      expect(done).toMatchObject({ fromVersion: "1", toVersion: "2" });
      expect(done.graceUntil.getTime()).toBe(clock.now() + 10_000);

      const ended: string[] = [];
      scheduler.on("grace-ended", (e) => void ended.push(`${e.retiredVersion}:${e.action}`));
      clock.advance(9_999);
      await settle();
      expect(ended).toEqual([]);
      expect((await client.kv().readMetadata("sched/grace"))?.versions["1"].deletionTime).toBe("");
      const graceEnded = once(scheduler, "grace-ended");
      clock.advance(1);
      await graceEnded;
      expect(ended).toEqual(["1:deleted"]);
      expect((await client.kv().readMetadata("sched/grace"))?.versions["1"].deletionTime).not.toBe("");

      // A target with a policy leaves timers; stop() cancels them all.
      await scheduler.add({
        id: "later",
        target: { kind: "kv", path: "sched/grace", generate: () => ({ n: "x" }) },
        policy: { intervalMs: 1_000 },
      });
      expect(clock.pending).toBeGreaterThan(0);
      await scheduler.stop();
      expect(clock.pending).toBe(0);
      clock.advance(10_000);
      await settle();
      expect((await client.kv().readMetadata("sched/grace"))?.currentVersion).toBe(2);
      await expect(scheduler.rotateNow("later")).rejects.toThrow(/stopped/);
    } finally {
      await scheduler.stop();
    }
  });
});
