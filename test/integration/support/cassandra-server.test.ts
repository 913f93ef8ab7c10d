import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { PeerCertificate, connect } from "node:tls";
import { Client, errors } from "cassandra-driver";
import { CASSANDRA_BUILD } from "../../../tools/server-versions";
import { CassandraServer, startCassandraServer } from "../../support/cassandra-server";
import { writePkcs12Keystore, writePkcs12Truststore } from "../../support/pkcs12-stores";
import { serverTempDir } from "../../support/run-registry";
import { PemPair, TestPki, createTestPki } from "../../support/tls-ca";

/** What a client presents: the CA it trusts and, optionally, its own certificate. */
interface ClientTls {
  readonly ca: string;
  readonly pair?: PemPair;
}

/** The certificate the native port presents to a client that verifies it against `tls.ca`. */
function peerCertificate(server: CassandraServer, tls: ClientTls): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: server.host,
      port: server.nativePort,
      ca: tls.ca,
      cert: tls.pair?.cert,
      key: tls.pair?.key,
      timeout: 5_000,
    });
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      resolve(cert);
    });
    socket.once("error", reject);
    socket.once("timeout", () => reject(new Error("TLS handshake timed out")));
  });
}

function driver(server: CassandraServer, tls: ClientTls): Client {
  return new Client({
    contactPoints: [server.host],
    localDataCenter: server.localDataCenter,
    protocolOptions: { port: server.nativePort },
    socketOptions: { connectTimeout: 5_000, readTimeout: 10_000 },
    sslOptions: { ca: tls.ca, cert: tls.pair?.cert, key: tls.pair?.key, rejectUnauthorized: true },
  });
}

async function releaseVersion(client: Client): Promise<string> {
  const result = await client.execute("SELECT release_version FROM system.local");
  return String(result.first().get("release_version"));
}

/** Connect with `tls`; resolves with the driver's error and why the node was unreachable (or fails the test when it connects). */
async function refusal(server: CassandraServer, tls: ClientTls): Promise<{ error: Error; cause: string }> {
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

describe(`a real Cassandra ${CASSANDRA_BUILD.version} node with client-to-node mutual TLS`, () => {
  let dir: string;
  let pki: TestPki;
  let otherPki: TestPki;
  let server: CassandraServer;
  let keystore: string;
  const keystorePassword = randomBytes(12).toString("hex");
  const truststorePassword = randomBytes(12).toString("hex");

  beforeAll(async () => {
    dir = serverTempDir("cassandra-tls");
    pki = await createTestPki(dir);
    otherPki = await createTestPki(serverTempDir("other-ca"));
    keystore = join(dir, "node-keystore.p12");
    const truststore = join(dir, "truststore.p12");
    await writePkcs12Keystore(keystore, pki.server, [pki.caCert], keystorePassword);
    await writePkcs12Truststore(truststore, [pki.caCert], truststorePassword);
    server = await startCassandraServer({ clientTls: { keystore, keystorePassword, truststore, truststorePassword } });
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("lets the driver in with a client certificate of the trusted CA and runs CQL", async () => {
    const client = driver(server, { ca: pki.caCert, pair: pki.client });
    try {
      expect(await releaseVersion(client)).toBe(CASSANDRA_BUILD.version);
    } finally {
      await client.shutdown();
    }
    const rssMiB = server.rssBytes() / 1024 ** 2;
    process.stderr.write(`[cassandra] started in ${server.startupMs} ms, RSS ${rssMiB.toFixed(0)} MiB (heap 512m)\n`);
    expect(rssMiB).toBeGreaterThan(100);
    expect(rssMiB).toBeLessThan(2048);
  });

  it("refuses a client certificate issued by another CA", async () => {
    // The client trusts the node's CA, so only the node's check of the client certificate can fail.
    expect(await peerCertificate(server, { ca: pki.caCert }).then((c) => c.serialNumber)).toBe("02");
    const { error, cause } = await refusal(server, { ca: pki.caCert, pair: otherPki.client });
    expect(error).toBeInstanceOf(errors.NoHostAvailableError);
    // BoringSSL in Cassandra answers an unknown issuer with a fatal alert (internal_error, 80).
    expect(cause).toMatch(/SSL alert number \d+/);
  });

  it("refuses a client without a certificate", async () => {
    const { error, cause } = await refusal(server, { ca: pki.caCert });
    expect(error).toBeInstanceOf(errors.NoHostAvailableError);
    expect(cause).toMatch(/certificate required/);
  });

  it("serves a new certificate after the keystore is replaced and reloadSsl(), and clients still connect", async () => {
    const tls = { ca: pki.caCert, pair: pki.client };
    const before = await peerCertificate(server, tls);
    expect(before.serialNumber).toBe("02");
    const longLived = driver(server, tls);
    try {
      expect(await releaseVersion(longLived)).toBe(CASSANDRA_BUILD.version);
      const renewed = await pki.issueServer("5a17ed");
      await writePkcs12Keystore(keystore, renewed, [pki.caCert], keystorePassword);
      const reloadMs = await server.reloadSsl();
      const after = await peerCertificate(server, tls);
      process.stderr.write(`[cassandra] nodetool reloadssl took ${reloadMs} ms\n`);
      expect(after.serialNumber).toBe("5A17ED");
      expect(after.fingerprint256).not.toBe(before.fingerprint256);

      const fresh = driver(server, tls);
      try {
        expect(await releaseVersion(fresh)).toBe(CASSANDRA_BUILD.version);
      } finally {
        await fresh.shutdown();
      }
      // Connections opened before the reload are not dropped.
      expect(await releaseVersion(longLived)).toBe(CASSANDRA_BUILD.version);
    } finally {
      await longLived.shutdown();
    }
  });

  it("rejects reloadSsl() when the new keystore cannot be opened, and the node keeps serving its certificate", async () => {
    const tls = { ca: pki.caCert, pair: pki.client };
    const current = (await peerCertificate(server, tls)).serialNumber;
    const unreadable = await pki.issueServer("7e57");
    await writePkcs12Keystore(keystore, unreadable, [pki.caCert], randomBytes(12).toString("hex"));
    await expect(server.reloadSsl()).rejects.toThrow(/did not reload[\s\S]*keystore password was incorrect/);
    expect((await peerCertificate(server, tls)).serialNumber).toBe(current);
    const client = driver(server, tls);
    try {
      expect(await releaseVersion(client)).toBe(CASSANDRA_BUILD.version);
    } finally {
      await client.shutdown();
    }
  });
});

describe("a Cassandra node that cannot open its keystore", () => {
  it("fails to start quickly, with Cassandra's reason", async () => {
    const dir = serverTempDir("cassandra-bad-tls");
    try {
      const pki = await createTestPki(dir);
      const password = randomBytes(12).toString("hex");
      const keystore = join(dir, "node-keystore.p12");
      const truststore = join(dir, "truststore.p12");
      await writePkcs12Keystore(keystore, pki.server, [pki.caCert], password);
      await writePkcs12Truststore(truststore, [pki.caCert], password);
      const started = Date.now();
      const clientTls = { keystore, keystorePassword: `not-${password}`, truststore, truststorePassword: password };
      await expect(startCassandraServer({ clientTls })).rejects.toThrow(/exited \(code \d+\)[\s\S]*keystore password was incorrect/);
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
