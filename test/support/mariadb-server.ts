/**
 * A real MariaDB server from Debian's `mariadb-server` package on a free loopback port, for the
 * database secrets engine tests. `mariadb-install-db` makes a throw-away data directory in a temp
 * directory of the run registry, and `mariadbd` serves it on 127.0.0.1 only (`--no-defaults`, so
 * the package's /etc/mysql configuration is not read; its Unix socket lives in the temp directory,
 * durability off: the data is thrown away). When the harness is root, both run as Debian's `mysql`
 * system user, never as root. The bootstrap connects once over the private socket as the
 * data directory's root to create an administrator with a random password; everything afterwards
 * goes over TCP with passwords. The process is a {@link ServerProcess}, recorded and reaped like
 * the other servers; {@link MariaDbServer.halt} / {@link MariaDbServer.resume} take it down and
 * bring it back on the same port and data.
 *
 * The package's own server (port 3306, started by its service on machines with an init system)
 * is not used and not touched.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, chmodSync, chownSync, constants, mkdirSync, rmSync, statSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import { Connection, createConnection } from "mariadb";
import { waitFor } from "./harness-http";
import { freePort } from "./ports";
import { serverTempDir } from "./run-registry";
import { ServerProcess } from "./server-process";

/** A database login. */
export interface MariaDbLogin {
  readonly username: string;
  readonly password: string;
}

/** A running MariaDB server. */
export interface MariaDbServer {
  /** `127.0.0.1`. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** Version the server reports, e.g. `10.11.19-MariaDB-0+deb12u1`. */
  readonly version: string;
  /** The administrator the harness created (all privileges, grant option), with its random password. */
  readonly admin: MariaDbLogin;
  /** Run SQL as the administrator; resolves with the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** True when `login` can connect and run a query; otherwise MariaDB's reason. */
  canLogIn(login: MariaDbLogin): Promise<true | string>;
  /** A connection as `login` (the caller closes it). */
  connect(login: MariaDbLogin): Promise<Connection>;
  /** Take the server down (connections are cut), keeping its data. */
  halt(): Promise<void>;
  /** Start it again on the same port and data, after {@link halt}. */
  resume(): Promise<void>;
  /** Stop the server and delete its directory. */
  stop(): Promise<void>;
}

const MARIADBD = "/usr/sbin/mariadbd";
const INSTALL_DB = "/usr/bin/mariadb-install-db";

/** The server binary; throws with the install command when MariaDB is not installed. */
export function requireMariaDb(): string {
  for (const path of [MARIADBD, INSTALL_DB]) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new Error(`MariaDB is not installed (${path} missing): install it with \`apt-get install -y mariadb-server\``);
    }
  }
  return MARIADBD;
}

/** Debian's `mysql` system user, when the harness runs as root (the daemon never runs as root here). */
function daemonUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const id = (flag: string): number => {
    const out = spawnSync("id", [flag, "mysql"], { encoding: "utf8" });
    if (out.status !== 0)
      throw new Error("running as root, and there is no `mysql` user to run MariaDB as (apt-get install -y mariadb-server creates it)");
    return Number(out.stdout.trim());
  };
  return { uid: id("-u"), gid: id("-g") };
}

/** Connect to `host:port` as `login`. */
function connectTcp(host: string, port: number, login: MariaDbLogin): Promise<Connection> {
  return createConnection({ host, port, user: login.username, password: login.password, connectTimeout: 5_000 });
}

/** Start a throw-away MariaDB on a free loopback port; resolves once the administrator can query it. */
export async function startMariaDbServer(options: { timeoutMs?: number } = {}): Promise<MariaDbServer> {
  const binary = requireMariaDb();
  const user = daemonUser();
  const dir = serverTempDir("mariadb");
  const data = join(dir, "data");
  const socket = join(dir, "mariadbd.sock");
  const admin: MariaDbLogin = { username: "vaultsmith", password: randomBytes(18).toString("hex") };
  // The daemon user must reach its directory: the temp directories are the harness's, 0700.
  if (user) for (const d of [dirname(dir), dir]) chmodSync(d, statSync(d).mode | 0o011);
  mkdirSync(data, { mode: 0o700 });
  if (user) {
    chownSync(data, user.uid, user.gid);
    chownSync(dir, user.uid, user.gid);
  }
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir };
  const init = spawnSync(
    INSTALL_DB,
    ["--no-defaults", `--datadir=${data}`, "--auth-root-authentication-method=socket", "--skip-test-db", "--skip-name-resolve"],
    { encoding: "utf8", env, ...user },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed (exit ${init.status}): ${init.stdout}${init.stderr}`);
  }
  const port = await freePort();
  const host = "127.0.0.1";
  let proc: ServerProcess | undefined;
  const launch = async (ready: () => Promise<void>): Promise<void> => {
    const started = new ServerProcess({
      binary,
      args: [
        "--no-defaults",
        `--datadir=${data}`,
        `--port=${port}`,
        `--bind-address=${host}`,
        `--socket=${socket}`,
        `--pid-file=${join(dir, "mariadbd.pid")}`,
        "--skip-name-resolve",
        "--skip-log-bin",
        "--innodb-buffer-pool-size=32M",
        "--innodb-flush-log-at-trx-commit=0",
        "--performance-schema=OFF",
      ],
      home: dir,
      secrets: [admin.password],
      user,
    });
    proc = started;
    let last: unknown;
    await waitFor(
      async () => {
        if (!started.isRunning) throw new Error(`mariadbd exited early:\n${started.output()}`);
        try {
          await ready();
          return true;
        } catch (error) {
          last = error;
          return undefined;
        }
      },
      {
        timeoutMs: options.timeoutMs ?? 60_000,
        intervalMs: 100,
        describe: () => `MariaDB on ${host}:${port} did not answer (${String(last)}):\n${started.output()}`,
      },
    );
  };
  const adminReady = async (): Promise<void> => {
    const c = await connectTcp(host, port, admin);
    await c.query("SELECT 1");
    await c.end();
  };
  const halt = async (): Promise<void> => {
    await proc?.stop("SIGTERM", 30_000);
  };
  const stop = async (): Promise<void> => {
    await halt();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // First start: the data directory's root may log in over the private socket only (as the OS
    // user the daemon runs as — unix_socket authentication); it creates the administrator.
    await launch(async () => {
      // install-db gives unix_socket logins to `root` and to the OS user that ran it.
      const c = await createConnection({ socketPath: socket, user: "root", connectTimeout: 5_000 }).catch(() =>
        createConnection({ socketPath: socket, user: userInfo().username, connectTimeout: 5_000 }),
      );
      try {
        await c.query(`CREATE USER IF NOT EXISTS '${admin.username}'@'127.0.0.1' IDENTIFIED BY '${admin.password}'`);
        await c.query(`GRANT ALL PRIVILEGES ON *.* TO '${admin.username}'@'127.0.0.1' WITH GRANT OPTION`);
      } finally {
        await c.end();
      }
    });
    await adminReady();
  } catch (error) {
    await stop();
    throw error;
  }
  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const c = await connectTcp(host, port, admin);
    try {
      return (await c.query(sql, params)) as T[];
    } finally {
      await c.end();
    }
  };
  const version = String((await query<{ v: string }>("SELECT VERSION() AS v"))[0].v);
  return {
    host,
    port,
    version,
    admin,
    query,
    canLogIn: async (login) => {
      try {
        const c = await connectTcp(host, port, login);
        try {
          await c.query("SELECT 1");
          return true;
        } finally {
          await c.end().catch(() => undefined);
        }
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
    connect: (login) => connectTcp(host, port, login),
    halt,
    resume: () => launch(adminReady),
    stop,
  };
}
