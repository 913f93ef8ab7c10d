/**
 * Client side of the Cassandra harness for tests: a raw TLS handshake with the native port (to
 * see the certificate the node presents), a `cassandra-driver` client with (mutual) TLS and
 * optionally a CQL login, and the check that a client is refused.
 */
import { PeerCertificate, connect } from "node:tls";
import { Client, errors } from "cassandra-driver";
import { waitFor } from "./harness-http";
import { CASSANDRA_DEFAULT_SUPERUSER, CassandraServer } from "./cassandra-server";

/** What a client presents: the CA it trusts, and optionally its certificate and key (PEM). */
export interface ClientTls {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
}

/** One handshake with the native port, verifying the node's certificate against `tls.ca`; resolves with what it presented. */
export function peerCertificate(server: CassandraServer, tls: ClientTls): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.host, port: server.nativePort, ca: tls.ca, cert: tls.cert, key: tls.key, timeout: 5_000 });
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      resolve(cert);
    });
    socket.once("error", reject);
    socket.once("timeout", () => socket.destroy(new Error("TLS handshake timed out")));
  });
}

/** A CQL role's login. */
export interface CqlLogin {
  readonly username: string;
  readonly password: string;
}

/**
 * A driver with (mutual) TLS and one connection to the node (so a test knows which socket a
 * query used), logging in as `login` when the node has password authentication.
 */
export function driver(server: CassandraServer, tls: ClientTls, login?: CqlLogin): Client {
  return new Client({
    contactPoints: [server.host],
    localDataCenter: server.localDataCenter,
    protocolOptions: { port: server.nativePort },
    pooling: { coreConnectionsPerHost: { 0: 1, 1: 1, 2: 0 } },
    socketOptions: { connectTimeout: 5_000, readTimeout: 10_000 },
    sslOptions: { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: true },
    ...(login ? { credentials: { username: login.username, password: login.password } } : {}),
  });
}

/**
 * A connected driver logged in as the node's default superuser. A node with password
 * authentication creates that role just after its native port opens, so logins are retried
 * (until `timeoutMs`) while the node answers that the role does not exist yet.
 */
export async function superuserSession(server: CassandraServer, tls: ClientTls, timeoutMs = 60_000): Promise<Client> {
  if (!server.passwordAuthentication) throw new Error("the node was started without passwordAuthentication: it has no CQL roles");
  let last: unknown;
  return waitFor(
    async () => {
      const client = driver(server, tls, CASSANDRA_DEFAULT_SUPERUSER);
      try {
        await client.connect();
        return client;
      } catch (error) {
        last = error;
        await client.shutdown();
        return undefined;
      }
    },
    { timeoutMs, intervalMs: 500, describe: () => `the default superuser could not log in to Cassandra: ${String(last)}` },
  );
}

/** Whether `login` gets into the node: true, or the driver's reason for refusing it (an authentication error). */
export async function canLogIn(server: CassandraServer, tls: ClientTls, login: CqlLogin): Promise<true | string> {
  const client = driver(server, tls, login);
  try {
    await client.connect();
    await releaseVersion(client);
    return true;
  } catch (error) {
    const inner = error instanceof errors.NoHostAvailableError ? Object.values(error.innerErrors).map(String) : [String(error)];
    return inner.join("; ");
  } finally {
    await client.shutdown();
  }
}

/** The node's `release_version`, through `client`. */
export async function releaseVersion(client: Client): Promise<string> {
  const result = await client.execute("SELECT release_version FROM system.local");
  return String(result.first().get("release_version"));
}

/** Connect with `tls`; resolves with the driver's error and the per-host causes (fails the test when it connects). */
export async function refusal(server: CassandraServer, tls: ClientTls): Promise<{ error: Error; cause: string }> {
  const client = driver(server, tls);
  try {
    const failure = await client.connect().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    if (!failure) throw new Error("the driver connected, but the node should have refused it");
    const inner = failure instanceof errors.NoHostAvailableError ? Object.values(failure.innerErrors) : [];
    return { error: failure, cause: inner.map(String).join("; ") };
  } finally {
    await client.shutdown();
  }
}
