import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { errors } from "cassandra-driver";
import { CASSANDRA_BUILD } from "../../../tools/server-versions";
import { driver, peerCertificate, refusal, releaseVersion } from "../../support/cassandra-client";
import { CassandraServer, startCassandraServer } from "../../support/cassandra-server";
import { writePkcs12Keystore, writePkcs12Truststore } from "../../support/pkcs12-stores";
import { serverTempDir } from "../../support/run-registry";
import { TestPki, createTestPki } from "../../support/tls-ca";

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
    const client = driver(server, { ca: pki.caCert, cert: pki.client.cert, key: pki.client.key });
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
    const { error, cause } = await refusal(server, { ca: pki.caCert, cert: otherPki.client.cert, key: otherPki.client.key });
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
    const tls = { ca: pki.caCert, cert: pki.client.cert, key: pki.client.key };
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
    const tls = { ca: pki.caCert, cert: pki.client.cert, key: pki.client.key };
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
