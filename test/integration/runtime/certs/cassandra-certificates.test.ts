/**
 * A real Apache Cassandra node whose client-facing TLS runs entirely on OpenBao-issued
 * certificates kept current by the CertificateManager: root → issuing (intermediate) CA on a dev
 * server, the node's keystore and truststore written by `pkcs12FileSink`, the Node driver
 * authenticating with a client certificate of the same issuing CA, a scheduled renewal whose
 * delivery callback (`onCertificate`) runs the reload a real daemon would run (`nodetool
 * reloadssl`), and a client certificate of another CA refused at the TLS layer.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { TLSSocket } from "node:tls";
import { Client, errors } from "cassandra-driver";
import {
  CertificateManager,
  CertificateRenewedEvent,
  IssuedCertificate,
  Requester,
  VaultClient,
  pkcs12FileSink,
  sameSerial,
} from "../../../../runtime";
import { CASSANDRA_BUILD } from "../../../../tools/server-versions";
import { ClientTls, driver, peerCertificate, refusal, releaseVersion } from "../../../support/cassandra-client";
import { CassandraServer, startCassandraServer } from "../../../support/cassandra-server";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { setUpPkiMount, writePkiRole } from "../../../support/pki-mount";
import { serverTempDir } from "../../../support/run-registry";
import { selectedFlavors } from "../../../support/server-binaries";
import { AdminTarget, admin } from "../../../support/vault-admin";

const ROOT_MOUNT = "cassandra-root";
const ISSUING_MOUNT = "cassandra-pki";
const OTHER_MOUNT = "other-pki";
/** Node certificate lifetime: with the manager's default 5-minute margin cut to half the lifetime, it renews 30 s after issuance. */
const NODE_TTL_S = 60;

/** One delivery of the node certificate to the keystore, and what the reload hook saw. */
interface Delivery {
  readonly serial: string;
  /** When the sinks had written the keystore and truststore (the hook starts after them). */
  readonly deliveredAt: number;
  /** The serial Cassandra presented after the files were replaced, before the reload. */
  presentedBeforeReload?: string;
  /** `nodetool reloadssl` duration. */
  reloadMs?: number;
  /** When a fresh handshake first showed this serial. */
  presentedAt?: number;
}

/** Root CA on `rootMount`, an issuing CA on `issuingMount` signed by it; returns both certificates. */
async function setUpHierarchy(target: AdminTarget): Promise<{ rootPem: string; issuingPem: string }> {
  const rootPem = await setUpPkiMount(target, ROOT_MOUNT, "Cassandra Test Root CA");
  await admin(target, "POST", `sys/mounts/${ISSUING_MOUNT}`, { type: "pki", config: { max_lease_ttl: "43800h" } });
  const csr = await admin<{ data: { csr: string } }>(target, "POST", `${ISSUING_MOUNT}/intermediate/generate/internal`, {
    common_name: "Cassandra Test Issuing CA",
    key_type: "ec",
    key_bits: 256,
  });
  const signed = await admin<{ data: { certificate: string } }>(target, "POST", `${ROOT_MOUNT}/root/sign-intermediate`, {
    csr: csr.data.csr,
    common_name: "Cassandra Test Issuing CA",
    ttl: "43800h",
    format: "pem",
  });
  await admin(target, "POST", `${ISSUING_MOUNT}/intermediate/set-signed`, { certificate: `${signed.data.certificate}\n${rootPem}` });
  return { rootPem, issuingPem: signed.data.certificate };
}

/** The TLS sockets of the driver's connection pool (driver internals, read only: which connection a query used). */
function poolSockets(client: Client): TLSSocket[] {
  type Internal = { pool: { connections: readonly { netClient: TLSSocket }[] } };
  return client.hosts.values().flatMap((host) => (host as unknown as Internal).pool.connections.map((c) => c.netClient));
}

function figure(line: string): void {
  process.stderr.write(`[cassandra-certs] ${line}\n`);
}

describe.each(selectedFlavors())(
  `a real Cassandra ${CASSANDRA_BUILD.version} on certificates a CertificateManager keeps current from %s`,
  (flavor) => {
    let vault: DevServer;
    let client: VaultClient;
    let dir: string;
    let rootPem: string;
    let issuingPem: string;
    let manager: CertificateManager;
    let cassandra: CassandraServer | undefined;
    let nodeCert: IssuedCertificate;
    let appCert: IssuedCertificate;
    let appTls: ClientTls;
    let manageMs: number;
    const signs: { path: string; startedAt: number; ms: number }[] = [];
    const deliveries: Delivery[] = [];
    const renewals: { event: CertificateRenewedEvent; at: number }[] = [];
    const hookErrors: unknown[] = [];
    let nodeUp: (server: CassandraServer) => void;
    let nodeUpAt = Infinity;
    const nodeStarted = new Promise<CassandraServer>((resolve) => (nodeUp = resolve));
    let firstRenewal: Promise<CertificateRenewedEvent>;

    beforeAll(async () => {
      vault = await startDevServer(flavor);
      ({ rootPem, issuingPem } = await setUpHierarchy(vault));
      await writePkiRole(vault, ISSUING_MOUNT, "cassandra-node", {
        allowed_domains: ["localhost"],
        allow_bare_domains: true,
        allow_localhost: true,
        allow_ip_sans: true,
        server_flag: true,
        client_flag: false,
        key_type: "any",
        max_ttl: "1h",
      });
      await writePkiRole(vault, ISSUING_MOUNT, "cassandra-client", {
        allowed_domains: ["clients.example.com"],
        allow_subdomains: true,
        server_flag: false,
        client_flag: true,
        key_type: "any",
        max_ttl: "1h",
      });
      await setUpPkiMount(vault, OTHER_MOUNT, "Some Other Root CA");
      await writePkiRole(vault, OTHER_MOUNT, "client", {
        allowed_domains: ["clients.example.com"],
        allow_subdomains: true,
        server_flag: false,
        client_flag: true,
        key_type: "any",
      });

      client = new VaultClient({ address: vault.address, token: vault.token });
      // Times every signing call the manager makes (the issue latency OpenBao adds).
      const timed: Requester = {
        setToken: (token) => client.setToken(token),
        request: async (req, policy) => {
          const started = Date.now();
          try {
            return await client.request(req, policy);
          } finally {
            if (/\/sign\//.test(req.path)) signs.push({ path: req.path, startedAt: started, ms: Date.now() - started });
          }
        },
      };
      manager = new CertificateManager({ requester: timed, mount: ISSUING_MOUNT });
      firstRenewal = new Promise((resolve) =>
        manager.on("renewed", (event) => {
          renewals.push({ event, at: Date.now() });
          resolve(event);
        }),
      );
      manager.on("error", (event) => hookErrors.push(event.error));

      dir = serverTempDir("cassandra-certs");
      const keystore = join(dir, "node-keystore.p12");
      const truststore = join(dir, "node-truststore.p12");
      const keystorePassword = randomBytes(12).toString("hex");
      const truststorePassword = randomBytes(12).toString("hex");

      const started = Date.now();
      nodeCert = await manager.manage({
        name: "cassandra-node",
        role: "cassandra-node",
        purpose: "server",
        request: { common_name: "localhost", alt_names: ["localhost", "127.0.0.1"], ttl: `${NODE_TTL_S}s` },
        sinks: [
          pkcs12FileSink({
            keystorePath: keystore,
            alias: "node",
            password: () => keystorePassword,
            truststorePath: truststore,
            truststorePassword: () => truststorePassword,
          }),
        ],
        // The daemon's after-delivery hook: the keystore is replaced, make Cassandra serve it. The
        // first certificate needs none — the node is started on it.
        onCertificate: async (cert) => {
          const delivery: Delivery = { serial: cert.parsed.serial.colon, deliveredAt: Date.now() };
          deliveries.push(delivery);
          if (deliveries.length === 1) return;
          const node = await nodeStarted;
          const tls = { ca: rootPem, cert: appTls.cert, key: appTls.key };
          delivery.presentedBeforeReload = (await peerCertificate(node, tls)).serialNumber;
          delivery.reloadMs = await node.reloadSsl();
          if (sameSerial((await peerCertificate(node, tls)).serialNumber, delivery.serial)) delivery.presentedAt = Date.now();
        },
      });
      manageMs = Date.now() - started;

      appCert = await manager.manage({
        name: "app-client",
        role: "cassandra-client",
        purpose: "client",
        request: { common_name: "app.clients.example.com", ttl: "30m" },
      });
      // The leaf alone: the node must find the issuing CA in its own truststore.
      appTls = { ca: rootPem, cert: appCert.parsed.pem, key: appCert.private_key.pem() };

      cassandra = await startCassandraServer({ clientTls: { keystore, keystorePassword, truststore, truststorePassword } });
      nodeUpAt = Date.now();
      nodeUp(cassandra);
    }, 240_000);

    afterAll(async () => {
      await manager?.stop();
      await client?.close();
      await cassandra?.stop();
      await vault?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("issues the node certificate from the issuing CA, with the root in its chain and the node's names", () => {
      expect(nodeCert.parsed.issuer).toMatch(/Cassandra Test Issuing CA/);
      expect(nodeCert.ca_chain.map((pem) => pem.trim())).toEqual([issuingPem.trim(), rootPem.trim()]);
      expect(nodeCert.parsed.sans.dns).toEqual(["localhost"]);
      expect(nodeCert.parsed.sans.ip).toEqual(["127.0.0.1"]);
      expect(appCert.parsed.extendedKeyUsages).toEqual(["clientAuth"]);
      // Both certificates were signed from local keys (CSRs), never issued with an OpenBao-made key.
      expect(signs.map((s) => s.path)).toEqual([`${ISSUING_MOUNT}/sign/cassandra-node`, `${ISSUING_MOUNT}/sign/cassandra-client`]);
      figure(
        `issue: node certificate manage() ${manageMs} ms (key + CSR + sign + PKCS#12 keystore/truststore), OpenBao sign ${signs[0].ms} ms; client certificate sign ${signs[1].ms} ms`,
      );
      figure(`Cassandra ${CASSANDRA_BUILD.version} started on the manager's keystore in ${cassandra!.startupMs} ms`);
    });

    it("presents the Vault-issued node certificate, chained to the root, and lets the driver in with a Vault-issued client certificate", async () => {
      const node = cassandra!;
      // Trusting only the root: the handshake verifies only if the keystore carries the issuing CA too.
      const peer = await peerCertificate(node, { ca: rootPem, cert: appTls.cert, key: appTls.key });
      expect(sameSerial(peer.serialNumber, nodeCert.parsed.serial.colon)).toBe(true);
      expect(peer.issuer.CN).toBe("Cassandra Test Issuing CA");

      const cql = driver(node, appTls);
      try {
        expect(await releaseVersion(cql)).toBe(CASSANDRA_BUILD.version);
        const peers = poolSockets(cql).map((s) => s.getPeerCertificate().serialNumber);
        expect(peers.length).toBeGreaterThan(0);
        for (const serial of peers) expect(sameSerial(serial, nodeCert.parsed.serial.colon)).toBe(true);
      } finally {
        await cql.shutdown();
      }
    });

    it("refuses, at the TLS layer, a client certificate of another CA on the same OpenBao", async () => {
      const foreign = await client.pki(OTHER_MOUNT).issueWithLocalKey("client", { common_name: "app.clients.example.com", ttl: "30m" });
      expect(foreign.parsed.extendedKeyUsages).toEqual(["clientAuth"]);
      expect(foreign.parsed.commonName).toBe(appCert.parsed.commonName);
      // The client trusts the node's root, so only the node's check of the client certificate can fail.
      const { error, cause } = await refusal(cassandra!, { ca: rootPem, cert: foreign.parsed.pem, key: foreign.private_key.pem() });
      expect(error).toBeInstanceOf(errors.NoHostAvailableError);
      expect(cause).toMatch(/SSL alert number \d+/);
    });

    it("renews on schedule; the delivery hook reloads Cassandra, which then serves the new serial to new and old connections alike", async () => {
      const node = cassandra!;
      const longLived = driver(node, appTls);
      try {
        expect(await releaseVersion(longLived)).toBe(CASSANDRA_BUILD.version);
        const [openSocket] = poolSockets(longLived);
        expect(sameSerial(openSocket.getPeerCertificate().serialNumber, nodeCert.parsed.serial.colon)).toBe(true);

        const event = await firstRenewal;
        expect(hookErrors).toEqual([]);
        expect(event.previousSerial).toBe(nodeCert.parsed.serial.colon);
        expect(event.serial).not.toBe(event.previousSerial);
        expect(manager.current("cassandra-node")?.parsed.serial.colon).toBe(event.serial);

        const delivery = deliveries[1];
        expect(deliveries).toHaveLength(2);
        expect(delivery.serial).toBe(event.serial);
        // Scheduled, not early: half the lifetime (the margin rule) after the first delivery.
        const renewedAfterMs = delivery.deliveredAt - deliveries[0].deliveredAt;
        expect(renewedAfterMs).toBeGreaterThan((NODE_TTL_S / 2) * 1000 - 2_000);
        expect(renewedAfterMs).toBeLessThan(NODE_TTL_S * 1000);
        // The keystore alone changes nothing: Cassandra, up before it was replaced, served the old certificate until the hook's reload.
        expect(delivery.deliveredAt).toBeGreaterThan(nodeUpAt);
        expect(sameSerial(delivery.presentedBeforeReload!, event.previousSerial)).toBe(true);
        expect(delivery.presentedAt).toBeDefined();

        const after = await peerCertificate(node, { ca: rootPem, cert: appTls.cert, key: appTls.key });
        expect(sameSerial(after.serialNumber, event.serial)).toBe(true);

        const fresh = driver(node, appTls);
        try {
          expect(await releaseVersion(fresh)).toBe(CASSANDRA_BUILD.version);
          for (const socket of poolSockets(fresh)) expect(sameSerial(socket.getPeerCertificate().serialNumber, event.serial)).toBe(true);
        } finally {
          await fresh.shutdown();
        }
        // The connection opened before the reload is the same socket, still on the old certificate, and still serves CQL.
        expect(await releaseVersion(longLived)).toBe(CASSANDRA_BUILD.version);
        expect(poolSockets(longLived)).toEqual([openSocket]);
        expect(sameSerial(openSocket.getPeerCertificate().serialNumber, event.previousSerial)).toBe(true);

        const sign = signs[2];
        expect(sign.path).toBe(`${ISSUING_MOUNT}/sign/cassandra-node`);
        figure(
          `renewal: ${renewedAfterMs} ms after the first delivery (TTL ${NODE_TTL_S} s); OpenBao sign ${sign.ms} ms; nodetool reloadssl ${delivery.reloadMs} ms; ` +
            `renewal start (sign request) → Cassandra presenting the new serial ${delivery.presentedAt! - sign.startedAt} ms ` +
            `(keystore written → new serial ${delivery.presentedAt! - delivery.deliveredAt} ms; 'renewed' event ${renewals[0].at - sign.startedAt} ms after the start)`,
        );
      } finally {
        await longLived.shutdown();
        await manager.stop();
      }
    }, 120_000);
  },
);
