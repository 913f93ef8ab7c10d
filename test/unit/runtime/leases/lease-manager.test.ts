import { inspect } from "node:util";
import { Registry } from "prom-client";
import { CredentialsUpdate, DatabaseRoleNotFoundError, LeaseManager, LeaseManagerEvents, LeaseManagerOptions } from "../../../../runtime";
import { FakeClock, FakeDatabaseVault, FakeTokens, databaseDown, outage } from "./fakes";

const S = 1_000;

/** Every event of `manager`, in order, with the clock time it came at. */
function record(manager: LeaseManager, clock: FakeClock): { at: number; event: keyof LeaseManagerEvents; payload: unknown }[] {
  const seen: { at: number; event: keyof LeaseManagerEvents; payload: unknown }[] = [];
  for (const event of ["created", "renewed", "rotated", "expiring", "expired", "revoked", "error"] as const) {
    manager.on(event, (payload: unknown) => seen.push({ at: clock.now(), event, payload }));
  }
  return seen;
}

describe("LeaseManager (fake clock, in-memory engine)", () => {
  let clock: FakeClock;
  let vault: FakeDatabaseVault;
  let manager: LeaseManager | undefined;
  let t0: number;

  function make(options: Partial<LeaseManagerOptions> = {}): LeaseManager {
    manager = new LeaseManager({ requester: vault, clock, random: () => 0, ...options });
    return manager;
  }

  beforeEach(() => {
    clock = new FakeClock();
    t0 = clock.now();
    vault = new FakeDatabaseVault(clock, 60, 300);
  });

  afterEach(async () => {
    await manager?.stop();
    manager = undefined;
  });

  it("renews at a random point of the 50–80 % band of the TTL, asking for the first lease's TTL again", async () => {
    for (const [random, expected] of [
      [0, 30 * S],
      [0.5, 39 * S],
      [0.999, 47_982],
    ] as const) {
      clock = new FakeClock();
      t0 = clock.now();
      vault = new FakeDatabaseVault(clock, 60, 300);
      const m = make({ random: () => random });
      await m.manage({ name: "app", role: "app" });
      await clock.advance(expected - 1);
      expect(vault.count("sys/leases/renew")).toBe(0);
      await clock.advance(1);
      expect(vault.count("sys/leases/renew")).toBe(1);
      const renew = vault.requests.find((r) => r.path === "sys/leases/renew")!;
      expect(renew.at - t0).toBe(expected);
      expect(renew.body).toEqual({ lease_id: "database/creds/app/lease-1", increment: "60s" });
      // Renewals are safe to repeat; creating credentials is not.
      expect(renew.policy.retryClass).toBe("idempotent");
      expect(vault.requests[0].policy).toMatchObject({ retryClass: "state-creating", kind: "write" });
      await m.stop();
    }
  });

  it("rotates before a lease truncated by its max TTL ends, and hands old and new over for the overlap", async () => {
    vault = new FakeDatabaseVault(clock, 60, 100);
    const updates: CredentialsUpdate[] = [];
    const m = make({ rotation: { previous: "expire", graceMs: 10 * S } });
    const events = record(m, clock);
    const first = await m.manage({ name: "app", role: "app", onCredentials: (u) => void updates.push(u) });
    expect(first.username).toBe("v-app-1");
    // t=30 renew (60 s granted), t=60 renew: only 40 s left of the max TTL → truncated.
    await clock.advance(60 * S);
    expect(events.filter((e) => e.event === "renewed").map((e) => e.payload)).toEqual([
      { name: "app", leaseId: "database/creds/app/lease-1", ttlSeconds: 60, truncated: false },
      { name: "app", leaseId: "database/creds/app/lease-1", ttlSeconds: 40, truncated: true },
    ]);
    expect(vault.credsRequests).toBe(1);
    // 40 s left: rotation at 50 % of them (t=80), which leaves more than the 10 s grace.
    await clock.advance(20 * S - 1);
    expect(vault.credsRequests).toBe(1);
    await clock.advance(1);
    expect(vault.credsRequests).toBe(2);
    expect(updates.map((u) => [u.reason, u.current.username, u.previous?.username, u.previousValidUntil?.getTime()])).toEqual([
      ["initial", "v-app-1", undefined, undefined],
      ["rotation", "v-app-2", "v-app-1", t0 + 100 * S],
    ]);
    expect(events.find((e) => e.event === "rotated")?.payload).toEqual({
      name: "app",
      leaseId: "database/creds/app/lease-2",
      username: "v-app-2",
      previousLeaseId: "database/creds/app/lease-1",
      previousUsername: "v-app-1",
      previousValidUntil: new Date(t0 + 100 * S),
      previousAction: "expire",
    });
    // The overlap: both served, both alive at the server.
    await clock.advance(10 * S);
    expect(m.valid("app").map((c) => c.username)).toEqual(["v-app-2", "v-app-1"]);
    expect([vault.alive("database/creds/app/lease-1"), vault.alive("database/creds/app/lease-2")]).toEqual([true, true]);
    expect(m.current("app")?.username).toBe("v-app-2");
    // At t=100 the old lease ends on its own; nothing revoked it.
    await clock.advance(10 * S);
    expect(m.valid("app").map((c) => c.username)).toEqual(["v-app-2"]);
    expect(events.filter((e) => e.event === "expired").map((e) => e.payload)).toEqual([
      { name: "app", leaseId: "database/creds/app/lease-1", reason: "replaced" },
    ]);
    expect(vault.count("sys/leases/revoke")).toBe(0);
  });

  it("revokes the replaced lease after the grace period when told to", async () => {
    vault = new FakeDatabaseVault(clock, 60, 100);
    const m = make({ rotation: { previous: "revoke", graceMs: 5 * S } });
    const events = record(m, clock);
    await m.manage({ name: "app", role: "app" });
    await clock.advance(80 * S);
    expect(vault.credsRequests).toBe(2);
    expect(m.valid("app")).toHaveLength(2);
    await clock.advance(5 * S - 1);
    expect(vault.count("sys/leases/revoke")).toBe(0);
    await clock.advance(1);
    expect(vault.count("sys/leases/revoke")).toBe(1);
    expect(vault.alive("database/creds/app/lease-1")).toBe(false);
    expect(vault.alive("database/creds/app/lease-2")).toBe(true);
    expect(m.valid("app").map((c) => c.username)).toEqual(["v-app-2"]);
    expect(events.find((e) => e.event === "revoked")?.payload).toEqual({
      name: "app",
      leaseId: "database/creds/app/lease-1",
      reason: "rotation",
    });
    expect(events.find((e) => e.event === "rotated")?.payload).toMatchObject({ previousValidUntil: new Date(t0 + 85 * S) });
  });

  it("rotates early enough to leave the grace period, and lets a lease that ends by then expire instead of revoking it", async () => {
    vault = new FakeDatabaseVault(clock, 60, 100);
    const m = make({ rotation: { previous: "revoke", graceMs: 30 * S } });
    const events = record(m, clock);
    await m.manage({ name: "app", role: "app" });
    // Truncated at t=60 (40 s left): rotation at t=70, not at t=80, so that 30 s of overlap remain.
    await clock.advance(70 * S - 1);
    expect(vault.credsRequests).toBe(1);
    await clock.advance(1);
    expect(vault.credsRequests).toBe(2);
    expect(events.find((e) => e.event === "rotated")?.payload).toMatchObject({
      previousValidUntil: new Date(t0 + 100 * S),
      previousAction: "expire",
    });
    await clock.advance(40 * S);
    expect(vault.count("sys/leases/revoke")).toBe(0);
    expect(events.filter((e) => e.event === "expired").map((e) => (e.payload as { reason: string }).reason)).toEqual(["replaced"]);
  });

  it("keeps serving the credentials while renewals fail, backs off, alerts, and replaces them once the server is back", async () => {
    const m = make({ backoff: { minMs: 1_000, maxMs: 60_000 } });
    const events = record(m, clock);
    await m.manage({ name: "app", role: "app" });
    vault.failRenew = outage;
    vault.failCreds = outage;
    await clock.advance(59 * S);
    // Still the first credentials, still valid.
    expect(m.current("app")?.leaseId).toBe("database/creds/app/lease-1");
    const renewals = vault.requests.filter((r) => r.path === "sys/leases/renew").map((r) => r.at - t0);
    const gaps = renewals.slice(1).map((at, i) => at - renewals[i]);
    // Real backoff: the gaps grow (until a third of the time left caps them), no hammering.
    expect(renewals[0]).toBe(30 * S);
    expect(gaps.slice(0, 4)).toEqual([500, 1_000, 2_000, 4_000]);
    expect(renewals.length).toBeLessThanOrEqual(8);
    const errors = events.filter((e) => e.event === "error").map((e) => e.payload as { currentValid: boolean; attempt: number });
    expect(errors.every((e) => e.currentValid)).toBe(true);
    expect(errors.map((e) => e.attempt)).toEqual(errors.map((_, i) => i + 1));
    // The alert: in the last tenth of the TTL with nothing renewed.
    expect(events.filter((e) => e.event === "expiring").map((e) => e.at - t0)).toEqual([54 * S]);
    // In the last tenth it tries new credentials too, which fail as well.
    expect(vault.credsRequests).toBeGreaterThan(1);
    await clock.advance(1 * S);
    expect(m.current("app")).toBeUndefined();
    expect(events.filter((e) => e.event === "expired").map((e) => e.payload)).toEqual([
      { name: "app", leaseId: "database/creds/app/lease-1", reason: "ttl" },
    ]);
    vault.failRenew = undefined;
    vault.failCreds = undefined;
    await clock.advance(60 * S);
    expect(m.current("app")?.username).toMatch(/^v-app-/);
    expect(events.filter((e) => e.event === "created").map((e) => (e.payload as { reason: string }).reason)).toEqual([
      "initial",
      "after-expiry",
    ]);
  });

  it("bounds credential requests with the storm guard while the database fails, and recovers every credential after", async () => {
    const registry = new Registry();
    const m = make({ backoff: { minMs: 100, maxMs: 1_000 }, stormGuard: { maxRequests: 5, intervalMs: 10 * S }, registry });
    const names = ["a", "b", "c", "d", "e"];
    for (const name of names) await m.manage({ name, role: "app" });
    expect(vault.credsRequests).toBe(5);
    // Vault lost every lease and the database refuses new users.
    for (const lease of vault.leases.values()) lease.revoked = true;
    vault.failCreds = () => databaseDown();
    const failingFrom = clock.now();
    await clock.advance(200 * S);
    const during = vault.requests.filter((r) => r.path.includes("/creds/") && r.at >= failingFrom).map((r) => r.at);
    for (const start of during) expect(during.filter((at) => at >= start && at < start + 10 * S).length).toBeLessThanOrEqual(5);
    // 200 s at 5 per 10 s: at most 100 (unguarded, five credentials backing off at ≤ 1 s would send over a thousand).
    expect(during.length).toBeLessThanOrEqual(100);
    expect(during.length).toBeGreaterThanOrEqual(90);
    expect(m.stormGuard.deferred).toBeGreaterThan(0);
    expect(names.map((n) => m.current(n))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    vault.failCreds = undefined;
    await clock.advance(20 * S);
    expect(names.map((n) => m.current(n)?.username.startsWith("v-app-"))).toEqual([true, true, true, true, true]);
    const text = await registry.metrics();
    expect(text).toMatch(/vaultsmith_lease_credential_requests_total\{outcome="error"\} (9\d|100)\n/);
    expect(text).toMatch(/vaultsmith_lease_storm_guard_deferred_total [1-9]\d*\n/);
    expect(text).toContain("vaultsmith_managed_leases 5\n");
  });

  it("obtains new credentials at once when Vault lost the lease", async () => {
    const updates: CredentialsUpdate[] = [];
    const m = make();
    const events = record(m, clock);
    await m.manage({ name: "app", role: "app", onCredentials: (u) => void updates.push(u) });
    vault.leases.get("database/creds/app/lease-1")!.revoked = true;
    await clock.advance(30 * S);
    expect(vault.credsRequests).toBe(2);
    expect(updates.map((u) => [u.reason, u.current.username, u.previous])).toEqual([
      ["initial", "v-app-1", undefined],
      ["lease-lost", "v-app-2", undefined],
    ]);
    expect(events.filter((e) => e.event === "expired").map((e) => e.payload)).toEqual([
      { name: "app", leaseId: "database/creds/app/lease-1", reason: "lease-lost" },
    ]);
    expect(m.valid("app").map((c) => c.username)).toEqual(["v-app-2"]);
  });

  it("drops the leases of a token that ended and re-creates them after the next login, not before", async () => {
    const tokens = new FakeTokens("acc-1", t0 + 3_600 * S);
    const m = make({ tokens });
    const events = record(m, clock);
    await m.manage({ name: "app", role: "app" });
    tokens.emit("token-expired", { accessor: "acc-1", reason: "refused" });
    expect(m.current("app")).toBeUndefined();
    await clock.advance(20 * S);
    expect(vault.credsRequests).toBe(1);
    tokens.login("acc-2", 3_600, "after-expiry");
    await clock.advance(0);
    expect(vault.credsRequests).toBe(2);
    expect(events.filter((e) => e.event === "created").map((e) => (e.payload as { reason: string }).reason)).toEqual([
      "initial",
      "token-expired",
    ]);
    expect(events.find((e) => e.event === "expired")?.payload).toEqual({
      name: "app",
      leaseId: "database/creds/app/lease-1",
      reason: "token-expired",
    });
  });

  it("rotates the leases of a replaced token before that token ends", async () => {
    // The first token ends at t=100; a re-login at t=10 replaces it and leaves it to expire.
    const tokens = new FakeTokens("acc-1", t0 + 100 * S);
    vault = new FakeDatabaseVault(clock, 60, 3_600);
    const m = make({ tokens, rotation: { previous: "expire", graceMs: 10 * S } });
    const updates: CredentialsUpdate[] = [];
    await m.manage({ name: "app", role: "app", onCredentials: (u) => void updates.push(u) });
    await clock.advance(10 * S);
    tokens.login("acc-2", 3_600, "re-login");
    // t=30 renew → lease to t=90 (before the token's end); t=60 renew → lease to t=120, but the token ends at t=100.
    await clock.advance(50 * S);
    expect(vault.credsRequests).toBe(1);
    expect(m.expiresAt("app")).toBe(t0 + 100 * S);
    // Rotation at 50 % of the 40 s left: t=80.
    await clock.advance(20 * S);
    expect(vault.credsRequests).toBe(2);
    expect(updates[1]).toMatchObject({ reason: "rotation", previousValidUntil: new Date(t0 + 100 * S) });
    // The new lease hangs on the new token: renewed as usual, not rotated again.
    await clock.advance(60 * S);
    expect(vault.credsRequests).toBe(2);
    expect(m.current("app")?.username).toBe("v-app-2");
  });

  it("revokes current and overlapping leases on stop when asked to", async () => {
    vault = new FakeDatabaseVault(clock, 60, 100);
    const m = make({ revokeOnStop: true, rotation: { previous: "expire", graceMs: 10 * S } });
    const events = record(m, clock);
    await m.manage({ name: "app", role: "app" });
    await clock.advance(85 * S);
    expect(m.valid("app")).toHaveLength(2);
    await m.stop();
    expect(vault.count("sys/leases/revoke")).toBe(2);
    expect([...vault.leases.values()].map((l) => l.revoked)).toEqual([true, true]);
    expect(events.filter((e) => e.event === "revoked").map((e) => (e.payload as { reason: string }).reason)).toEqual(["stop", "stop"]);
    expect(clock.pending).toEqual([]);
  });

  it("leaves leases alone on stop by default and plans nothing more", async () => {
    const m = make();
    await m.manage({ name: "app", role: "app" });
    await m.stop();
    expect(vault.count("sys/leases/revoke")).toBe(0);
    expect(clock.pending).toEqual([]);
    await expect(m.manage({ name: "other", role: "app" })).rejects.toThrow(/stopped/);
  });

  it("plans nothing and reports nothing for a renewal that answers after stop", async () => {
    const m = make();
    const events = record(m, clock);
    await m.manage({ name: "app", role: "app" });
    let open: () => void = () => undefined;
    vault.gate = new Promise((resolve) => (open = resolve));
    await clock.advance(30 * S);
    expect(vault.count("sys/leases/renew")).toBe(1);
    const seen = events.length;
    await m.stop();
    open();
    await clock.advance(0);
    expect(events.length).toBe(seen);
    expect(clock.pending).toEqual([]);
  });

  it("takes its metrics off the registry on stop, so the next manager can register them", async () => {
    const registry = new Registry();
    const m = make({ registry });
    await m.manage({ name: "app", role: "app" });
    expect(await registry.metrics()).toContain('vaultsmith_lease_seconds_to_expiry{credential="app"} 60');
    await m.stop();
    expect(await registry.metrics()).not.toContain("vaultsmith_lease");
    const next = make({ registry });
    await next.manage({ name: "app", role: "app" });
    expect(await registry.metrics()).toContain('vaultsmith_lease_events_total{event="created"} 1');
  });

  it("rejects an unknown role with the typed error and schedules nothing", async () => {
    const m = make();
    const error = await m.manage({ name: "x", role: "missing" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseRoleNotFoundError);
    expect((error as DatabaseRoleNotFoundError).role).toBe("missing");
    expect(m.names).toEqual([]);
    expect(clock.pending).toEqual([]);
  });

  it("never shows a password in events, errors, inspect or JSON", async () => {
    vault = new FakeDatabaseVault(clock, 60, 100);
    const m = make({ rotation: { previous: "revoke", graceMs: 5 * S } });
    const events = record(m, clock);
    const updates: CredentialsUpdate[] = [];
    const creds = await m.manage({ name: "app", role: "app", onCredentials: (u) => void updates.push(u) });
    await clock.advance(90 * S);
    vault.failRenew = outage;
    vault.failCreds = () => databaseDown();
    await clock.advance(100 * S);
    expect(creds.password).toBe("secret-password-1");
    const shown = [
      JSON.stringify(events),
      inspect(events, { depth: 10 }),
      JSON.stringify(updates),
      inspect(updates, { depth: 10 }),
      String(creds),
      `${creds}`,
    ].join("\n");
    expect(events.some((e) => e.event === "error")).toBe(true);
    expect(shown).toContain("v-app-1");
    expect(shown).not.toContain("secret-password");
  });
});
