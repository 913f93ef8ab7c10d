import { execFileSync } from "node:child_process";
import { X509Certificate, createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Server, connect, createServer } from "node:tls";
import { inspect } from "node:util";
import { Registry } from "prom-client";
import {
  CertificateAuditRecord,
  CertificateManager,
  CertificatePurposeError,
  CertificateRenewedEvent,
  CertificateSinkError,
  SecureContextProvider,
  VaultClient,
  pemFileSink,
  pkcs12FileSink,
} from "../../../../runtime";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { setUpPkiMount, storedSerials, writePkiRole } from "../../../support/pki-mount";
import { selectedFlavors } from "../../../support/server-binaries";
import { admin } from "../../../support/vault-admin";

interface Handshake {
  readonly ok: boolean;
  readonly serial?: string;
  readonly validTo?: number;
  readonly error?: string;
}

/** One TLS handshake to 127.0.0.1:`port`, verifying against `ca`; resolves with what the server presented. */
function handshake(port: number, ca: string, servername: string | undefined): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port, ca, ...(servername ? { servername } : {}), checkServerIdentity: () => undefined });
    socket.setTimeout(5_000, () => socket.destroy(new Error("timeout")));
    socket.once("secureConnect", () => {
      const peer = socket.getPeerCertificate();
      resolve({
        ok: socket.authorized,
        serial: peer.serialNumber?.toLowerCase(),
        validTo: Date.parse(peer.valid_to),
        error: socket.authorizationError?.message,
      });
      socket.destroy();
    });
    socket.once("error", (error) => resolve({ ok: false, error: error.message }));
  });
}

function keytool(...args: string[]): string {
  return execFileSync("keytool", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe.each(selectedFlavors())("CertificateManager against a real %s dev server", (flavor) => {
  let server: DevServer;
  let client: VaultClient;
  let rootPem: string;
  let rootAccessor: string;
  let dir: string;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    rootPem = await setUpPkiMount(server, "pki");
    await writePkiRole(server, "pki", "tls", { allowed_domains: ["example.com"], allow_subdomains: true, max_ttl: "1h", key_type: "any" });
    await writePkiRole(server, "pki", "clients-only", {
      allowed_domains: ["example.com"],
      allow_subdomains: true,
      server_flag: false,
      client_flag: true,
      key_type: "any",
    });
    rootAccessor = (await admin<{ data: { accessor: string } }>(server, "GET", "auth/token/lookup-self")).data.accessor;
    client = new VaultClient({ address: server.address, token: server.token });
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-certs-"));
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("renews a 12 s certificate again and again before expiry while two TLS servers keep passing handshakes", async () => {
    const registry = new Registry();
    const audit: CertificateAuditRecord[] = [];
    const renewed: { event: CertificateRenewedEvent; at: number; previousNotAfter: number }[] = [];
    const problems: unknown[] = [];
    const delivered: string[] = [];
    const provider = new SecureContextProvider();
    const manager = new CertificateManager({ requester: client, minMarginMs: 2_000, registry, audit: (r) => audit.push(r) });
    manager.on("renewed", (event) => {
      const previous = renewed.at(-1)?.event.notAfter ?? first.parsed.notAfter;
      renewed.push({ event, at: Date.now(), previousNotAfter: previous.getTime() });
    });
    for (const event of ["expiring", "expired", "error"] as const) manager.on(event, (e: unknown) => problems.push(e));

    const first = await manager.manage({
      name: "tls-server",
      role: "tls",
      purpose: "server",
      request: { common_name: "tls.example.com", alt_names: ["127.0.0.1"], ttl: "12s" },
      secureContext: provider,
      onCertificate: (cert) => void delivered.push(cert.parsed.serial.colon),
    });
    expect(first.parsed.sans.ip).toEqual(["127.0.0.1"]);
    expect(first.parsed.keyAlgorithm).toEqual({ type: "ec", curve: "prime256v1" });
    const whileManaged = await registry.metrics();
    expect(whileManaged).toMatch(/vaultsmith_managed_certificates 1/);
    const toExpiry = Number(/vaultsmith_certificate_seconds_to_expiry\{certificate="tls-server"\} (\S+)/.exec(whileManaged)?.[1]);
    expect(toExpiry).toBeGreaterThan(5);
    expect(toExpiry).toBeLessThanOrEqual(12);

    const sniServer: Server = createServer({ SNICallback: provider.sniCallback }, (socket) => socket.end());
    const attached: Server = createServer({}, (socket) => socket.end());
    const detach = provider.attach(attached);
    await Promise.all([sniServer, attached].map((s) => new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve))));
    const ports = [sniServer, attached].map((s) => (s.address() as AddressInfo).port);

    const seen = new Set<string>();
    const failures: Handshake[] = [];
    let handshakes = 0;
    const end = Date.now() + 30_000;
    let beforeStop = "";
    try {
      while (Date.now() < end) {
        const results = await Promise.all([handshake(ports[0], rootPem, "tls.example.com"), handshake(ports[1], rootPem, undefined)]);
        for (const result of results) {
          handshakes++;
          if (!result.ok || result.validTo === undefined || result.validTo <= Date.now()) failures.push(result);
          if (result.serial) seen.add(result.serial);
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      beforeStop = await registry.metrics();
    } finally {
      detach();
      await manager.stop();
      await Promise.all([sniServer, attached].map((s) => new Promise((resolve) => s.close(resolve))));
    }

    expect(failures).toEqual([]);
    expect(handshakes).toBeGreaterThan(50);
    expect(problems).toEqual([]);
    // 12 s certificates renewed at 60–75 % of their life: at least three renewals in 30 s.
    expect(renewed.length).toBeGreaterThanOrEqual(3);
    for (const { event, at, previousNotAfter } of renewed) {
      expect(at).toBeLessThan(previousNotAfter);
      expect(event.serial).not.toBe(event.previousSerial);
      expect(event.failedAttempts).toBe(0);
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(delivered).toEqual([first.parsed.serial.colon, ...renewed.map((r) => r.event.serial)]);

    expect(audit.map((r) => r.action)).toEqual(["issued", ...renewed.map(() => "renewed")]);
    expect(audit[0]).toMatchObject({
      name: "tls-server",
      mount: "pki",
      role: "tls",
      commonName: "tls.example.com",
      tokenAccessor: rootAccessor,
    });
    expect(audit[1].serial).toBe(renewed[0].event.serial);
    const auditText = JSON.stringify(audit) + inspect(audit, { depth: 5 });
    expect(auditText).not.toContain("PRIVATE KEY");
    expect(auditText).not.toContain(server.token);

    expect(beforeStop).toMatch(/vaultsmith_managed_certificates 1/);
    expect(beforeStop).toMatch(new RegExp(`vaultsmith_certificate_renewals_total\\{certificate="tls-server"\\} ${renewed.length}`));
    expect(beforeStop).not.toMatch(/renewal_failures_total\{/);
    // A stopped manager reports nothing (its metrics leave the registry).
    expect(await registry.metrics()).not.toMatch(/certificate/);
  });

  it("writes a PEM set and a PKCS#12 keystore + truststore that Java's keytool reads, atomically and mode 0600", async () => {
    process.env.VAULTSMITH_TEST_KEYSTORE_PASSWORD = "changeit-7f3a";
    const paths = {
      key: join(dir, "node.key"),
      cert: join(dir, "node.crt"),
      fullChain: join(dir, "node.fullchain.pem"),
      keystore: join(dir, "node.p12"),
      truststore: join(dir, "trust.p12"),
    };
    const manager = new CertificateManager({ requester: client, minMarginMs: 60_000 });
    try {
      const cert = await manager.manage({
        name: "cassandra",
        role: "tls",
        key: { type: "rsa", bits: 2048 },
        request: { common_name: "cassandra-node-1.example.com", alt_names: "10.0.1.100", ttl: "10m" },
        sinks: [
          pemFileSink({ keyPath: paths.key, certPath: paths.cert, fullChainPath: paths.fullChain }),
          pkcs12FileSink({
            keystorePath: paths.keystore,
            alias: "cassandra-node-1",
            truststorePath: paths.truststore,
            password: { env: "VAULTSMITH_TEST_KEYSTORE_PASSWORD" },
          }),
        ],
      });
      for (const path of Object.values(paths)) expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(paths.cert, "utf8").trim()).toBe(cert.parsed.pem);
      expect(readFileSync(paths.fullChain, "utf8")).toContain(rootPem);
      const written = new X509Certificate(readFileSync(paths.cert));
      expect(createPublicKey(readFileSync(paths.key)).export({ type: "spki", format: "der" })).toEqual(
        written.publicKey.export({ type: "spki", format: "der" }),
      );

      const store = keytool("-list", "-v", "-keystore", paths.keystore, "-storetype", "PKCS12", "-storepass", "changeit-7f3a");
      expect(store).toContain("Alias name: cassandra-node-1");
      expect(store).toContain("Entry type: PrivateKeyEntry");
      expect(store).toContain("Certificate chain length: 2");
      expect(store.toLowerCase()).toContain(`serial number: ${cert.parsed.serial.hex.replace(/^0+/, "")}`);
      const trust = keytool("-list", "-keystore", paths.truststore, "-storetype", "PKCS12", "-storepass", "changeit-7f3a");
      expect(trust).toContain("Your keystore contains 1 entry");
      expect(trust).toContain("trustedCertEntry");
      expect(() => keytool("-list", "-keystore", paths.keystore, "-storetype", "PKCS12", "-storepass", "wrong-password")).toThrow();

      const next = await manager.renewNow("cassandra");
      expect(next.parsed.serial.value).not.toBe(cert.parsed.serial.value);
      const renewedStore = keytool("-list", "-v", "-keystore", paths.keystore, "-storetype", "PKCS12", "-storepass", "changeit-7f3a");
      expect(renewedStore.toLowerCase()).toContain(`serial number: ${next.parsed.serial.hex.replace(/^0+/, "")}`);
      expect(readFileSync(paths.cert, "utf8").trim()).toBe(next.parsed.pem);
    } finally {
      await manager.stop();
      delete process.env.VAULTSMITH_TEST_KEYSTORE_PASSWORD;
    }
  });

  it("refuses an unwritable keystore path or a missing password before issuing anything", async () => {
    const before = await storedSerials(server, "pki");
    const blocker = join(dir, "not-a-dir");
    writeFileSync(blocker, "x");
    const manager = new CertificateManager({ requester: client });
    const spec = { name: "bad", role: "tls", request: { common_name: "bad.example.com", ttl: "5m" } };
    const cases = [
      pkcs12FileSink({ keystorePath: join(dir, "missing-dir", "ks.p12"), password: () => "pw" }),
      pkcs12FileSink({ keystorePath: join(blocker, "ks.p12"), password: () => "pw" }),
      pkcs12FileSink({ keystorePath: dir, password: () => "pw" }),
      pkcs12FileSink({ keystorePath: join(dir, "ok.p12"), password: { env: "VAULTSMITH_TEST_UNSET_PASSWORD" } }),
      pemFileSink({ keyPath: join(dir, "missing-dir", "k.pem") }),
    ];
    for (const sink of cases) {
      const error = await manager.manage({ ...spec, sinks: [sink] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CertificateSinkError);
      expect(error).toMatchObject({ operation: "prepare" });
    }
    const missingPw = await manager.manage({ ...spec, sinks: [cases[3]] }).catch((e: unknown) => e);
    expect((missingPw as Error).message).toContain("VAULTSMITH_TEST_UNSET_PASSWORD is not set");
    expect((missingPw as CertificateSinkError).path).toBe(join(dir, "ok.p12"));
    expect(manager.current("bad")).toBeUndefined();
    expect(await storedSerials(server, "pki")).toEqual(before);
    await manager.stop();
  });

  it("refuses a certificate whose role does not grant the purpose's extended key usage", async () => {
    const manager = new CertificateManager({ requester: client });
    const error = await manager
      .manage({ name: "wrong", role: "clients-only", purpose: "server", request: { common_name: "svc.example.com", ttl: "5m" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertificatePurposeError);
    expect((error as Error).message).toContain("[clientAuth]");
    const ok = await manager.manage({
      name: "client",
      role: "clients-only",
      purpose: "client",
      request: { common_name: "svc.example.com", ttl: "5m" },
    });
    expect(ok.parsed.extendedKeyUsages).toEqual(["clientAuth"]);
    await manager.stop();
  });
});
