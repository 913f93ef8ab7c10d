/**
 * Client side of the Cassandra harness for tests: a raw TLS handshake with the native port (to
 * see the certificate the node presents), a `cassandra-driver` client with mutual TLS, and the
 * check that a client is refused.
 */
import { PeerCertificate, connect } from "node:tls";
import { Client, errors } from "cassandra-driver";
import { CassandraServer } from "./cassandra-server";

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

/** A driver with mutual TLS and one connection to the node (so a test knows which socket a query used). */
export function driver(server: CassandraServer, tls: ClientTls): Client {
  return new Client({
    contactPoints: [server.host],
    localDataCenter: server.localDataCenter,
    protocolOptions: { port: server.nativePort },
    pooling: { coreConnectionsPerHost: { 0: 1, 1: 1, 2: 0 } },
    socketOptions: { connectTimeout: 5_000, readTimeout: 10_000 },
    sslOptions: { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: true },
  });
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
