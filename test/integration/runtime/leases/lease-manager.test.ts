/**
 * The LeaseManager against a real OpenBao dev server and a real database (Cassandra 5.0 with TLS
 * and CQL passwords, and PostgreSQL from Debian), with leases of a few seconds:
 * - a consumer that queries the database without pause never fails while leases renew, hit their
 *   max TTL, rotate with an overlap (both credentials log in) and the old ones are revoked;
 * - with Vault cut off the database, credential requests (counted at a proxy in front of Vault)
 *   stay under the storm guard's bound, and the last valid credentials are served until they end;
 *   once the database is back, new credentials come;
 * - revoking the application's token (an operator's action) kills its leases with it: the
 *   TokenManager logs in again and the LeaseManager re-creates the credentials.
 */
import { inspect } from "node:util";
import {
  AppRoleAuth,
  CredentialsUpdate,
  DatabaseCredentials,
  LeaseManager,
  LeaseManagerEvents,
  LoginEvent,
  TokenManager,
  VaultClient,
} from "../../../../runtime";
import { DatabaseKind, DatabaseSession, DatabaseUnderTest, startDatabase } from "../../../support/database-under-test";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { waitFor } from "../../../support/harness-http";
import { selectedFlavors } from "../../../support/server-binaries";
import { TcpProxy } from "../../../support/tcp-proxy";
import { admin, enableAuth, writePolicy } from "../../../support/vault-admin";

const flavor = selectedFlavors()[0];
const CREDS_PATH = "/v1/database/creds/app";

/** Every event of `manager` with its wall-clock time. */
function record(manager: LeaseManager): { at: number; event: keyof LeaseManagerEvents; payload: Record<string, unknown> }[] {
  const seen: { at: number; event: keyof LeaseManagerEvents; payload: Record<string, unknown> }[] = [];
  for (const event of ["created", "renewed", "rotated", "expiring", "expired", "revoked", "error"] as const) {
    manager.on(event, (payload: object) => seen.push({ at: Date.now(), event, payload: { ...payload } }));
  }
  return seen;
}

function figure(line: string): void {
  process.stderr.write(`[leases] ${line}\n`);
}

/**
 * The application: one session per credentials, opened as soon as they are handed over, and a
 * loop that queries through the newest session without pause, counting answers and failures.
 */
class Consumer {
  public ok = 0;
  public readonly failures: string[] = [];
  private readonly sessions = new Map<string, DatabaseSession>();
  private active: DatabaseSession | undefined;
  private running = false;
  private closed = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly db: DatabaseUnderTest) {}

  /** The `onCredentials` hook: connect with the new credentials, then switch to them. */
  readonly onCredentials = async (update: CredentialsUpdate): Promise<void> => {
    const session = await this.db.connect(update.current);
    if (this.closed) {
      // Handed over while the test was stopping: an open driver would keep the process alive.
      await session.close();
      return;
    }
    this.sessions.set(update.current.leaseId, session);
    this.active = session;
  };

  /** Close the session of a lease that ended. */
  async retire(leaseId: string): Promise<void> {
    const session = this.sessions.get(leaseId);
    this.sessions.delete(leaseId);
    await session?.close();
  }

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const session = this.active;
        if (!session) {
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        try {
          await session.query();
          this.ok++;
        } catch (error) {
          this.failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.closed = true;
    await this.loop;
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
    this.sessions.clear();
  }
}

describe.each<DatabaseKind>(["cassandra", "postgres", "mariadb"])(`LeaseManager with a real ${flavor} and a real %s`, (kind) => {
  let db: DatabaseUnderTest;
  let vault: DevServer;
  let vaultProxy: TcpProxy;
  let client: VaultClient;
  /** The password Vault logs in to the database with: it must not show in anything the runtime reports either. */
  let adminPassword: string;

  beforeAll(async () => {
    [db, vault] = await Promise.all([startDatabase(kind), startDevServer(flavor)]);
    vaultProxy = await TcpProxy.start(Number(new URL(vault.address).port));
    await admin(vault, "POST", "sys/mounts/database", { type: "database" });
    const config = await db.connectionConfig("vault_admin", ["app", "overlap", "tokenbound"]);
    adminPassword = String(config.password);
    await admin(vault, "POST", "database/config/db", config);
    // Leases far longer than the token that creates them: they would die with it.
    await admin(vault, "POST", "database/roles/tokenbound", {
      db_name: "db",
      creation_statements: db.creationStatements,
      default_ttl: "60s",
      max_ttl: "10m",
    });
    // For the overlap: a longer lease, so that a rotation leaves more than twice the grace period.
    await admin(vault, "POST", "database/roles/overlap", {
      db_name: "db",
      creation_statements: db.creationStatements,
      default_ttl: "5s",
      max_ttl: "12s",
    });
    // Leases of seconds: renewed every 2–3.2 s, cut by the 10 s max TTL, so rotated every few seconds.
    await admin(vault, "POST", "database/roles/app", {
      db_name: "db",
      creation_statements: db.creationStatements,
      default_ttl: "4s",
      max_ttl: "10s",
    });
    client = new VaultClient({ address: `http://127.0.0.1:${vaultProxy.port}`, token: vault.token });
    figure(`${db.label}, ${flavor} ${vault.version}`);
  }, 300_000);

  /** Undo a cut the test that made it could not undo itself (it failed). */
  let healDatabase: (() => Promise<void>) | undefined;
  let healVault: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await healDatabase?.();
    await healVault?.();
    healDatabase = undefined;
    healVault = undefined;
  });

  afterAll(async () => {
    await client?.close();
    await vaultProxy?.stop();
    await vault?.stop();
    await db?.stop();
  });

  it("serves a consumer querying without pause with no failure while leases renew, rotate with an overlap, and are revoked", async () => {
    const consumer = new Consumer(db);
    const manager = new LeaseManager({
      requester: client,
      rotation: { previous: "revoke", graceMs: 1_500 },
      registry: client.metrics.registry,
      // Renewals and rotations at exactly half of what is left (the band's spread is unit-tested):
      // renewals at 2.5, 5, 7.5 s, the last one cut to 4–4.5 s by the 12 s max TTL, the rotation
      // 2–2.25 s later, the old lease revoked 1.5 s after that, before its own end.
      random: () => 0,
    });
    const events = record(manager);
    /** Login checks of old and new credentials made at each rotation; `inGrace`: finished before the old were revoked. */
    const overlaps: { bothLogIn: boolean; validCount: number; inGrace: boolean }[] = [];
    const ended = new Set<string>();
    const revokedCreds: DatabaseCredentials[] = [];
    const byLease = new Map<string, DatabaseCredentials>();
    manager.on("created", (e) => {
      const creds = manager.current("app");
      if (creds?.leaseId === e.leaseId) byLease.set(e.leaseId, creds);
    });
    manager.on("rotated", (e) => {
      const previous = byLease.get(e.previousLeaseId);
      const current = byLease.get(e.leaseId);
      const validCount = manager.valid("app").length;
      if (!previous || !current) return;
      void Promise.all([db.canLogIn(previous), db.canLogIn(current)]).then(([a, b]) =>
        overlaps.push({ bothLogIn: a === true && b === true, validCount, inGrace: !ended.has(e.previousLeaseId) }),
      );
    });
    manager.on("revoked", (e) => {
      ended.add(e.leaseId);
      const creds = byLease.get(e.leaseId);
      if (creds) revokedCreds.push(creds);
      void consumer.retire(e.leaseId);
    });
    manager.on("expired", (e) => {
      ended.add(e.leaseId);
      void consumer.retire(e.leaseId);
    });
    const since = Date.now();
    const started = Date.now();
    await manager.manage({ name: "app", role: "overlap", onCredentials: consumer.onCredentials });
    consumer.start();
    let metrics = "";
    try {
      await waitFor(async () => (events.filter((e) => e.event === "revoked").length >= 2 && overlaps.length >= 2 ? true : undefined), {
        timeoutMs: 90_000,
        intervalMs: 200,
        describe: () => `not two rotations and revocations: ${JSON.stringify(events.map((e) => e.event))}`,
      });
      metrics = await client.metrics.text();
    } finally {
      await consumer.stop();
      await manager.stop();
    }
    const elapsed = Date.now() - started;
    const count = (event: keyof LeaseManagerEvents): number => events.filter((e) => e.event === event).length;
    figure(
      `${kind} consumer: ${consumer.ok} queries in ${(elapsed / 1000).toFixed(1)} s, ${consumer.failures.length} failed; ` +
        `created ${count("created")}, renewed ${count("renewed")}, rotated ${count("rotated")}, revoked ${count("revoked")}, errors ${count("error")}`,
    );
    expect(consumer.failures).toEqual([]);
    expect(consumer.ok).toBeGreaterThan(100);
    expect(count("renewed")).toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e.event === "renewed" && e.payload.truncated === true).length).toBeGreaterThanOrEqual(1);
    // The overlap: at each rotation both were served, and both the old and the new credentials
    // logged in (checks that a loaded machine finished only after the revocation prove nothing).
    expect(overlaps.every((o) => o.validCount === 2)).toBe(true);
    expect(overlaps.filter((o) => o.inGrace).length).toBeGreaterThanOrEqual(1);
    expect(overlaps.filter((o) => o.inGrace).every((o) => o.bothLogIn)).toBe(true);
    // After their grace period the old credentials were revoked, and no longer log in.
    expect(events.filter((e) => e.event === "revoked").every((e) => e.payload.reason === "rotation")).toBe(true);
    for (const creds of revokedCreds) expect(await db.canLogIn(creds)).not.toBe(true);
    // One `creds/` request per set of credentials: nothing was asked twice.
    expect(vaultProxy.count("/v1/database/creds/overlap", since)).toBe(count("created"));
    expect(metrics).toMatch(/vaultsmith_lease_events_total\{event="rotated"\} [2-9]/);
  }, 120_000);

  it("with Vault cut off the database, keeps credential requests under the storm guard's bound and serves the last valid credentials until they end", async () => {
    const guard = { maxRequests: 3, intervalMs: 5_000 };
    const manager = new LeaseManager({ requester: client, backoff: { minMs: 200, maxMs: 1_000 }, stormGuard: guard });
    const events = record(manager);
    const served: { at: number; leaseId: string | undefined }[] = [];
    const first = await manager.manage({ name: "app", role: "app" });
    await waitFor(async () => (events.some((e) => e.event === "renewed") ? true : undefined), {
      timeoutMs: 20_000,
      describe: () => "no renewal",
    });
    await db.proxy.refuse();
    const cutAt = Date.now();
    healDatabase = () => db.proxy.heal();
    const sampler = setInterval(() => served.push({ at: Date.now(), leaseId: manager.current("app")?.leaseId }), 100);
    let expiredAt: number;
    try {
      // The credentials in hand run out (Vault can neither renew them nor make new ones), and some
      // more time passes with requests failing.
      expiredAt = await waitFor(async () => events.find((e) => e.event === "expired" && e.payload.reason === "ttl")?.at, {
        timeoutMs: 60_000,
        intervalMs: 100,
        describe: () => `the credentials never expired: ${JSON.stringify(events.map((e) => e.event))}`,
      });
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    } finally {
      clearInterval(sampler);
    }
    const requests = vaultProxy.requests.filter((r) => r.at >= cutAt && r.path === CREDS_PATH).map((r) => r.at);
    const window = Date.now() - cutAt;
    figure(
      `${kind} database cut off for ${(window / 1000).toFixed(1)} s: ${requests.length} creds requests (bound ${guard.maxRequests}/${guard.intervalMs / 1000} s), ` +
        `${events.filter((e) => e.event === "error" && e.payload.operation === "create" && Number(e.payload.retryInMs) > 1_000).length} retries held back by the guard, ` +
        `${events.filter((e) => e.event === "error").length} error events`,
    );
    // The bound: at most 3 in any 5 s (a 250 ms allowance for the proxy seeing a request later than it was let through).
    for (const start of requests)
      expect(requests.filter((at) => at >= start && at < start + guard.intervalMs - 250).length).toBeLessThanOrEqual(3);
    expect(requests.length).toBeLessThanOrEqual(guard.maxRequests * Math.ceil(window / guard.intervalMs) + guard.maxRequests);
    expect(requests.length).toBeGreaterThan(0);
    // The guard, not the backoff (≤ 1 s), set some retries: it held requests back.
    expect(events.some((e) => e.event === "error" && e.payload.operation === "create" && Number(e.payload.retryInMs) > 1_000)).toBe(true);
    // Until their end the first credentials (or a rotation's, none here) were served; none after.
    const before = served.filter((s) => s.at < expiredAt - 50);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((s) => s.leaseId === first.leaseId)).toBe(true);
    expect(served.filter((s) => s.at > expiredAt + 50).every((s) => s.leaseId === undefined)).toBe(true);
    // The alerts: errors while still valid, `expiring` before the end.
    expect(events.some((e) => e.event === "error" && e.payload.currentValid === true)).toBe(true);
    expect(events.some((e) => e.event === "expiring" && e.at <= expiredAt)).toBe(true);

    await db.proxy.heal();
    healDatabase = undefined;
    const recovered = await waitFor(async () => manager.current("app"), {
      timeoutMs: 30_000,
      intervalMs: 100,
      describe: () => "no credentials after the database came back",
    });
    expect(recovered.leaseId).not.toBe(first.leaseId);
    expect(events.find((e) => e.event === "created" && e.payload.leaseId === recovered.leaseId)?.payload.reason).toBe("after-expiry");
    expect(await db.canLogIn(recovered)).toBe(true);
    await manager.stop();
  }, 150_000);

  it("with Vault unreachable, keeps serving the credentials in hand (they still log in) until they end, raises alerts, and recovers", async () => {
    const guard = { maxRequests: 3, intervalMs: 5_000 };
    const manager = new LeaseManager({ requester: client, backoff: { minMs: 200, maxMs: 1_000 }, stormGuard: guard });
    const events = record(manager);
    try {
      const first = await manager.manage({ name: "app", role: "app" });
      await vaultProxy.refuse();
      healVault = () => vaultProxy.heal();
      const firstError = await waitFor(async () => events.find((e) => e.event === "error"), {
        timeoutMs: 20_000,
        describe: () => "no failed renewal",
      });
      expect(firstError.payload).toMatchObject({ operation: "renew", currentValid: true });
      expect(manager.current("app")?.leaseId).toBe(first.leaseId);
      expect(await db.canLogIn(first)).toBe(true);
      const expiredAt = await waitFor(async () => events.find((e) => e.event === "expired" && e.payload.reason === "ttl")?.at, {
        timeoutMs: 30_000,
        describe: () => `the credentials never expired: ${JSON.stringify(events.map((e) => e.event))}`,
      });
      expect(events.some((e) => e.event === "expiring" && e.at <= expiredAt)).toBe(true);
      expect(manager.current("app")).toBeUndefined();
      const attempts = events.filter((e) => e.event === "error" && e.payload.operation === "create").map((e) => e.at);
      for (const start of attempts)
        expect(attempts.filter((at) => at >= start && at < start + guard.intervalMs - 250).length).toBeLessThanOrEqual(3);
      await vaultProxy.heal();
      healVault = undefined;
      const recovered = await waitFor(async () => manager.current("app"), {
        timeoutMs: 60_000,
        intervalMs: 100,
        describe: () => "no credentials after Vault came back",
      });
      expect(events.find((e) => e.event === "created" && e.payload.leaseId === recovered.leaseId)?.payload.reason).toBe("after-expiry");
      expect(await db.canLogIn(recovered)).toBe(true);
      figure(
        `${kind} Vault unreachable: ${events.filter((e) => e.event === "error").length} failed attempts, new credentials ${((Date.now() - expiredAt) / 1000).toFixed(1)} s after the old ended (Vault back)`,
      );
    } finally {
      await manager.stop();
    }
  }, 150_000);

  it("re-creates the credentials after the token that created them was revoked and a new login replaced it; revokes them on stop", async () => {
    await enableAuth(vault, "approle").catch(() => undefined);
    await writePolicy(
      vault,
      "leases-app",
      `path "database/creds/app" { capabilities = ["read"] }
path "sys/leases/renew" { capabilities = ["update"] }
path "sys/leases/revoke" { capabilities = ["update"] }`,
    );
    await admin(vault, "POST", "auth/approle/role/app", { token_policies: ["leases-app"], token_ttl: "1h", token_max_ttl: "1h" });
    const roleId = (await admin<{ data: { role_id: string } }>(vault, "GET", "auth/approle/role/app/role-id")).data.role_id;
    const secretId = (await admin<{ data: { secret_id: string } }>(vault, "POST", "auth/approle/role/app/secret-id")).data.secret_id;
    const appClient = new VaultClient({ address: `http://127.0.0.1:${vaultProxy.port}` });
    const tokens = new TokenManager({ requester: appClient, methods: [new AppRoleAuth({ roleId, secretId })] });
    const logins: LoginEvent[] = [];
    tokens.on("login", (e) => logins.push(e));
    await tokens.token();
    const manager = new LeaseManager({ requester: appClient, tokens, revokeOnStop: true });
    const events = record(manager);
    try {
      const first = await manager.manage({ name: "app", role: "app" });
      expect(await db.canLogIn(first)).toBe(true);
      // An operator revokes the application's token: Vault revokes its leases, the database user goes.
      await admin(vault, "POST", "auth/token/revoke-accessor", { accessor: tokens.info!.accessor });
      await waitFor(async () => ((await db.canLogIn(first)) === true ? undefined : true), {
        timeoutMs: 20_000,
        describe: () => "the user outlived its token",
      });
      const second = await waitFor(
        async () => {
          const current = manager.current("app");
          return current && current.leaseId !== first.leaseId ? current : undefined;
        },
        {
          timeoutMs: 30_000,
          intervalMs: 100,
          describe: () => `no new credentials: ${JSON.stringify(events.map((e) => [e.event, e.payload.reason]))}`,
        },
      );
      expect(logins.map((l) => l.reason)).toEqual(["initial", "after-expiry"]);
      expect(events.find((e) => e.event === "expired")?.payload).toMatchObject({ leaseId: first.leaseId, reason: "token-expired" });
      expect(events.find((e) => e.event === "created" && e.payload.leaseId === second.leaseId)?.payload.reason).toBe("token-expired");
      expect(await db.canLogIn(second)).toBe(true);
      await manager.stop();
      expect(events.filter((e) => e.event === "revoked").map((e) => [e.payload.leaseId, e.payload.reason])).toEqual([
        [second.leaseId, "stop"],
      ]);
      expect(await db.canLogIn(second)).not.toBe(true);
    } finally {
      await manager.stop();
      await tokens.stop();
      await appClient.close();
    }
  }, 120_000);

  it("rotates the leases of a token that a re-login replaced before that token ends, so a consumer never notices", async () => {
    await enableAuth(vault, "approle").catch(() => undefined);
    await writePolicy(
      vault,
      "tokenbound-app",
      `path "database/creds/tokenbound" { capabilities = ["read"] }
path "sys/leases/renew" { capabilities = ["update"] }
path "sys/leases/revoke" { capabilities = ["update"] }`,
    );
    // Tokens of at most 12 s: the TokenManager logs in again every few seconds and leaves the old
    // token to expire — and Vault revokes the 60 s leases it created when it does. The re-login
    // comes at half of what the old token has left, which leaves the rotation 2–4 s (a loaded
    // machine needs them: creating a Cassandra user and connecting with it took over a second).
    await admin(vault, "POST", "auth/approle/role/shortlived", {
      token_policies: ["tokenbound-app"],
      token_ttl: "8s",
      token_max_ttl: "12s",
    });
    const roleId = (await admin<{ data: { role_id: string } }>(vault, "GET", "auth/approle/role/shortlived/role-id")).data.role_id;
    const secretId = (await admin<{ data: { secret_id: string } }>(vault, "POST", "auth/approle/role/shortlived/secret-id")).data.secret_id;
    const appClient = new VaultClient({ address: `http://127.0.0.1:${vaultProxy.port}` });
    const tokens = new TokenManager({
      requester: appClient,
      methods: [new AppRoleAuth({ roleId, secretId })],
      renewal: { earliest: 0.5, latest: 0.5 },
    });
    const logins: { at: number; event: LoginEvent }[] = [];
    const tokenEnds = new Map<string | undefined, number>();
    tokens.on("login", (e) => logins.push({ at: Date.now(), event: e }));
    tokens.on("token-renewed", (e) => tokenEnds.set(e.accessor, Date.now() + e.ttlSeconds * 1000));
    tokens.on("login", (e) => tokenEnds.set(e.accessor, Date.now() + e.ttlSeconds * 1000));
    await tokens.token();
    const consumer = new Consumer(db);
    const manager = new LeaseManager({ requester: appClient, tokens, rotation: { previous: "expire", graceMs: 2_000 }, random: () => 0 });
    const events = record(manager);
    const byLease = new Map<string, { creds: DatabaseCredentials; accessor: string | undefined }>();
    try {
      await manager.manage({
        name: "app",
        role: "tokenbound",
        onCredentials: async (u) => {
          byLease.set(u.current.leaseId, { creds: u.current, accessor: tokens.info?.accessor });
          await consumer.onCredentials(u);
        },
      });
      consumer.start();
      // Two re-logins, each followed by a rotation onto the new token.
      await waitFor(async () => (logins.length >= 3 && events.filter((e) => e.event === "rotated").length >= 2 ? true : undefined), {
        timeoutMs: 60_000,
        intervalMs: 200,
        describe: () => `logins ${logins.length}, events ${JSON.stringify(events.map((e) => e.event))}`,
      });
      // Let the first token end: its lease ends with it.
      const firstAccessor = logins[0].event.accessor;
      await waitFor(async () => (Date.now() > (tokenEnds.get(firstAccessor) ?? Infinity) + 1_000 ? true : undefined), {
        timeoutMs: 20_000,
        describe: () => "the first token did not end",
      });
    } finally {
      await consumer.stop();
      await manager.stop();
      await tokens.stop();
      await appClient.close();
    }
    expect(logins.slice(1).every((l) => l.event.reason === "re-login")).toBe(true);
    const rotations = events.filter((e) => e.event === "rotated");
    for (const rotation of rotations) {
      const old = byLease.get(String(rotation.payload.previousLeaseId));
      // Each rotation came before the end of the token that had created the replaced lease (60 s lease, 8 s token).
      expect(rotation.at).toBeLessThan(tokenEnds.get(old?.accessor) ?? 0);
    }
    // Vault did revoke the first lease with its token, well before the lease's own 60 s: the rotation was needed.
    const first = [...byLease.values()][0];
    expect(await db.canLogIn(first.creds)).not.toBe(true);
    figure(
      `${kind} token-bound leases: ${logins.length} logins, ${rotations.length} rotations, ${consumer.ok} queries, ${consumer.failures.length} failed`,
    );
    expect(consumer.failures).toEqual([]);
    expect(consumer.ok).toBeGreaterThan(10);
  }, 120_000);

  it("writes nothing to the console or stdio and puts no password into events, errors or metrics, through renewals and failures", async () => {
    const written: string[] = [];
    const spies = [
      jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true)),
      jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true)),
      ...(["log", "info", "warn", "error", "debug"] as const).map((level) =>
        jest.spyOn(console, level).mockImplementation((...args: unknown[]) => written.push(args.map(String).join(" "))),
      ),
    ];
    const manager = new LeaseManager({ requester: client, registry: client.metrics.registry, backoff: { minMs: 200, maxMs: 1_000 } });
    const events = record(manager);
    const passwords: string[] = [adminPassword];
    try {
      const creds = await manager.manage({ name: "app", role: "app", onCredentials: (u) => void passwords.push(u.current.password) });
      await waitFor(async () => (events.some((e) => e.event === "renewed") ? true : undefined), {
        timeoutMs: 20_000,
        describe: () => "no renewal",
      });
      // Failures too: Vault cut off the database, so renewals (PostgreSQL) or rotations fail with Vault's own messages.
      await db.proxy.refuse();
      healDatabase = () => db.proxy.heal();
      await waitFor(async () => (events.some((e) => e.event === "error") ? true : undefined), {
        timeoutMs: 30_000,
        describe: () => "no failure",
      });
      await db.proxy.heal();
      healDatabase = undefined;
      await manager.stop();
      // Tidy up; the lease ends on its own in seconds if the database plugin has not reconnected yet.
      await client
        .database()
        .revoke(creds.leaseId)
        .catch(() => undefined);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
      await manager.stop();
    }
    const errors = events.filter((e) => e.event === "error").map((e) => e.payload.error as Error);
    expect(errors.length).toBeGreaterThan(0);
    const shown = [
      JSON.stringify(events),
      ...events.map((e) => inspect(e.payload, { depth: 8 })),
      ...errors.map((e) => `${e.message} ${e.stack ?? ""} ${inspect(e, { depth: 8 })}`),
      await client.metrics.text(),
      written.join(""),
    ].join("\n");
    expect(passwords.length).toBeGreaterThanOrEqual(2);
    for (const password of passwords) expect(shown).not.toContain(password);
    expect(written).toEqual([]);
  }, 90_000);
});
