/**
 * Prometheus metrics of one client, in a registry of its own (never the global default, so two
 * clients in one process do not collide). Expose with `registry.metrics()` or {@link RuntimeMetrics.text}.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** The client's metrics. */
export class RuntimeMetrics {
  /** Registry holding every metric below. */
  public readonly registry: Registry;
  /** Requests by HTTP method and outcome (`ok`, `http_<status>`, `connection`, `deadline`, `unavailable`). */
  public readonly requests: Counter<"method" | "outcome">;
  /** Request latency in seconds, attempts and retries included. */
  public readonly latency: Histogram<"method">;
  /** Retries by failure kind. */
  public readonly retries: Counter<"kind">;
  /** Circuit breaker state per node: 0 closed, 1 open, 2 half-open, 3 isolated. */
  public readonly breakerState: Gauge<"node">;
  /** Cache lookups by result (`hit`, `miss`, `stale`). */
  public readonly cache: Counter<"result">;
  /** Token renewals and logins by outcome. */
  public readonly tokenEvents: Counter<"event">;
  /** Operations waiting for the cluster to recover. */
  public readonly queued: Gauge;

  /** A fresh registry with every metric, names prefixed with `prefix`. */
  constructor(prefix = "vaultsmith_") {
    const registers = [(this.registry = new Registry())];
    this.requests = new Counter({
      name: `${prefix}requests_total`,
      help: "Vault requests by method and outcome",
      labelNames: ["method", "outcome"],
      registers,
    });
    this.latency = new Histogram({
      name: `${prefix}request_duration_seconds`,
      help: "Vault request latency including retries",
      labelNames: ["method"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.retries = new Counter({
      name: `${prefix}retries_total`,
      help: "Retried attempts by failure kind",
      labelNames: ["kind"],
      registers,
    });
    this.breakerState = new Gauge({
      name: `${prefix}breaker_state`,
      help: "Circuit breaker state per node (0 closed, 1 open, 2 half-open, 3 isolated)",
      labelNames: ["node"],
      registers,
    });
    this.cache = new Counter({ name: `${prefix}cache_lookups_total`, help: "Cache lookups by result", labelNames: ["result"], registers });
    this.tokenEvents = new Counter({
      name: `${prefix}token_events_total`,
      help: "Logins and token renewals by event",
      labelNames: ["event"],
      registers,
    });
    this.queued = new Gauge({ name: `${prefix}outage_queue_length`, help: "Operations waiting for the cluster to recover", registers });
  }

  /** The metrics in Prometheus text exposition format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
