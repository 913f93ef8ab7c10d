/**
 * A real PostgreSQL server from Debian's `postgresql` package on a free loopback port, for the
 * database secrets engine and LeaseManager tests. `initdb` makes a throw-away cluster in a temp
 * directory of the run registry (password authentication, scram-sha-256, a random superuser
 * password), and `postgres` serves it on 127.0.0.1 only, with no Unix socket and durability off
 * (fsync, full-page writes, synchronous commit: its data is thrown away). PostgreSQL refuses to
 * run as root, so when the harness is root both run as Debian's `postgres` system user; otherwise
 * as the harness's own user. The process is a {@link ServerProcess}, so it is recorded and reaped
 * like the Vault servers; {@link PostgresServer.halt} and {@link PostgresServer.resume} take it
 * down and bring it back on the same port and data, for outage tests.
 *
 * The package's own cluster (`main` on port 5432, started by the package's service on machines
 * with an init system) is not used and not touched.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Client } from "pg";
import { postgresBinDir } from "../../tools/server-versions";
import { waitFor } from "./harness-http";
import { freePort } from "./ports";
import { serverTempDir } from "./run-registry";
import { ServerProcess } from "./server-process";

/** A database login. */
export interface PgLogin {
  readonly username: string;
  readonly password: string;
}

/** A running PostgreSQL server. */
export interface PostgresServer {
  /** `127.0.0.1`. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** Major.minor the server reports. */
  readonly version: string;
  /** The superuser `initdb` created, with its random password. */
  readonly superuser: PgLogin;
  /** Vault's `connection_url` template for this server (`{{username}}`/`{{password}}` filled in by Vault). */
  readonly connectionUrl: string;
  /** Run SQL as the superuser; resolves with the rows. */
  query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** True when `login` can connect and run a query; otherwise PostgreSQL's reason. */
  canLogIn(login: PgLogin): Promise<true | string>;
  /** Take the server down (fast shutdown: connections are cut), keeping its data. */
  halt(): Promise<void>;
  /** Start it again on the same port and data, after {@link halt}. */
  resume(): Promise<void>;
  /** Stop the server and delete its directory. */
  stop(): Promise<void>;
}

/** The `bin` directory of the installed server; throws with the install command when there is none. */
export function requirePostgres(): string {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL is not installed: install it with `apt-get install -y postgresql`");
  return bin;
}

/** Debian's `postgres` system user, when the harness runs as root (PostgreSQL will not). */
function daemonUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const id = (flag: string): number => {
    const out = spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
    if (out.status !== 0)
      throw new Error("running as root, and there is no `postgres` user to run PostgreSQL as (apt-get install -y postgresql creates it)");
    return Number(out.stdout.trim());
  };
  return { uid: id("-u"), gid: id("-g") };
}

/** A client of `server` as `login`. */
export function pgClient(host: string, port: number, login: PgLogin, database = "postgres"): Client {
  return new Client({ host, port, user: login.username, password: login.password, database, connectionTimeoutMillis: 5_000 });
}

/** Start a throw-away PostgreSQL on a free loopback port; resolves once the superuser can query it. */
export async function startPostgresServer(options: { timeoutMs?: number } = {}): Promise<PostgresServer> {
  const bin = requirePostgres();
  const user = daemonUser();
  const dir = serverTempDir("postgres");
  const data = join(dir, "data");
  const superuser: PgLogin = { username: "vaultsmith", password: randomBytes(18).toString("hex") };
  // The daemon user must reach its data directory: the temp directories are the harness's, 0700.
  if (user) {
    for (const d of [dirname(dir), dir]) chmodSync(d, statSync(d).mode | 0o011);
  }
  mkdirSync(data, { mode: 0o700 });
  const pwfile = join(dir, "pwfile");
  writeFileSync(pwfile, `${superuser.password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(data, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  const init = spawnSync(
    join(bin, "initdb"),
    ["-D", data, "-U", superuser.username, `--pwfile=${pwfile}`, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
    { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir }, ...user },
  );
  rmSync(pwfile, { force: true });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (exit ${init.status}): ${`${init.stdout}${init.stderr}`.split(superuser.password).join("<redacted>")}`);
  }
  const port = await freePort();
  const host = "127.0.0.1";
  let proc: ServerProcess | undefined;
  const launch = async (): Promise<void> => {
    const started = new ServerProcess({
      binary: join(bin, "postgres"),
      args: [
        "-D",
        data,
        "-p",
        String(port),
        "-c",
        `listen_addresses=${host}`,
        "-c",
        "unix_socket_directories=",
        "-c",
        "fsync=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "shared_buffers=32MB",
      ],
      home: dir,
      secrets: [superuser.password],
      user,
    });
    proc = started;
    let last: unknown;
    await waitFor(
      async () => {
        if (!started.isRunning) throw new Error(`postgres exited early:\n${started.output()}`);
        const client = pgClient(host, port, superuser);
        try {
          await client.connect();
          await client.query("SELECT 1");
          return true;
        } catch (error) {
          last = error;
          return undefined;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      {
        timeoutMs: options.timeoutMs ?? 30_000,
        intervalMs: 100,
        describe: () => `PostgreSQL on ${host}:${port} did not answer (${String(last)}):\n${started.output()}`,
      },
    );
  };
  const halt = async (): Promise<void> => {
    // SIGINT: PostgreSQL's fast shutdown (cut connections, checkpoint, exit).
    await proc?.stop("SIGINT", 15_000);
  };
  const stop = async (): Promise<void> => {
    await halt();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await launch();
  } catch (error) {
    await stop();
    throw error;
  }
  const query = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = pgClient(host, port, superuser);
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  const version = String((await query<{ server_version: string }>("SHOW server_version"))[0].server_version).split(" ")[0];
  return {
    host,
    port,
    version,
    superuser,
    connectionUrl: `postgresql://{{username}}:{{password}}@${host}:${port}/postgres?sslmode=disable`,
    query,
    canLogIn: async (login) => {
      const client = pgClient(host, port, login);
      try {
        await client.connect();
        await client.query("SELECT 1");
        return true;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    halt,
    resume: launch,
    stop,
  };
}
