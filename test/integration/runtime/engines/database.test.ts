/**
 * The database secrets engine through `vault.database()` against a real OpenBao dev server and a
 * real database — PostgreSQL from Debian's package and Cassandra 5.0 with TLS and CQL passwords —
 * configured through the admin API: dynamic credentials that log in, are renewed and die with
 * their revoked lease; a renewal the max TTL cuts short; a static role rotated on demand;
 * rotate-root; and the typed errors of bad input.
 */
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import {
  DatabaseConnectionNotFoundError,
  DatabaseInputError,
  DatabaseRoleNotAllowedError,
  DatabaseRoleNotFoundError,
  LeaseRefusedError,
  VaultClient,
  VaultHttpError,
} from "../../../../runtime";
import { DatabaseKind, DatabaseUnderTest, startDatabase } from "../../../support/database-under-test";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { waitFor } from "../../../support/harness-http";
import { selectedFlavors } from "../../../support/server-binaries";
import { admin } from "../../../support/vault-admin";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const flavor = selectedFlavors()[0];

describe.each<DatabaseKind>(["postgres", "mariadb", "cassandra"])(
  `database engine of a real ${flavor} dev server against a real %s`,
  (kind) => {
    let db: DatabaseUnderTest;
    let vault: DevServer;
    let client: VaultClient;
    const staticUser = { username: "static_app", password: randomBytes(12).toString("hex") };
    let adminPassword: string;

    beforeAll(async () => {
      [db, vault] = await Promise.all([startDatabase(kind), startDevServer(flavor)]);
      process.stderr.write(`[database] ${db.label} and ${flavor} ${vault.version}\n`);
      await admin(vault, "POST", "sys/mounts/database", { type: "database" });
      const config = await db.connectionConfig("vault_admin", ["app", "short", "static-app"]);
      adminPassword = String(config.password);
      await admin(vault, "POST", "database/config/db", config);
      const role = (ttl: string, max: string) => ({
        db_name: "db",
        creation_statements: db.creationStatements,
        default_ttl: ttl,
        max_ttl: max,
      });
      await admin(vault, "POST", "database/roles/app", role("30s", "5m"));
      await admin(vault, "POST", "database/roles/short", role("4s", "6s"));
      await admin(vault, "POST", "database/roles/denied", role("30s", "5m"));
      await db.createUser(staticUser);
      // Creating a static role rotates its password at once; Cassandra 5 refuses a second change within 5 s.
      await sleep(db.passwordChangeIntervalMs);
      await admin(vault, "POST", "database/static-roles/static-app", {
        db_name: "db",
        username: staticUser.username,
        rotation_period: "1h",
      });
      client = new VaultClient({ address: vault.address, token: vault.token });
    }, 300_000);

    afterAll(async () => {
      await client?.close();
      await vault?.stop();
      await db?.stop();
    });

    it("creates dynamic credentials that log in, are renewed, and stop logging in once their lease is revoked", async () => {
      const database = client.database();
      expect(client.database("database")).toBe(database);
      const creds = await database.credentials("app");
      expect(creds.leaseId).toMatch(/^database\/creds\/app\//);
      expect(creds.leaseDurationSeconds).toBe(30);
      expect(creds.renewable).toBe(true);
      expect(creds.username.length).toBeGreaterThan(0);
      expect(await db.canLogIn(creds)).toBe(true);
      // The password shows nowhere unless read by name.
      const shown = `${inspect(creds)} ${JSON.stringify(creds)} ${String(creds)}`;
      expect(shown).toContain(creds.username);
      expect(shown).not.toContain(creds.password);

      const renewed = await database.renew(creds.leaseId, 20);
      expect(renewed).toMatchObject({ leaseId: creds.leaseId, leaseDurationSeconds: 20, renewable: true });
      const looked = await database.leases.lookup(creds.leaseId);
      expect(looked.ttlSeconds).toBeGreaterThan(15);
      expect(looked.ttlSeconds).toBeLessThanOrEqual(20);
      expect(looked.renewable).toBe(true);
      expect(await db.canLogIn(creds)).toBe(true);

      await database.revoke(creds.leaseId);
      const refused = await db.canLogIn(creds);
      expect(refused).not.toBe(true);
      expect(String(refused)).not.toContain(creds.password);
      // Vault has forgotten the lease: renewing and looking it up are refused as such, revoking again is harmless.
      const renewError = await database.renew(creds.leaseId).catch((e: unknown) => e);
      expect(renewError).toBeInstanceOf(LeaseRefusedError);
      expect(renewError).toMatchObject({ reason: "not-found", leaseId: creds.leaseId, status: 400 });
      await expect(database.leases.lookup(creds.leaseId)).rejects.toBeInstanceOf(LeaseRefusedError);
      await expect(database.revoke(creds.leaseId)).resolves.toBeUndefined();
    });

    it("says when the max TTL cut a renewal short", async () => {
      const creds = await client.database().credentials("short");
      expect(creds.leaseDurationSeconds).toBe(4);
      await sleep(3_200);
      // 6 s max from issue, over 3 s gone (Vault counts whole seconds): less than the 4 s asked for.
      const renewed = await client.database().renew(creds.leaseId, 4);
      expect(renewed.leaseDurationSeconds).toBeLessThan(4);
      expect(renewed.leaseDurationSeconds).toBeGreaterThan(0);
      await client.database().revoke(creds.leaseId);
    });

    it("reads a static role's credentials and rotates them on demand: the old password stops working, the new one logs in", async () => {
      const database = client.database();
      const before = await database.staticCredentials("static-app");
      expect(before.username).toBe(staticUser.username);
      expect(before.rotationPeriodSeconds).toBe(3600);
      expect(before.ttlSeconds).toBeGreaterThan(3500);
      expect(before.lastVaultRotation).toBeInstanceOf(Date);
      // Vault rotated it when the role was created: the password the test set no longer works.
      expect(before.password).not.toBe(staticUser.password);
      expect(await db.canLogIn(before)).toBe(true);
      expect(await db.canLogIn(staticUser)).not.toBe(true);
      expect(JSON.stringify(before)).not.toContain(before.password);

      await sleep(db.passwordChangeIntervalMs);
      await database.rotateRole("static-app");
      const after = await database.staticCredentials("static-app");
      expect(after.password).not.toBe(before.password);
      expect(after.lastVaultRotation!.getTime()).toBeGreaterThan(before.lastVaultRotation!.getTime());
      expect(await db.canLogIn(after)).toBe(true);
      expect(await db.canLogIn(before)).not.toBe(true);
    });

    it("rotates the root credentials: Vault keeps creating users with the password only it knows", async () => {
      // A connection of its own, so the other tests keep theirs.
      const config = await db.connectionConfig("vault_root", ["rooted"]);
      await admin(vault, "POST", "database/config/rooted", config);
      await admin(vault, "POST", "database/roles/rooted", {
        db_name: "rooted",
        creation_statements: db.creationStatements,
        default_ttl: "30s",
      });
      const original = { username: "vault_root", password: String(config.password) };
      expect(await db.canLogIn(original)).toBe(true);
      await sleep(db.passwordChangeIntervalMs);
      await client.database().rotateRoot("rooted");
      expect(await db.canLogIn(original)).not.toBe(true);
      const creds = await client.database().credentials("rooted");
      expect(await db.canLogIn(creds)).toBe(true);
      await client.database().revoke(creds.leaseId);
    });

    it("fails with Vault's own error while the database is down — no typed refusal, no password — and works again once it is back", async () => {
      const database = client.database();
      const creds = await database.credentials("app");
      await db.down();
      try {
        const failed = await database.credentials("app").catch((e: unknown) => e);
        expect(failed).toBeInstanceOf(VaultHttpError);
        expect(failed).not.toBeInstanceOf(DatabaseRoleNotFoundError);
        expect((failed as VaultHttpError).status).toBe(500);
        expect(String((failed as Error).message)).not.toContain(adminPassword);
        // Renewing: PostgreSQL's plugin extends VALID UNTIL in the database, so it fails — with a
        // 400 that is *not* a refusal of the lease; Cassandra's does not touch the database.
        const renewal = await database.renew(creds.leaseId, 30).catch((e: unknown) => e);
        if (kind === "postgres") {
          expect(renewal).toBeInstanceOf(VaultHttpError);
          expect(renewal).not.toBeInstanceOf(LeaseRefusedError);
          expect((renewal as VaultHttpError).errors.join(" ")).toMatch(/failed to renew entry/);
        } else {
          expect(renewal).toMatchObject({ leaseId: creds.leaseId, leaseDurationSeconds: 30 });
        }
      } finally {
        await db.up();
      }
      const fresh = await waitFor(() => database.credentials("app").catch(() => undefined), {
        timeoutMs: 60_000,
        intervalMs: 500,
        describe: () => "no credentials after the database came back",
      });
      expect(await db.canLogIn(fresh)).toBe(true);
      await database.revoke(fresh.leaseId);
      await database.revoke(creds.leaseId).catch(() => undefined);
    }, 120_000);

    it("refuses bad input with typed errors: unknown roles and connections, roles the connection does not allow, empty names", async () => {
      const database = client.database();
      const unknown = await database.credentials("no-such-role").catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(DatabaseRoleNotFoundError);
      expect(unknown).toMatchObject({ role: "no-such-role", kind: "dynamic", status: 400 });
      await expect(database.staticCredentials("no-such-role")).rejects.toMatchObject({
        constructor: DatabaseRoleNotFoundError,
        kind: "static",
      });
      await expect(database.rotateRole("no-such-role")).rejects.toBeInstanceOf(DatabaseRoleNotFoundError);
      const denied = await database.credentials("denied").catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(DatabaseRoleNotAllowedError);
      expect(denied).toMatchObject({ role: "denied" });
      const root = await database.rotateRoot("no-such-connection").catch((e: unknown) => e);
      expect(root).toBeInstanceOf(DatabaseConnectionNotFoundError);
      expect(root).toMatchObject({ connection: "no-such-connection" });
      await expect(database.credentials("  /")).rejects.toBeInstanceOf(DatabaseInputError);
      await expect(database.renew(" ")).rejects.toMatchObject({ constructor: DatabaseInputError, field: "lease_id" });
      await expect(database.renew("database/creds/app/x", "ten minutes")).rejects.toMatchObject({ field: "increment" });
      await expect(client.database("other-mount").credentials("app")).rejects.toMatchObject({ status: 404 });
    });
  },
);
