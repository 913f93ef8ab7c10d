/**
 * Prometheus metrics of a CertificateManager, registered on the registry the caller passes (so
 * they are served next to the client's own metrics): managed certificates, seconds to expiry
 * (computed at scrape time from the manager's clock), renewals and failed renewal attempts.
 */
import { Counter, Gauge, Registry } from "prom-client";

/** The metrics, labelled by managed name (`certificate`). */
export class CertificateMetrics {
  /** Certificates under management. */
  public readonly managed: Gauge;
  /** Seconds until the current certificate's `notAfter` (negative once expired). */
  public readonly secondsToExpiry: Gauge<"certificate">;
  /** Successful renewals. */
  public readonly renewals: Counter<"certificate">;
  /** Failed renewal attempts. */
  public readonly failures: Counter<"certificate">;
  private readonly names: readonly string[];

  /**
   * @param registry where to register
   * @param prefix metric name prefix. @default "vaultsmith_"
   * @param expiries current `notAfter` (epoch ms) by name, read at scrape time
   * @param now the manager's clock
   */
  constructor(
    private readonly registry: Registry,
    prefix: string,
    expiries: () => ReadonlyMap<string, number>,
    now: () => number,
  ) {
    const registers = [registry];
    const names: string[] = [];
    this.names = names;
    const named = (name: string): string => names[names.push(`${prefix}${name}`) - 1];
    this.managed = new Gauge({
      name: named("managed_certificates"),
      help: "Certificates under management",
      registers,
      collect() {
        this.set(expiries().size);
      },
    });
    this.secondsToExpiry = new Gauge({
      name: named("certificate_seconds_to_expiry"),
      help: "Seconds until the current certificate expires",
      labelNames: ["certificate"],
      registers,
      collect() {
        this.reset();
        for (const [name, notAfter] of expiries()) this.set({ certificate: name }, (notAfter - now()) / 1000);
      },
    });
    this.renewals = new Counter({
      name: named("certificate_renewals_total"),
      help: "Certificate renewals",
      labelNames: ["certificate"],
      registers,
    });
    this.failures = new Counter({
      name: named("certificate_renewal_failures_total"),
      help: "Failed certificate renewal attempts",
      labelNames: ["certificate"],
      registers,
    });
  }

  /**
   * Take every metric off the registry (on the manager's stop): a stopped manager reports no
   * stale expiries, and a new manager can register the same names. Two managers running at once
   * on one registry need different prefixes.
   */
  unregister(): void {
    for (const name of this.names) this.registry.removeSingleMetric(name);
  }
}
