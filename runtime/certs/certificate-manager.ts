/**
 * CertificateManager: keeps certificates (server, client, code-signing) from PKI roles current.
 * Each managed name gets its first certificate from {@link CertificateManager.manage}, then is
 * renewed at a random point of a band of its lifetime (see `renewal-schedule`), retried with
 * backoff while the current certificate is still valid and after, so a certificate never lapses
 * while OpenBao is reachable. Every new certificate goes to the caller's callback, a TLS context
 * provider and file sinks; every issuance, renewal and revocation leaves an audit record.
 * Time and randomness are injectable so unit tests drive the schedule without waiting.
 */
import { EventEmitter } from "node:events";
import { Registry } from "prom-client";
import { Clock, systemClock } from "../core/clock";
import { IssuedCertificate, PkiApi, PkiIssueRequest } from "../engines/pki";
import type { LocalKeySpec } from "../engines/pki-csr";
import { BackoffOptions } from "../core/backoff";
import type { Requester } from "../transport/requester";
import { CertificateAuditAction, CertificateAuditSink, TokenAccessorSource } from "./cert-audit";
import { CertificateManagerEvents, CertificatePurpose } from "./cert-events";
import { CertificateMetrics } from "./cert-metrics";
import { CertificateSink } from "./cert-sinks";
import { DEFAULT_RENEWAL_BACKOFF, DEFAULT_RENEWAL_BAND, RenewalBand, checkBand, renewalTime, retryDelay } from "./renewal-schedule";
import { SecureContextProvider } from "./secure-context";

/** Options of {@link CertificateManager}. */
export interface CertificateManagerOptions {
  /** The client (or any requester) certificates are obtained with. */
  readonly requester: Requester;
  /** PKI mount. @default "pki" */
  readonly mount?: string;
  /** Band of the lifetime in which renewals fall. @default 60–75 % */
  readonly band?: RenewalBand;
  /** Renew at least this long before `notAfter` (cut to half the lifetime for shorter certificates). @default 300000 (5 min) */
  readonly minMarginMs?: number;
  /** Backoff of failed renewals. @default 1 s doubling to 60 s */
  readonly backoff?: BackoffOptions;
  /** Time source. @default the system clock */
  readonly clock?: Clock;
  /** Random source in [0, 1) for the renewal point and backoff jitter. @default Math.random */
  readonly random?: () => number;
  /** Registry to register the metrics on. @default none (no metrics) */
  readonly registry?: Registry;
  /** Metric name prefix. @default "vaultsmith_" */
  readonly metricsPrefix?: string;
  /** Receives an audit record per issuance, renewal and revocation. @default none */
  readonly audit?: CertificateAuditSink;
}

/** One certificate to keep current. */
export interface ManagedCertificateSpec {
  /** Name it is managed, labelled and audited under (unique per manager). */
  readonly name: string;
  /** PKI role to obtain it from. */
  readonly role: string;
  /** The issue request (Vault field names: `common_name`, `alt_names`, `ttl`, …). */
  readonly request: PkiIssueRequest;
  /** What it is for; the certificate must carry the matching extended key usage. @default no check */
  readonly purpose?: CertificatePurpose;
  /** Key generated locally (the key never leaves this process) or `"vault"` to let OpenBao generate it. @default { type: "ec", curve: "P-256" } */
  readonly key?: LocalKeySpec | "vault";
  /** Called with every new certificate (first and renewed), after the sinks. */
  readonly onCertificate?: (certificate: IssuedCertificate) => void | Promise<void>;
  /** Serves every new certificate to TLS servers. */
  readonly secureContext?: SecureContextProvider;
  /** File sinks; checked writable before the first issuance. */
  readonly sinks?: readonly CertificateSink[];
}

/** A certificate lacks the extended key usage its purpose needs (the role is configured for something else). */
export class CertificatePurposeError extends Error {
  /** Managed name. */
  public readonly certificateName: string;
  /** The purpose asked for. */
  public readonly purpose: CertificatePurpose;

  /** @internal */
  constructor(name: string, purpose: CertificatePurpose, serial: string, found: readonly string[]) {
    super(
      `certificate "${name}" (serial ${serial}) is for ${purpose} use but its extended key usages are [${found.join(", ")}]; check the role's flags`,
    );
    this.name = "CertificatePurposeError";
    this.certificateName = name;
    this.purpose = purpose;
  }
}

const PURPOSE_EKU: Readonly<Record<CertificatePurpose, string>> = {
  server: "serverAuth",
  client: "clientAuth",
  "code-signing": "codeSigning",
};

interface Managed {
  readonly spec: ManagedCertificateSpec;
  current: IssuedCertificate;
  /**
   * A renewed certificate whose delivery failed (a sink, the reload hook): the retry delivers it
   * again instead of issuing another one, so a service that cannot reload does not make the
   * manager mint a certificate per attempt.
   */
  undelivered: IssuedCertificate | undefined;
  failures: number;
  timers: (() => void)[];
  inFlight: boolean;
}

/** Keeps certificates current; see the module doc. Call {@link CertificateManager.stop} when done. */
export class CertificateManager extends EventEmitter<CertificateManagerEvents> {
  /** The PKI mount used. */
  public readonly pki: PkiApi;
  /** The metrics, when a registry was given. */
  public readonly metrics: CertificateMetrics | undefined;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly band: RenewalBand;
  private readonly minMarginMs: number;
  private readonly backoff: BackoffOptions;
  private readonly accessor: TokenAccessorSource;
  private readonly managed = new Map<string, Managed>();
  private stopped = false;

  /** A manager obtaining certificates through `options.requester`. */
  constructor(private readonly options: CertificateManagerOptions) {
    super();
    this.pki = new PkiApi(options.requester, options.mount ?? "pki");
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.band = checkBand(options.band ?? DEFAULT_RENEWAL_BAND);
    this.minMarginMs = options.minMarginMs ?? 300_000;
    this.backoff = options.backoff ?? DEFAULT_RENEWAL_BACKOFF;
    this.accessor = new TokenAccessorSource(options.requester);
    this.metrics = options.registry
      ? new CertificateMetrics(
          options.registry,
          options.metricsPrefix ?? "vaultsmith_",
          () => new Map([...this.managed].map(([name, m]) => [name, m.current.parsed.notAfter.getTime()])),
          () => this.clock.now(),
        )
      : undefined;
  }

  /**
   * Start managing `spec`: check the sinks, obtain and deliver the first certificate, plan its
   * renewal. Throws (typed) when a sink is unusable — before anything is issued — or when the
   * first certificate cannot be obtained; nothing is left scheduled then.
   */
  async manage(spec: ManagedCertificateSpec): Promise<IssuedCertificate> {
    if (this.stopped) throw new Error("CertificateManager is stopped");
    if (this.managed.has(spec.name)) throw new TypeError(`certificate "${spec.name}" is already managed`);
    for (const sink of spec.sinks ?? []) await sink.prepare();
    const certificate = await this.obtain(spec);
    await this.deliver(spec, certificate);
    const entry: Managed = { spec, current: certificate, undelivered: undefined, failures: 0, timers: [], inFlight: false };
    this.managed.set(spec.name, entry);
    await this.record("issued", spec, certificate);
    const renewAt = this.plan(entry);
    this.emit("obtained", {
      name: spec.name,
      serial: certificate.parsed.serial.colon,
      notAfter: certificate.parsed.notAfter,
      renewAt: new Date(renewAt),
    });
    return certificate;
  }

  /** The certificate currently delivered for `name`. */
  current(name: string): IssuedCertificate | undefined {
    return this.managed.get(name)?.current;
  }

  /** Renew `name` now (e.g. after a key compromise), whatever the schedule. */
  async renewNow(name: string): Promise<IssuedCertificate> {
    const entry = this.entry(name);
    await this.renew(entry);
    return entry.current;
  }

  /** Revoke the current certificate of `name` and stop managing it (audited as `revoked`). */
  async revoke(name: string): Promise<void> {
    const entry = this.entry(name);
    this.release(entry);
    await this.pki.revoke(entry.current.parsed.serial.value);
    await this.record("revoked", entry.spec, entry.current);
  }

  /** Stop every renewal and take the metrics off the registry; certificates already delivered stay where they are. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.managed.values()) this.release(entry);
    this.metrics?.unregister();
  }

  private entry(name: string): Managed {
    const entry = this.managed.get(name);
    if (!entry) throw new TypeError(`certificate "${name}" is not managed`);
    return entry;
  }

  private release(entry: Managed): void {
    entry.timers.forEach((cancel) => cancel());
    entry.timers = [];
    this.managed.delete(entry.spec.name);
  }

  private async obtain(spec: ManagedCertificateSpec): Promise<IssuedCertificate> {
    const key = spec.key ?? { type: "ec", curve: "P-256" };
    const certificate =
      key === "vault" ? await this.pki.issue(spec.role, spec.request) : await this.pki.issueWithLocalKey(spec.role, spec.request, key);
    if (spec.purpose !== undefined) {
      const ekus = certificate.parsed.extendedKeyUsages;
      if (!ekus.includes(PURPOSE_EKU[spec.purpose]) && !ekus.includes("any")) {
        throw new CertificatePurposeError(spec.name, spec.purpose, certificate.parsed.serial.colon, ekus);
      }
    }
    return certificate;
  }

  private async deliver(spec: ManagedCertificateSpec, certificate: IssuedCertificate): Promise<void> {
    for (const sink of spec.sinks ?? []) await sink.write(certificate);
    spec.secureContext?.update(certificate);
    await spec.onCertificate?.(certificate);
  }

  private async record(action: CertificateAuditAction, spec: ManagedCertificateSpec, certificate: IssuedCertificate): Promise<void> {
    if (!this.options.audit) return;
    const parsed = certificate.parsed;
    const record = {
      action,
      at: new Date(this.clock.now()),
      name: spec.name,
      mount: this.pki.mount,
      role: spec.role,
      serial: parsed.serial.colon,
      commonName: parsed.commonName,
      sans: parsed.sans,
      notAfter: parsed.notAfter,
      tokenAccessor: await this.accessor.accessor(),
      requestId: certificate.requestId,
    };
    try {
      this.options.audit(record);
    } catch {
      // An audit sink's failure must not cost a certificate; the sink owns its error handling.
    }
  }

  /** Schedule the renewal and the expiring/expired alarms of the current certificate; returns the renewal time. */
  private plan(entry: Managed): number {
    entry.timers.forEach((cancel) => cancel());
    const now = this.clock.now();
    const parsed = entry.current.parsed;
    const notAfter = parsed.notAfter.getTime();
    const validFrom = Math.max(parsed.notBefore.getTime(), Math.min(now, notAfter));
    const renewAt = renewalTime(validFrom, notAfter, this.band, this.minMarginMs, this.random);
    const margin = Math.min(this.minMarginMs, (notAfter - validFrom) / 2);
    const alarm = { name: entry.spec.name, serial: parsed.serial.colon, notAfter: parsed.notAfter };
    entry.timers = [
      this.clock.schedule(() => void this.renew(entry), Math.max(0, renewAt - now)),
      this.clock.schedule(() => this.emit("expiring", alarm), Math.max(0, notAfter - margin / 2 - now)),
      this.clock.schedule(() => this.emit("expired", alarm), Math.max(0, notAfter - now)),
    ];
    return renewAt;
  }

  /** `certificate` while less than half of its lifetime has passed; past that, a new one is due anyway. */
  private stillFresh(certificate: IssuedCertificate | undefined): IssuedCertificate | undefined {
    if (!certificate) return undefined;
    const { notBefore, notAfter } = certificate.parsed;
    return this.clock.now() < (notBefore.getTime() + notAfter.getTime()) / 2 ? certificate : undefined;
  }

  private async renew(entry: Managed): Promise<void> {
    if (entry.inFlight || this.managed.get(entry.spec.name) !== entry) return;
    entry.inFlight = true;
    const previous = entry.current;
    try {
      const certificate = this.stillFresh(entry.undelivered) ?? (await this.obtain(entry.spec));
      entry.undelivered = certificate;
      await this.deliver(entry.spec, certificate);
      entry.undelivered = undefined;
      if (this.managed.get(entry.spec.name) !== entry) return;
      const failedAttempts = entry.failures;
      entry.current = certificate;
      entry.failures = 0;
      this.metrics?.renewals.inc({ certificate: entry.spec.name });
      await this.record("renewed", entry.spec, certificate);
      const renewAt = this.plan(entry);
      this.emit("renewed", {
        name: entry.spec.name,
        serial: certificate.parsed.serial.colon,
        previousSerial: previous.parsed.serial.colon,
        notAfter: certificate.parsed.notAfter,
        renewAt: new Date(renewAt),
        failedAttempts,
      });
    } catch (error) {
      if (this.managed.get(entry.spec.name) !== entry) return;
      const attempt = entry.failures++;
      const now = this.clock.now();
      const notAfter = entry.current.parsed.notAfter.getTime();
      const retryInMs = retryDelay(attempt, now, notAfter, this.backoff, this.random);
      this.metrics?.failures.inc({ certificate: entry.spec.name });
      // Replace only the renewal timer: the expiring/expired alarms of the current certificate stay armed.
      entry.timers[0]?.();
      entry.timers[0] = this.clock.schedule(() => void this.renew(entry), retryInMs);
      const err = error instanceof Error ? error : new Error(String(error));
      if (this.listenerCount("error") > 0)
        this.emit("error", { name: entry.spec.name, error: err, attempt, retryInMs, currentValid: now < notAfter });
    } finally {
      entry.inFlight = false;
    }
  }
}
