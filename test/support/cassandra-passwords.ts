/**
 * A Cassandra for the database secrets engine (the deploy suite's estate, the runtime's database
 * engine and LeaseManager tests): a real node from the harness (`cassandra-server.ts`) with what a
 * production node has and the database engine needs — TLS on the native transport (a test CA's
 * certificate; clients prove who they are with a CQL password, so no client certificate is
 * required) and CQL roles with passwords. The admin role Vault connects as is created by the test,
 * as an operator would before the first apply.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Client } from "cassandra-driver";
import { ClientTls, CqlLogin, canLogIn, superuserSession } from "./cassandra-client";
import { CassandraServer, startCassandraServer } from "./cassandra-server";
import { writePkcs12Keystore, writePkcs12Truststore } from "./pkcs12-stores";
import { serverTempDir } from "./run-registry";
import { createTestPki } from "./tls-ca";

/**
 * Cassandra 5.0 refuses to change a role's password twice within this interval ("Password for
 * role … can only be changed every 5000ms", `cassandra.role_password_update_min_interval_in_ms`):
 * a rotate-root right after the admin password was set fails, and must wait this long.
 */
export const PASSWORD_CHANGE_INTERVAL_MS = 5_000;

/** A running node, its CA and a superuser session. */
export interface PasswordCassandra {
  readonly server: CassandraServer;
  /** What a client trusts (the node's CA); no client certificate. */
  readonly tls: ClientTls;
  /** PEM file of the node's CA, as an operator hands it to the stack (`CASSANDRA_CA_CERT_FILE`). */
  readonly caFile: string;
  /**
   * (Re)create superuser `username` with a fresh random password and return it: each run starts
   * from a password Terraform is given, whatever an earlier run's rotate-root left behind.
   */
  resetAdmin(username: string): Promise<string>;
  /** Run CQL as the default superuser. */
  execute(cql: string, params?: unknown[]): Promise<void>;
  /** Names of every CQL role on the node. */
  roles(): Promise<string[]>;
  /** True when `login` gets in, else the driver's reason. */
  canLogIn(login: CqlLogin): Promise<true | string>;
  /** Close the session and stop the node. */
  stop(): Promise<void>;
}

/** Start the node (about half a minute on two cores) and log in as its default superuser. */
export async function startPasswordCassandra(): Promise<PasswordCassandra> {
  const dir = serverTempDir("cassandra-passwords");
  const pki = await createTestPki(dir);
  const keystorePassword = randomBytes(12).toString("hex");
  const truststorePassword = randomBytes(12).toString("hex");
  const keystore = join(dir, "node.p12");
  const truststore = join(dir, "trust.p12");
  await writePkcs12Keystore(keystore, pki.server, [pki.caCert], keystorePassword);
  await writePkcs12Truststore(truststore, [pki.caCert], truststorePassword);
  const server = await startCassandraServer({
    clientTls: { keystore, keystorePassword, truststore, truststorePassword, requireClientAuth: false },
    passwordAuthentication: true,
  });
  const tls: ClientTls = { ca: pki.caCert };
  let session: Client;
  try {
    session = await superuserSession(server, tls);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const execute = async (cql: string, params: unknown[] = []): Promise<void> => {
    await session.execute(cql, params, { prepare: params.length > 0 });
  };
  return {
    server,
    tls,
    caFile: pki.files.caCert,
    resetAdmin: async (username) => {
      // Hex only: the password is spliced into the statement (CQL takes no bind marker there).
      const password = randomBytes(18).toString("hex");
      const exists = (await session.execute("SELECT role FROM system_auth.roles WHERE role = ?", [username], { prepare: true })).rowLength;
      // One statement: Cassandra 5 refuses a second password change within 5 s (see PASSWORD_CHANGE_INTERVAL_MS).
      await execute(
        exists > 0
          ? `ALTER ROLE ${username} WITH PASSWORD = '${password}'`
          : `CREATE ROLE ${username} WITH PASSWORD = '${password}' AND SUPERUSER = true AND LOGIN = true`,
      );
      return password;
    },
    execute,
    roles: async () => (await session.execute("SELECT role FROM system_auth.roles")).rows.map((r) => String(r.get("role"))).sort(),
    canLogIn: (login) => canLogIn(server, tls, login),
    stop: async () => {
      await session.shutdown();
      await server.stop();
    },
  };
}
