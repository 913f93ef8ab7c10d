/**
 * The CertificateManager's schedule on a fake clock: renewal inside the band, retries while the
 * certificate is valid, alarms when renewals keep failing, recovery. The "PKI" is a requester
 * that mints real certificates (local CA, @peculiar/x509) dated by the fake clock.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { ExtendedKeyUsageExtension, X509CertificateGenerator } from "@peculiar/x509";
import { Registry } from "prom-client";
import {
  CertificateAuditRecord,
  CertificateErrorEvent,
  CertificateManager,
  CertificateRenewedEvent,
  Requester,
  VaultConnectionError,
  VaultRequest,
  VaultResponse,
} from "../../../../runtime";
import { FakeClock } from "../auth/fakes";

const crypto = webcrypto as unknown as Crypto;
const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

/** A PKI double: `issue/` answers with a certificate valid from now for the requested TTL, unless told to fail. */
class MintingRequester implements Requester {
  public failing = false;
  public issued = 0;
  public readonly pending: Promise<unknown>[] = [];
  private serial = 1;

  /** The engine under test never changes the token. */
  setToken(): void {}

  constructor(
    private readonly clock: FakeClock,
    private readonly ca: CryptoKeyPair,
    private readonly leaf: CryptoKeyPair,
    private readonly leafPkcs8: string,
  ) {}

  request<T>(req: VaultRequest): Promise<VaultResponse<T>> {
    const answer = this.answer(req);
    this.pending.push(answer.catch(() => undefined));
    return answer as Promise<VaultResponse<T>>;
  }

  private async answer(req: VaultRequest): Promise<VaultResponse<unknown>> {
    if (req.path === "auth/token/lookup-self") return { status: 200, body: { data: { accessor: "accessor-1" } } };
    if (this.failing) throw new VaultConnectionError(req.method, req.path, "http://127.0.0.1:8200", new Error("ECONNREFUSED"));
    const ttlSeconds = Number(/^(\d+)s$/.exec(String((req.body as { ttl: string }).ttl))?.[1]);
    const now = this.clock.now();
    const cert = await X509CertificateGenerator.create(
      {
        serialNumber: (this.serial++).toString(16).padStart(4, "0"),
        subject: "CN=svc.example.com",
        issuer: "CN=Fake CA",
        notBefore: new Date(now),
        notAfter: new Date(now + ttlSeconds * 1000),
        signingAlgorithm: EC,
        publicKey: this.leaf.publicKey,
        signingKey: this.ca.privateKey,
        extensions: [new ExtendedKeyUsageExtension(["1.3.6.1.5.5.7.3.1"])],
      },
      crypto,
    );
    this.issued++;
    const pem = cert.toString("pem");
    const data = {
      certificate: pem,
      issuing_ca: pem,
      ca_chain: [],
      serial_number: "",
      expiration: 0,
      private_key: this.leafPkcs8,
      private_key_type: "ec",
    };
    return { status: 200, body: { request_id: `req-${this.issued}`, data } };
  }

  /** Let every answer started so far finish (certificate signing runs on real time). */
  async settle(): Promise<void> {
    while (this.pending.length > 0) await this.pending.shift();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }
}

async function setUp(random: () => number) {
  const ca = (await crypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair;
  const leaf = (await crypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair;
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", leaf.privateKey)).toString("base64");
  const clock = new FakeClock();
  const requester = new MintingRequester(clock, ca, leaf, `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n`);
  const registry = new Registry();
  const audit: CertificateAuditRecord[] = [];
  const manager = new CertificateManager({
    requester,
    clock,
    random,
    registry,
    minMarginMs: 60_000,
    backoff: { minMs: 1_000, maxMs: 300_000 },
    audit: (r) => audit.push(r),
  });
  const events = { renewed: [] as CertificateRenewedEvent[], errors: [] as CertificateErrorEvent[], expiring: 0, expired: 0 };
  manager.on("renewed", (e) => events.renewed.push(e));
  manager.on("error", (e) => events.errors.push(e));
  manager.on("expiring", () => events.expiring++);
  manager.on("expired", () => events.expired++);
  /** Advance the fake clock in steps, letting each renewal's real async work finish. */
  const advance = async (ms: number, step = 500): Promise<void> => {
    for (let done = 0; done < ms; done += step) {
      await clock.advance(Math.min(step, ms - done));
      await requester.settle();
    }
  };
  const spec = {
    name: "svc",
    role: "web",
    key: "vault" as const,
    purpose: "server" as const,
    request: { common_name: "svc.example.com", ttl: "1000s" },
  };
  return { clock, requester, registry, audit, manager, events, advance, spec };
}

describe("CertificateManager schedule (fake clock)", () => {
  it("renews at the band point the random source picks, and again from the new certificate", async () => {
    const t = await setUp(() => 0.5);
    const first = await t.manager.manage(t.spec);
    // 1000 s lifetime, 60–75 % band, random 0.5 → 67.5 %.
    expect(t.clock.pending).toEqual(expect.arrayContaining([675_000]));
    await t.advance(674_000);
    expect(t.requester.issued).toBe(1);
    await t.advance(1_000);
    expect(t.requester.issued).toBe(2);
    expect(t.events.renewed).toHaveLength(1);
    expect(t.events.renewed[0]).toMatchObject({ previousSerial: first.parsed.serial.colon, failedAttempts: 0 });
    expect(t.events.renewed[0].renewAt.getTime()).toBe(t.clock.now() + 675_000);
    expect(t.audit.map((r) => [r.action, r.tokenAccessor])).toEqual([
      ["issued", "accessor-1"],
      ["renewed", "accessor-1"],
    ]);
    expect(await t.registry.metrics()).toMatch(/vaultsmith_certificate_renewals_total\{certificate="svc"\} 1/);
    await t.manager.stop();
    expect(t.clock.pending).toEqual([]);
  });

  it("takes its metrics off the registry on stop, so a new manager can register the same names", async () => {
    const t = await setUp(() => 0.5);
    await t.manager.manage(t.spec);
    expect(await t.registry.metrics()).toMatch(/vaultsmith_managed_certificates 1/);
    await t.manager.stop();
    expect(await t.registry.metrics()).not.toMatch(/certificate/);
    const next = new CertificateManager({ requester: t.requester, clock: t.clock, registry: t.registry });
    await next.manage(t.spec);
    expect(await t.registry.metrics()).toMatch(/vaultsmith_managed_certificates 1/);
    await next.stop();
  });

  it("retries with backoff while the certificate is valid and recovers before expiry", async () => {
    const t = await setUp(() => 0);
    await t.manager.manage(t.spec);
    t.requester.failing = true;
    await t.advance(600_000 + 20_000);
    const failures = t.events.errors.length;
    expect(failures).toBeGreaterThanOrEqual(4);
    expect(t.events.errors.every((e) => e.currentValid)).toBe(true);
    expect(t.events.errors.map((e) => e.attempt)).toEqual([...Array(failures).keys()]);
    // Backoff with random 0: half of 1, 2, 4, 8 … s.
    expect(t.events.errors.slice(0, 4).map((e) => e.retryInMs)).toEqual([500, 1_000, 2_000, 4_000]);
    expect(t.events.errors[0].error).toBeInstanceOf(VaultConnectionError);
    t.requester.failing = false;
    await t.advance(40_000);
    expect(t.events.renewed).toHaveLength(1);
    expect(t.events.renewed[0].failedAttempts).toBe(failures);
    expect(t.events.expiring + t.events.expired).toBe(0);
    expect(await t.registry.metrics()).toMatch(new RegExp(`renewal_failures_total\\{certificate="svc"\\} ${failures}`));
    await t.manager.stop();
  });

  it("during a long outage packs retries into the time left, raises expiring then expired, and keeps trying after", async () => {
    const t = await setUp(() => 0);
    const first = await t.manager.manage(t.spec);
    const notAfter = first.parsed.notAfter.getTime();
    t.requester.failing = true;
    await t.advance(notAfter - t.clock.now() - 31_000);
    expect(t.events.expiring).toBe(0);
    await t.advance(2_000);
    expect(t.events.expiring).toBe(1);
    const beforeExpiry = t.events.errors.filter((e) => e.currentValid).length;
    await t.advance(31_000);
    expect(t.events.expired).toBe(1);
    // With the retry cap (a third of the time left) attempts crowd in towards notAfter.
    expect(beforeExpiry).toBeGreaterThan(12);
    await t.advance(600_000, 5_000);
    const afterExpiry = t.events.errors.filter((e) => !e.currentValid);
    expect(afterExpiry.length).toBeGreaterThanOrEqual(3);
    // After expiry the plain backoff applies again (random 0: half of the 300 s cap).
    expect(afterExpiry.at(-1)!.retryInMs).toBe(150_000);
    t.requester.failing = false;
    await t.advance(151_000, 5_000);
    expect(t.events.renewed).toHaveLength(1);
    expect(t.manager.current("svc")!.parsed.notAfter.getTime()).toBeGreaterThan(t.clock.now());
    expect(t.events.expired).toBe(1);
    await t.manager.stop();
  });

  it("retries a failed delivery (a reload hook) with the certificate already issued, not a new one per attempt", async () => {
    const t = await setUp(() => 0);
    let reloads = 0;
    let reloadWorks = false;
    const delivered: string[] = [];
    await t.manager.manage({
      ...t.spec,
      onCertificate: (c) => {
        reloads++;
        if (reloads > 1 && !reloadWorks) throw new Error("nodetool reloadssl failed");
        delivered.push(c.parsed.serial.colon);
      },
    });
    await t.advance(600_000 + 20_000);
    expect(t.events.errors.length).toBeGreaterThanOrEqual(4);
    expect(t.events.errors[0].error.message).toBe("nodetool reloadssl failed");
    expect(t.requester.issued).toBe(2);
    reloadWorks = true;
    await t.advance(40_000);
    expect(t.requester.issued).toBe(2);
    expect(t.events.renewed).toHaveLength(1);
    expect(delivered).toHaveLength(2);
    expect(t.manager.current("svc")!.parsed.serial.colon).toBe(delivered[1]);
    await t.manager.stop();
  });
});
