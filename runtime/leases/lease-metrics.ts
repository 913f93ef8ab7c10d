/**
 * Prometheus metrics of a LeaseManager, registered on the registry the caller passes (a client's
 * `metrics.registry`, so they are served next to the client's own metrics): managed credentials,
 * seconds until the current lease ends (computed at scrape time from the manager's clock), events
 * by kind, credential requests by outcome and requests the storm guard held back.
 */
import { Counter, Gauge, Registry } from "prom-client";
import type { LeaseManagerEvents } from "./lease-events";

/** The metrics, labelled by managed name (`credential`) or event. */
export class LeaseMetrics {
  /** Credentials under management. */
  public readonly managed: Gauge;
  /** Seconds until the current lease of each credential ends (negative: none valid). */
  public readonly secondsToExpiry: Gauge<"credential">;
  /** Events by kind (`created`, `renewed`, `rotated`, `expiring`, `expired`, `revoked`, `error`). */
  public readonly events: Counter<"event">;
  /** `creds/` requests sent, by outcome (`ok`, `error`). */
  public readonly credentialRequests: Counter<"outcome">;
  /** Credential requests the storm guard made wait. */
  public readonly stormGuardDeferred: Counter;
  private readonly names: readonly string[];

  /**
   * @param registry where to register
   * @param prefix metric name prefix
   * @param expiries current lease end (epoch ms, or undefined when none is valid) by name, read at scrape time
   * @param now the manager's clock
   */
  constructor(
    private readonly registry: Registry,
    prefix: string,
    expiries: () => ReadonlyMap<string, number | undefined>,
    now: () => number,
  ) {
    const registers = [registry];
    this.names = [
      "managed_leases",
      "lease_seconds_to_expiry",
      "lease_events_total",
      "lease_credential_requests_total",
      "lease_storm_guard_deferred_total",
    ].map((name) => `${prefix}${name}`);
    this.managed = new Gauge({
      name: `${prefix}managed_leases`,
      help: "Database credentials under lease management",
      registers,
      collect() {
        this.set(expiries().size);
      },
    });
    this.secondsToExpiry = new Gauge({
      name: `${prefix}lease_seconds_to_expiry`,
      help: "Seconds until the current lease of a managed credential ends (-1: none valid)",
      labelNames: ["credential"],
      registers,
      collect() {
        this.reset();
        for (const [name, end] of expiries()) this.set({ credential: name }, end === undefined ? -1 : Math.max(0, (end - now()) / 1000));
      },
    });
    this.events = new Counter({
      name: `${prefix}lease_events_total`,
      help: "Lease manager events by kind",
      labelNames: ["event"],
      registers,
    });
    this.credentialRequests = new Counter({
      name: `${prefix}lease_credential_requests_total`,
      help: "Requests for new database credentials by outcome",
      labelNames: ["outcome"],
      registers,
    });
    this.stormGuardDeferred = new Counter({
      name: `${prefix}lease_storm_guard_deferred_total`,
      help: "Credential requests the storm guard made wait",
      registers,
    });
  }

  /**
   * Take every metric off the registry (on the manager's stop): a stopped manager reports nothing,
   * and a new manager can register the same names. Two managers running at once on one registry
   * need different prefixes.
   */
  unregister(): void {
    for (const name of this.names) this.registry.removeSingleMetric(name);
  }

  /** Count one event. */
  count(event: keyof LeaseManagerEvents): void {
    this.events.inc({ event });
  }
}
