/**
 * RotationScheduler against a real OpenBao dev server and a real PostgreSQL (Debian's package):
 * reader loops that never fail while a KV secret, a transit key and a static role rotate; the
 * grace period (old and new both work, then the `afterGrace` step); rollback of a KV secret;
 * retries and failures; the audit trail of every rotation; root-credential and certificate
 * rotation; and typed errors for bad input that change nothing.
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import {
  CertificateManager,
  RotationAuditRecord,
  RotationFailedError,
  RotationInputError,
  RotationRollbackError,
  RotationScheduler,
  RotationSucceededEvent,
  RotationTargetNotFoundError,
  RotationUnknownTargetError,
  SecretData,
  TransitKeyVersionTooOldError,
  VaultClient,
} from "../../../../runtime";
import { DatabaseUnderTest, DatabaseSession, startDatabase } from "../../../support/database-under-test";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { setUpPkiMount, writePkiRole } from "../../../support/pki-mount";
import { selectedFlavors } from "../../../support/server-binaries";
import { admin } from "../../../support/vault-admin";

const flavor = selectedFlavors()[0];
const secretValue = (): string => randomBytes(16).toString("hex");

/** Run `body` without pause until `stop()`; resolves with the number of iterations and every error seen. */
function loop(body: () => Promise<void>): { stop: () => Promise<{ iterations: number; errors: unknown[] }> } {
  let running = true;
  const errors: unknown[] = [];
  let iterations = 0;
  const done = (async () => {
    while (running) {
      try {
        await body();
      } catch (error) {
        errors.push(error);
      }
      iterations += 1;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return { iterations, errors };
    },
  };
}

/** The next `count` `rotated` events of `id`. */
async function rotations(scheduler: RotationScheduler, id: string, count: number): Promise<RotationSucceededEvent[]> {
  const seen: RotationSucceededEvent[] = [];
  while (seen.length < count) {
    const [event] = (await once(scheduler, "rotated")) as [RotationSucceededEvent];
    if (event.id === id) seen.push(event);
  }
  return seen;
}

describe(`RotationScheduler against a real ${flavor} dev server and PostgreSQL`, () => {
  let vault: DevServer;
  let db: DatabaseUnderTest;
  let client: VaultClient;
  const staticUser = { username: "rotated_app", password: randomBytes(12).toString("hex") };

  beforeAll(async () => {
    [vault, db] = await Promise.all([startDevServer(flavor), startDatabase("postgres")]);
    await admin(vault, "POST", "sys/mounts/transit", { type: "transit" });
    await admin(vault, "POST", "sys/mounts/database", { type: "database" });
    await admin(vault, "POST", "database/config/pg", await db.connectionConfig("vault_admin", ["rotated", "dyn"]));
    await admin(vault, "POST", "database/roles/dyn", {
      db_name: "pg",
      creation_statements: db.creationStatements,
      default_ttl: "1m",
      max_ttl: "5m",
    });
    await db.createUser(staticUser);
    await admin(vault, "POST", "database/static-roles/rotated", { db_name: "pg", username: staticUser.username, rotation_period: "1h" });
    client = new VaultClient({ address: vault.address, token: vault.token, cache: false });
  }, 180_000);

  afterAll(async () => {
    await client?.close();
    await vault?.stop();
    await db?.stop();
  });

  it("rotates a KV secret on its interval while a reader loop never fails, keeps the old version through the grace period, then soft-deletes it", async () => {
    const kv = client.kv();
    await kv.write("app/api", { token: secretValue() });
    const audit: RotationAuditRecord[] = [];
    const scheduler = new RotationScheduler({ client, audit: (r) => void audit.push(r) });
    const generated: string[] = [];
    const upcoming: string[] = [];
    scheduler.on("upcoming", (e) => void upcoming.push(e.id));
    const graceEnded: { retiredVersion?: string; action: string }[] = [];
    scheduler.on("grace-ended", (e) => void graceEnded.push(e));
    const hookCalls: string[] = [];
    try {
      const status = await scheduler.add({
        id: "api-token",
        target: {
          kind: "kv",
          path: "app/api",
          generate: (current) => {
            expect(typeof current?.token).toBe("string");
            const token = secretValue();
            generated.push(token);
            return { token };
          },
          afterGrace: "delete",
        },
        policy: { intervalMs: 800, gracePeriodMs: 1_500, noticeMs: 300 },
        beforeRotate: (e) => void hookCalls.push(`before:${e.trigger}`),
        onRotated: (e) => void hookCalls.push(`after:${e.toVersion}`),
      });
      expect(status).toMatchObject({ id: "api-token", kind: "kv", version: "1" });
      expect(status.nextDueAt).toBeInstanceOf(Date);

      const seenTokens = new Set<string>();
      const reader = loop(async () => {
        const secret = await kv.read<{ token: string }>("app/api", { cache: "bypass" });
        if (!secret) throw new Error("the secret was missing");
        seenTokens.add(secret.data.token);
      });
      const events = await rotations(scheduler, "api-token", 3);
      // During its grace period the replaced version is still readable by number.
      const previous = await kv.read<{ token: string }>("app/api", { version: Number(events[2].fromVersion), cache: "bypass" });
      expect(previous?.data.token).toBe(generated[1]);
      const result = await reader.stop();
      expect(result.errors).toEqual([]);
      expect(result.iterations).toBeGreaterThan(3);
      expect(events.map((e) => [e.fromVersion, e.toVersion, e.trigger])).toEqual([
        ["1", "2", "interval"],
        ["2", "3", "interval"],
        ["3", "4", "interval"],
      ]);
      const latest = await kv.read<{ token: string }>("app/api", { cache: "bypass" });
      expect(latest?.data.token).toBe(generated[2]);
      expect(upcoming.filter((id) => id === "api-token").length).toBeGreaterThanOrEqual(3);
      expect(hookCalls.slice(0, 4)).toEqual(["before:interval", "after:2", "before:interval", "after:3"]);

      await scheduler.stop();
      // Grace ended for the first replaced versions: they were soft-deleted, the newest was not.
      const meta = await kv.readMetadata("app/api");
      expect(graceEnded.length).toBeGreaterThanOrEqual(1);
      for (const ended of graceEnded) {
        expect(ended.action).toBe("deleted");
        expect(meta?.versions[String(ended.retiredVersion)].deletionTime).not.toBe("");
      }
      expect(meta?.versions["4"].deletionTime).toBe("");

      const successes = audit.filter((r) => r.outcome === "success");
      expect(successes.map((r) => [r.fromVersion, r.toVersion])).toEqual(events.map((e) => [e.fromVersion, e.toVersion]));
      expect(successes.every((r) => r.actor === "scheduler" && r.resource === "secret/app/api" && r.attempts === 1)).toBe(true);
      expect(successes.every((r) => typeof r.tokenAccessor === "string" && r.tokenAccessor.length > 0)).toBe(true);
      const shown = JSON.stringify(scheduler.auditTrail());
      for (const token of generated) expect(shown).not.toContain(token);
    } finally {
      await scheduler.stop();
    }
  }, 60_000);

  it("rolls a KV secret back to the previous version or a chosen one, audited, and refuses versions that are gone without writing", async () => {
    const kv = client.kv();
    await kv.write("app/rollback", { password: "unused" });
    const values: string[] = [];
    const scheduler = new RotationScheduler({ client });
    try {
      await scheduler.add({
        id: "db-password",
        target: {
          kind: "kv",
          path: "app/rollback",
          generate: () => {
            const password = secretValue();
            values.push(password);
            return { password };
          },
        },
      });
      await scheduler.rotateNow("db-password", { actor: "alice" }); // v2
      await scheduler.rotateNow("db-password", { actor: "alice" }); // v3
      const back = await scheduler.rollback("db-password", { actor: "bob" });
      expect(back).toMatchObject({ trigger: "rollback", fromVersion: "3", toVersion: "4" });
      expect((await kv.read("app/rollback", { cache: "bypass" }))?.data).toEqual({ password: values[0] });
      const toFirst = await scheduler.rollback("db-password", { toVersion: 1 });
      expect(toFirst.toVersion).toBe("5");
      expect((await kv.read("app/rollback", { cache: "bypass" }))?.data).toEqual({ password: "unused" });

      await kv.destroy("app/rollback", [2]);
      for (const [options, pattern] of [
        [{ toVersion: 2 }, /deleted, destroyed/],
        [{ toVersion: 5 }, /not below the current version 5/],
        [{ toVersion: 0 }, /positive integer/],
      ] as const) {
        const error = await scheduler.rollback("db-password", options).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RotationRollbackError);
        expect(String(error)).toMatch(pattern);
      }
      expect((await kv.readMetadata("app/rollback"))?.currentVersion).toBe(5);

      const trail = scheduler.auditTrail();
      expect(trail.map((r) => [r.trigger, r.actor, r.fromVersion, r.toVersion, r.restoredVersion])).toEqual([
        ["on-demand", "alice", "1", "2", undefined],
        ["on-demand", "alice", "2", "3", undefined],
        ["rollback", "bob", "3", "4", "2"],
        ["rollback", "api", "4", "5", "1"],
      ]);
      for (const value of values) expect(JSON.stringify(trail)).not.toContain(value);
    } finally {
      await scheduler.stop();
    }
  });

  it("retries a failed attempt with backoff, and after the last attempt reports the failure, keeps the current version and audits it", async () => {
    const kv = client.kv();
    await kv.write("app/flaky", { n: "0" });
    const scheduler = new RotationScheduler({ client, attempts: 3, backoff: { minMs: 50, maxMs: 200 } });
    const retries: number[] = [];
    scheduler.on("retry", (e) => void retries.push(e.attempt));
    let calls = 0;
    let fail = 1;
    try {
      await scheduler.add({
        id: "flaky",
        target: {
          kind: "kv",
          path: "app/flaky",
          generate: () => {
            calls += 1;
            if (calls <= fail) throw new Error("generator unavailable");
            return { n: String(calls) };
          },
        },
      });
      const ok = await scheduler.rotateNow("flaky");
      expect(ok.toVersion).toBe("2");
      expect(retries).toEqual([1]);

      fail = Infinity;
      const failedEvent = once(scheduler, "failed");
      const error = await scheduler.rotateNow("flaky").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RotationFailedError);
      expect(error).toMatchObject({ attempts: 3, targetId: "flaky" });
      expect(String(error)).toContain("generator unavailable");
      expect(((await failedEvent) as [{ attempts: number }])[0].attempts).toBe(3);
      expect((await kv.readMetadata("app/flaky"))?.currentVersion).toBe(2);
      expect(scheduler.status("flaky")).toMatchObject({ version: "2", consecutiveFailures: 1 });
      const trail = scheduler.auditTrail();
      expect(trail.map((r) => [r.outcome, r.attempts, r.fromVersion, r.toVersion])).toEqual([
        ["success", 2, "1", "2"],
        ["failure", 3, "2", undefined],
      ]);
      expect(trail[1].error).toContain("generator unavailable");
    } finally {
      await scheduler.stop();
    }
  });

  it("does not write a KV value twice when an attempt finds it already written (an earlier attempt whose answer was lost)", async () => {
    const kv = client.kv();
    await kv.write("app/landed", { v: "0" });
    const scheduler = new RotationScheduler({ client });
    try {
      await scheduler.add({
        id: "landed",
        target: {
          kind: "kv",
          path: "app/landed",
          // Stands in for the lost answer: the value is on the server before the attempt looks.
          generate: async () => {
            const next = { v: secretValue() };
            await kv.write("app/landed", next);
            return next;
          },
        },
      });
      const event = await scheduler.rotateNow("landed");
      expect(event).toMatchObject({ fromVersion: "1", toVersion: "2" });
      expect((await kv.readMetadata("app/landed"))?.currentVersion).toBe(2);
      expect(scheduler.auditTrail().map((r) => [r.outcome, r.attempts])).toEqual([["success", 1]]);
    } finally {
      await scheduler.stop();
    }
  });

  it("rotates a transit key while encrypt/decrypt loops never fail; old ciphertexts decrypt during the grace period and are retired after it", async () => {
    const transit = client.transit();
    await transit.createKey("orders");
    const old = await transit.encrypt("orders", "before rotation");
    const scheduler = new RotationScheduler({ client });
    try {
      await scheduler.add({
        id: "orders-key",
        target: { kind: "transit-key", key: "orders", afterGrace: "retire" },
        policy: { gracePeriodMs: 2_500 },
      });
      const reader = loop(async () => {
        const c = await transit.encrypt("orders", "payload");
        if (Buffer.from(await transit.decrypt("orders", c.ciphertext)).toString() !== "payload")
          throw new Error("round trip changed the data");
        if (Buffer.from(await transit.decrypt("orders", old.ciphertext)).toString() !== "before rotation")
          throw new Error("old ciphertext changed");
      });
      const graceEnded = once(scheduler, "grace-ended");
      const first = await scheduler.rotateNow("orders-key");
      const second = await scheduler.rotateNow("orders-key");
      expect([first.fromVersion, first.toVersion, second.toVersion]).toEqual(["1", "2", "3"]);
      const result = await reader.stop();
      expect(result.errors).toEqual([]);
      expect(result.iterations).toBeGreaterThan(0);
      expect((await transit.encrypt("orders", "x")).ciphertext).toMatch(/^vault:v3:/);

      const [ended] = (await graceEnded) as [{ action: string; retiredVersion: string }];
      expect(ended).toMatchObject({ action: "retired", retiredVersion: "1" });
      expect((await transit.readKey("orders"))?.minDecryptionVersion).toBeGreaterThanOrEqual(2);
      await expect(transit.decrypt("orders", old.ciphertext)).rejects.toBeInstanceOf(TransitKeyVersionTooOldError);
      expect(scheduler.auditTrail().map((r) => [r.kind, r.resource, r.toVersion])).toEqual([
        ["transit-key", "transit/orders", "2"],
        ["transit-key", "transit/orders", "3"],
      ]);
    } finally {
      await scheduler.stop();
    }
  }, 30_000);

  it("rotates a static role by maximum age: a session opened before keeps querying, the new password logs in, the old one no longer does", async () => {
    const database = client.database();
    const before = await database.staticCredentials("rotated");
    const session: DatabaseSession = await db.connect(before);
    const scheduler = new RotationScheduler({ client });
    try {
      const rotated = rotations(scheduler, "static", 1);
      const reader = loop(() => session.query());
      // The role's password was set when it was created: with a one-second maximum age it is due at once.
      await scheduler.add({ id: "static", target: { kind: "database-static-role", role: "rotated" }, policy: { maxAgeMs: 1_000 } });
      const [event] = await rotated;
      await session.query(); // after the rotation, still the same session
      const result = await reader.stop();
      expect(result.errors).toEqual([]);
      expect(result.iterations).toBeGreaterThan(0);
      expect(event).toMatchObject({ trigger: "max-age", fromVersion: before.lastVaultRotation?.toISOString() });
      expect(event.toVersion).not.toBe(event.fromVersion);
      const after = await database.staticCredentials("rotated");
      expect(after.password).not.toBe(before.password);
      expect(await db.canLogIn(after)).toBe(true);
      expect(await db.canLogIn(before)).not.toBe(true);
      expect(JSON.stringify(scheduler.auditTrail())).not.toContain(after.password);
    } finally {
      await scheduler.stop();
      await session.close();
    }
  }, 30_000);

  it("rotates the root credentials of a connection (dynamic credentials keep being issued) and a managed certificate", async () => {
    await setUpPkiMount(vault, "pki");
    await writePkiRole(vault, "pki", "svc", {
      allowed_domains: ["example.com"],
      allow_subdomains: true,
      max_ttl: "1h",
      key_type: "ec",
      key_bits: 256,
    });
    const certificates = new CertificateManager({ requester: client });
    const scheduler = new RotationScheduler({ client, certificates });
    try {
      const first = await certificates.manage({ name: "svc", role: "svc", request: { common_name: "svc.example.com", ttl: "10m" } });
      await scheduler.add({ id: "root", target: { kind: "database-root", connection: "pg" } });
      await scheduler.add({ id: "cert", target: { kind: "certificate", name: "svc" } });
      await scheduler.rotateNow("root", { actor: "ops" });
      const creds = await client.database().credentials("dyn");
      expect(await db.canLogIn(creds)).toBe(true);
      const cert = await scheduler.rotateNow("cert");
      expect(cert.fromVersion).toBe(first.parsed.serial.colon);
      expect(cert.toVersion).toBe(certificates.current("svc")?.parsed.serial.colon);
      expect(cert.toVersion).not.toBe(cert.fromVersion);
      expect(scheduler.auditTrail().map((r) => [r.kind, r.resource, r.actor, r.outcome])).toEqual([
        ["database-root", "database/pg", "ops", "success"],
        ["certificate", "svc", "api", "success"],
      ]);
    } finally {
      await scheduler.stop();
      await certificates.stop();
    }
  }, 30_000);

  it("refuses bad input with typed errors before anything changes", async () => {
    const transit = client.transit();
    const scheduler = new RotationScheduler({ client });
    const generate = (): SecretData => ({ a: "b" });
    try {
      const keysBefore = await transit.listKeys();
      const staticBefore = await client.database().staticCredentials("rotated");
      for (const [registration, kind] of [
        [{ id: "k", target: { kind: "transit-key", key: "no-such-key" } }, RotationTargetNotFoundError],
        [{ id: "r", target: { kind: "database-static-role", role: "no-such-role" } }, RotationTargetNotFoundError],
        [{ id: "c", target: { kind: "database-root", connection: "no-such-connection" } }, RotationTargetNotFoundError],
        [{ id: "m", target: { kind: "kv", mount: "no-such-mount", path: "x", generate } }, RotationTargetNotFoundError],
        [{ id: "p", target: { kind: "kv", path: "../x", generate } }, RotationInputError],
        [{ id: "i", target: { kind: "transit-key", key: "orders" }, policy: { intervalMs: -5 } }, RotationInputError],
        [{ id: "a", target: { kind: "database-root", connection: "pg" }, policy: { maxAgeMs: 1000 } }, RotationInputError],
        [{ id: "cert", target: { kind: "certificate", name: "svc" } }, RotationInputError],
      ] as const) {
        const error = await scheduler.add(registration as Parameters<RotationScheduler["add"]>[0]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(kind);
        expect(error).toMatchObject({ targetId: registration.id });
      }
      const notFound = await scheduler.add({ id: "k", target: { kind: "transit-key", key: "no-such-key" } }).catch((e: unknown) => e);
      expect(notFound).toMatchObject({ kind: "transit-key", resource: "transit/no-such-key" });
      expect(() => scheduler.rotateNow("never-added")).toThrow(RotationUnknownTargetError);
      expect(() => scheduler.status("k")).toThrow(RotationUnknownTargetError);
      await scheduler.add({ id: "t", target: { kind: "transit-key", key: "orders" } });
      await expect(scheduler.add({ id: "t", target: { kind: "transit-key", key: "orders" } })).rejects.toBeInstanceOf(RotationInputError);
      await expect(scheduler.rollback("t")).rejects.toBeInstanceOf(RotationRollbackError);
      // Nothing was created or rotated by the refused registrations.
      expect(await transit.listKeys()).toEqual(keysBefore);
      expect((await client.database().staticCredentials("rotated")).password).toBe(staticBefore.password);
      expect(scheduler.auditTrail()).toEqual([]);
    } finally {
      await scheduler.stop();
    }
  });
});
