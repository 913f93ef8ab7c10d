/**
 * The real databases the database-engine and LeaseManager tests run against, behind one shape: a
 * PostgreSQL or a MariaDB from Debian's packages ({@link startPostgresServer},
 * {@link startMariaDbServer}) or a Cassandra 5.0 with TLS and
 * CQL passwords (the deploy suite's `startPasswordCassandra`). Vault reaches the database through a
 * {@link TcpProxy}, so a test can cut Vault off the database (the engine fails) while the
 * application, which connects directly, keeps using the credentials it has.
 */
import { randomBytes } from "node:crypto";
import { Client as CqlClient } from "cassandra-driver";
import { Client as PgClient } from "pg";
import { canLogIn as cqlCanLogIn, driver } from "./cassandra-client";
import { PgLogin, PostgresServer, pgClient, startPostgresServer } from "./postgres-server";
import { MariaDbServer, startMariaDbServer } from "./mariadb-server";
import { TcpProxy } from "./tcp-proxy";
import { PASSWORD_CHANGE_INTERVAL_MS, PasswordCassandra, startPasswordCassandra } from "./cassandra-passwords";

/** The databases the tests run against. */
export type DatabaseKind = "postgres" | "cassandra" | "mariadb";

/** A login (user name and password). */
export type DatabaseLoginPair = PgLogin;

/** An open session of the application, as one user. */
export interface DatabaseSession {
  /** Run one small query; rejects when the database refuses it. */
  query(): Promise<void>;
  /** Close the session. */
  close(): Promise<void>;
}

/** A running database, reachable by Vault through {@link DatabaseUnderTest.proxy}. */
export interface DatabaseUnderTest {
  readonly kind: DatabaseKind;
  /** Product and version, for test names and figures. */
  readonly label: string;
  /** Vault → database; `refuse()` cuts Vault off, `heal()` lets it back. */
  readonly proxy: TcpProxy;
  /** Shortest time between two password changes of one user (Cassandra 5 refuses faster ones), in ms. */
  readonly passwordChangeIntervalMs: number;
  /** Statements a dynamic role creates its user with. */
  readonly creationStatements: readonly string[];
  /**
   * The body of `POST :mount/config/:name`: the database plugin, through the proxy, logging in as
   * `adminUser`, which is (re)created with a fresh random password first.
   */
  connectionConfig(adminUser: string, allowedRoles: readonly string[]): Promise<Record<string, unknown>>;
  /** Create a user that can log in and read what {@link DatabaseSession.query} reads (for a static role to manage); its password is the given one. */
  createUser(login: DatabaseLoginPair): Promise<void>;
  /** True when `login` gets in (direct, not through the proxy); otherwise the database's reason. */
  canLogIn(login: DatabaseLoginPair): Promise<true | string>;
  /** Open a session as `login` (direct, not through the proxy). */
  connect(login: DatabaseLoginPair): Promise<DatabaseSession>;
  /**
   * The database goes down for Vault: PostgreSQL is really shut down (fast shutdown, data kept);
   * Cassandra, whose restart takes half a minute, is cut off behind the proxy.
   */
  down(): Promise<void>;
  /** Back after {@link down}. */
  up(): Promise<void>;
  /** Stop the proxy and the database. */
  stop(): Promise<void>;
}

/** A hex password (no quoting trouble in CQL or SQL). */
function hexPassword(): string {
  return randomBytes(18).toString("hex");
}

async function postgres(): Promise<DatabaseUnderTest> {
  const server: PostgresServer = await startPostgresServer();
  const proxy = await TcpProxy.start(server.port);
  await server.query("CREATE TABLE IF NOT EXISTS public.items (id int PRIMARY KEY, name text)");
  await server.query("INSERT INTO public.items VALUES (1, 'one') ON CONFLICT DO NOTHING");
  const ident = (name: string): string => {
    if (!/^[a-z_][a-z0-9_-]*$/i.test(name)) throw new Error(`unsafe identifier ${name}`);
    return `"${name}"`;
  };
  return {
    kind: "postgres",
    label: `PostgreSQL ${server.version}`,
    proxy,
    passwordChangeIntervalMs: 0,
    creationStatements: [
      `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";`,
    ],
    connectionConfig: async (adminUser, allowedRoles) => {
      const password = hexPassword();
      const exists = await server.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [adminUser]);
      await server.query(`${exists.length > 0 ? "ALTER" : "CREATE"} ROLE ${ident(adminUser)} WITH LOGIN SUPERUSER PASSWORD '${password}'`);
      return {
        plugin_name: "postgresql-database-plugin",
        connection_url: `postgresql://{{username}}:{{password}}@127.0.0.1:${proxy.port}/postgres?sslmode=disable`,
        username: adminUser,
        password,
        password_authentication: "scram-sha-256",
        allowed_roles: allowedRoles,
        max_open_connections: 4,
      };
    },
    createUser: async (login) => {
      await server.query(`CREATE ROLE ${ident(login.username)} WITH LOGIN PASSWORD '${login.password.replace(/'/g, "''")}'`);
      await server.query(`GRANT SELECT ON public.items TO ${ident(login.username)}`);
    },
    canLogIn: (login) => server.canLogIn(login),
    connect: async (login) => {
      const client: PgClient = pgClient(server.host, server.port, login);
      // A cut connection must not crash the test process: the next query reports it.
      client.on("error", () => undefined);
      await client.connect();
      return {
        query: async () => {
          await client.query("SELECT name FROM public.items WHERE id = 1");
        },
        close: () => client.end().catch(() => undefined),
      };
    },
    down: () => server.halt(),
    up: () => server.resume(),
    stop: async () => {
      await proxy.stop();
      await server.stop();
    },
  };
}

async function cassandra(): Promise<DatabaseUnderTest> {
  const node: PasswordCassandra = await startPasswordCassandra();
  const proxy = await TcpProxy.start(node.server.nativePort);
  await node.execute("CREATE KEYSPACE IF NOT EXISTS app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await node.execute("CREATE TABLE IF NOT EXISTS app.items (id int PRIMARY KEY, name text)");
  await node.execute("INSERT INTO app.items (id, name) VALUES (1, 'one')");
  const caPem = node.tls.ca;
  return {
    kind: "cassandra",
    label: `Cassandra ${node.server.version}`,
    proxy,
    passwordChangeIntervalMs: PASSWORD_CHANGE_INTERVAL_MS,
    creationStatements: [
      "CREATE USER '{{username}}' WITH PASSWORD '{{password}}' NOSUPERUSER;",
      "GRANT SELECT ON KEYSPACE app TO '{{username}}';",
    ],
    connectionConfig: async (adminUser, allowedRoles) => ({
      plugin_name: "cassandra-database-plugin",
      hosts: node.server.host,
      port: proxy.port,
      username: adminUser,
      password: await node.resetAdmin(adminUser),
      tls: true,
      pem_bundle: caPem,
      protocol_version: 4,
      connect_timeout: "5s",
      allowed_roles: allowedRoles,
    }),
    createUser: async (login) => {
      await node.execute(`CREATE ROLE '${login.username}' WITH PASSWORD = '${login.password.replace(/'/g, "''")}' AND LOGIN = true`);
      await node.execute(`GRANT SELECT ON KEYSPACE app TO '${login.username}'`);
    },
    canLogIn: (login) => cqlCanLogIn(node.server, node.tls, login),
    connect: async (login) => {
      const client: CqlClient = driver(node.server, node.tls, login);
      await client.connect();
      return {
        query: async () => {
          await client.execute("SELECT name FROM app.items WHERE id = 1");
        },
        close: () => client.shutdown().catch(() => undefined),
      };
    },
    down: () => proxy.refuse(),
    up: () => proxy.heal(),
    stop: async () => {
      await proxy.stop();
      await node.stop();
    },
  };
}

async function mariadb(): Promise<DatabaseUnderTest> {
  const server: MariaDbServer = await startMariaDbServer();
  const proxy = await TcpProxy.start(server.port);
  await server.query("CREATE DATABASE IF NOT EXISTS app");
  await server.query("CREATE TABLE IF NOT EXISTS app.items (id int PRIMARY KEY, name text)");
  await server.query("INSERT IGNORE INTO app.items VALUES (1, 'one')");
  const ident = (name: string): string => {
    if (!/^[a-z_][a-z0-9_-]*$/i.test(name)) throw new Error(`unsafe identifier ${name}`);
    return `'${name}'@'%'`;
  };
  return {
    kind: "mariadb",
    label: `MariaDB ${server.version}`,
    proxy,
    passwordChangeIntervalMs: 0,
    creationStatements: ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';", "GRANT SELECT ON app.* TO '{{name}}'@'%';"],
    connectionConfig: async (adminUser, allowedRoles) => {
      const password = hexPassword();
      // Vault connects through the proxy, from 127.0.0.1; '%' also covers it.
      await server.query(`CREATE USER IF NOT EXISTS ${ident(adminUser)} IDENTIFIED BY '${password}'`);
      await server.query(`ALTER USER ${ident(adminUser)} IDENTIFIED BY '${password}'`);
      await server.query(`GRANT ALL PRIVILEGES ON *.* TO ${ident(adminUser)} WITH GRANT OPTION`);
      return {
        plugin_name: "mysql-database-plugin",
        connection_url: `{{username}}:{{password}}@tcp(127.0.0.1:${proxy.port})/`,
        username: adminUser,
        password,
        allowed_roles: allowedRoles,
        max_open_connections: 4,
      };
    },
    createUser: async (login) => {
      await server.query(`CREATE USER ${ident(login.username)} IDENTIFIED BY '${login.password.replace(/'/g, "''")}'`);
      await server.query(`GRANT SELECT ON app.* TO ${ident(login.username)}`);
    },
    canLogIn: (login) => server.canLogIn(login),
    connect: async (login) => {
      const connection = await server.connect(login);
      // A cut connection must not crash the test process: the next query reports it.
      connection.on("error", () => undefined);
      return {
        query: async () => {
          await connection.query("SELECT name FROM app.items WHERE id = 1");
        },
        close: () => connection.end().catch(() => undefined),
      };
    },
    down: () => server.halt(),
    up: () => server.resume(),
    stop: async () => {
      await proxy.stop();
      await server.stop();
    },
  };
}

/** Start a database of `kind` with its proxy. */
export function startDatabase(kind: DatabaseKind): Promise<DatabaseUnderTest> {
  if (kind === "mariadb") return mariadb();
  return kind === "postgres" ? postgres() : cassandra();
}
