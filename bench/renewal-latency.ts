/**
 * `npm run bench:renewal`: token renewal, lease renewal and database credential issuance latency,
 * vaultsmith against bare undici calls to the same real OpenBao dev server in the same run (the
 * server's own cost), with a real PostgreSQL behind the database engine. Asserts nothing; prints
 * count, mean, p50, p99 and max per scenario, the client's cost at p50, and the seed's target for
 * token renewal (under 100 ms).
 *
 * - Token renewal through vaultsmith is the TokenManager's own renewal: the bench drives the
 *   manager with a clock whose timers it fires itself, so each sample is the manager's renewal
 *   timer firing → `token-renewed` (its request through the client's executor, retry policy and
 *   deadline included). Bare: `POST auth/token/renew-self` with the same token.
 * - Lease renewal through vaultsmith is the LeaseManager's renewal, measured the same way
 *   (timer → `renewed`). Bare: `PUT sys/leases/renew`.
 * - Credential issuance: `vault.database().credentials(role)` against a bare `GET database/creds/:role`
 *   (each lease revoked afterwards, untimed, so PostgreSQL does not fill up with users).
 *
 * Environment: `BENCH_RENEWAL_COUNT` samples per scenario (default 200), `BENCH_RENEWAL_WARMUP` (default 20).
 */
import { Agent, request } from "undici";
import { AppRoleAuth, CancelTimer, Clock, LeaseManager, POLICIES, TokenManager, VaultClient } from "../runtime";
import { startDevServer } from "../test/support/dev-server";
import { startPostgresServer } from "../test/support/postgres-server";
import { buildServers } from "../tools/server-build";
import { Stats, alternate, row, stats, timed as time } from "./support/stats";

const COUNT = Number(process.env.BENCH_RENEWAL_COUNT ?? 200);
const WARMUP = Number(process.env.BENCH_RENEWAL_WARMUP ?? 20);
/** The seed's target for token renewal. */
const TOKEN_TARGET_MS = 100;

/**
 * Real time, but timers that only the bench fires: a manager's renewal runs when the bench says,
 * so the time from firing to the manager's event is the renewal's own latency.
 */
class ManualClock implements Clock {
  private readonly timers = new Map<number, { at: number; callback: () => void }>();
  private next = 0;

  now(): number {
    return Date.now();
  }

  schedule(callback: () => void, delayMs: number): CancelTimer {
    const id = this.next++;
    this.timers.set(id, { at: Date.now() + delayMs, callback });
    return () => this.timers.delete(id);
  }

  /** Fire the earliest pending timer (the renewal: alarms for expiry come later). */
  fireEarliest(): void {
    const [id, timer] = [...this.timers].reduce((a, b) => (b[1].at < a[1].at ? b : a));
    this.timers.delete(id);
    timer.callback();
  }
}

/** Milliseconds from firing `clock`'s earliest timer to the next `event` of `emitter`. */
function timedRenewal(clock: ManualClock, emitter: { once(event: string, listener: () => void): unknown }, event: string): Promise<number> {
  return time(
    () =>
      new Promise<void>((resolve) => {
        emitter.once(event, () => resolve());
        clock.fireEarliest();
      }),
  );
}

async function main(): Promise<void> {
  buildServers(["openbao"]);
  const [server, pg] = await Promise.all([startDevServer("openbao"), startPostgresServer()]);
  const admin = new VaultClient({ address: server.address, token: server.token });
  const raw = new Agent({ keepAliveTimeout: 30_000 });
  const bare = async (method: "GET" | "POST" | "PUT", path: string, token: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await request(`${server.address}/v1/${path}`, {
      method,
      dispatcher: raw,
      headers: { "x-vault-token": token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await res.body.json()) as Record<string, unknown>;
    if (res.statusCode !== 200) throw new Error(`bare ${method} ${path} answered HTTP ${res.statusCode}`);
    return answer;
  };
  const write = (path: string, body: unknown) => admin.request({ method: "POST", path, body }, POLICIES.idempotentWrite);
  try {
    // Operator part: AppRole for the application, the database engine on PostgreSQL.
    await write("sys/auth/approle", { type: "approle" });
    await write("auth/approle/role/bench", { token_ttl: "1h", token_max_ttl: "24h", token_policies: ["default", "bench"] });
    await admin.request(
      {
        method: "PUT",
        path: "sys/policies/acl/bench",
        body: { policy: 'path "database/creds/app" { capabilities = ["read"] }\npath "sys/leases/*" { capabilities = ["update"] }' },
      },
      POLICIES.idempotentWrite,
    );
    const roleId = (
      await admin.request<{ data: { role_id: string } }>({ method: "GET", path: "auth/approle/role/bench/role-id" }, POLICIES.read)
    ).body!.data.role_id;
    const secretId = (
      await admin.request<{ data: { secret_id: string } }>(
        { method: "POST", path: "auth/approle/role/bench/secret-id" },
        POLICIES.creatingWrite,
      )
    ).body!.data.secret_id;
    await write("sys/mounts/database", { type: "database" });
    await write("database/config/pg", {
      plugin_name: "postgresql-database-plugin",
      connection_url: pg.connectionUrl,
      username: pg.superuser.username,
      password: pg.superuser.password,
      password_authentication: "scram-sha-256",
      allowed_roles: ["app"],
    });
    await write("database/roles/app", {
      db_name: "pg",
      creation_statements: [`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`],
      default_ttl: "1h",
      max_ttl: "24h",
    });

    // The application: a client, a TokenManager and a LeaseManager on manual clocks.
    const app = new VaultClient({ address: server.address, cache: false });
    const tokenClock = new ManualClock();
    const tokens = new TokenManager({ requester: app, methods: [new AppRoleAuth({ roleId, secretId })], clock: tokenClock });
    const leaseClock = new ManualClock();
    const leases = new LeaseManager({ requester: app, clock: leaseClock });
    try {
      const token = await tokens.token();
      const creds = await leases.manage({ name: "app", role: "app" });
      console.log(
        `Renewal and issuance bench on OpenBao ${server.version} (${server.address}) with PostgreSQL ${pg.version}, ${COUNT} samples per scenario after ${WARMUP} warm-up, one at a time\n`,
      );
      const [tokenVs, tokenBare] = await alternate(
        [
          () => timedRenewal(tokenClock, tokens, "token-renewed"),
          () => time(() => bare("POST", "auth/token/renew-self", token, { increment: "3600s" })),
        ],
        COUNT,
        WARMUP,
      );
      const [leaseVs, leaseBare] = await alternate(
        [
          () => timedRenewal(leaseClock, leases, "renewed"),
          () => time(() => bare("PUT", "sys/leases/renew", token, { lease_id: creds.leaseId, increment: 3600 })),
        ],
        COUNT,
        WARMUP,
      );
      const issued: string[] = [];
      const database = app.database();
      const [issueVs, issueBare] = await alternate(
        [
          async () => {
            let leaseId = "";
            const ms = await time(async () => void (leaseId = (await database.credentials("app")).leaseId));
            issued.push(leaseId);
            return ms;
          },
          async () => {
            let leaseId = "";
            const ms = await time(async () => void (leaseId = String((await bare("GET", "database/creds/app", token)).lease_id)));
            issued.push(leaseId);
            return ms;
          },
        ],
        Math.max(1, Math.floor(COUNT / 2)),
        Math.max(1, Math.floor(WARMUP / 2)),
      );
      await Promise.all(
        issued.map((id) =>
          admin
            .database()
            .revoke(id)
            .catch(() => undefined),
        ),
      );

      const rows: [string, Stats][] = [
        ["token renewal, vaultsmith TokenManager", stats(tokenVs)],
        ["token renewal, bare undici", stats(tokenBare)],
        ["lease renewal, vaultsmith LeaseManager", stats(leaseVs)],
        ["lease renewal, bare undici", stats(leaseBare)],
        ["credential issuance, vaultsmith", stats(issueVs)],
        ["credential issuance, bare undici", stats(issueBare)],
      ];
      console.log("| scenario | n | mean ms | p50 ms | p99 ms | max ms |");
      console.log("|---|--:|--:|--:|--:|--:|");
      for (const [name, s] of rows) console.log(row(name, s));
      console.log("");
      const p50 = (i: number): number => rows[i][1].p50;
      console.log(
        `client cost at p50 (vaultsmith − bare): token renewal ${(p50(0) - p50(1)).toFixed(1)} ms, lease renewal ${(p50(2) - p50(3)).toFixed(1)} ms, issuance ${(p50(4) - p50(5)).toFixed(1)} ms`,
      );
      const p99 = rows[0][1].p99;
      console.log(
        `token renewal target (< ${TOKEN_TARGET_MS} ms): vaultsmith p99 ${p99.toFixed(1)} ms — ${p99 < TOKEN_TARGET_MS ? `met, ${(TOKEN_TARGET_MS / p99).toFixed(0)}x margin` : "MISSED"}`,
      );
    } finally {
      await leases.stop();
      await tokens.stop();
      await app.close();
    }
  } finally {
    await admin.close();
    await raw.close();
    await pg.stop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
