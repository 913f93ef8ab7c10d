/**
 * One node as the client sees it: its transport, its circuit breaker and the state its last
 * health probe (or a failed request) reported.
 */
import { CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from "cockatiel";
import { HealthState } from "../engines/sys";
import { classifyFailure } from "../resilience/failure-kind";
import { HttpTransport, HttpTransportOptions } from "../transport/http-transport";

/** State of a node: a `sys/health` state, or `unreachable` when it did not answer. */
export type NodeState = HealthState | "unreachable";

/** Circuit breaker settings per node. */
export interface BreakerOptions {
  /** Consecutive transport errors or 5xx answers that open the breaker. @default 5 */
  readonly consecutiveFailures?: number;
  /** Time the breaker stays open before letting a trial request through, in ms. @default 5000 */
  readonly halfOpenAfterMs?: number;
}

/** States that can serve requests (possibly by forwarding to the active node). */
const SERVING: ReadonlySet<NodeState> = new Set<NodeState>(["active", "standby", "performance-standby"]);

/** A node of the cluster. */
export class ClusterNode {
  /** Transport to this node. */
  public readonly transport: HttpTransport;
  /** Breaker that trips on transport errors and 5xx only — never on 4xx. */
  public readonly breaker: CircuitBreakerPolicy;
  /** Last known state; `unknown` until the first probe. */
  public state: NodeState = "unknown";

  /** A node at `options.address` with its own transport and breaker. */
  constructor(options: HttpTransportOptions, breaker: BreakerOptions = {}) {
    this.transport = new HttpTransport(options);
    const tripsBreaker = (error: Error): boolean => {
      const kind = classifyFailure(error);
      return kind === "not-sent" || kind === "maybe-sent" || kind === "server-error";
    };
    this.breaker = circuitBreaker(handleWhen(tripsBreaker), {
      halfOpenAfter: breaker.halfOpenAfterMs ?? 5_000,
      breaker: new ConsecutiveBreaker(breaker.consecutiveFailures ?? 5),
    });
  }

  /** Base address of the node. */
  get address(): string {
    return this.transport.address;
  }

  /** True unless the breaker is open (or held open). */
  get breakerAllows(): boolean {
    return this.breaker.state !== CircuitState.Open && this.breaker.state !== CircuitState.Isolated;
  }

  /** True when the node's state can serve requests and its breaker lets requests through. */
  get usable(): boolean {
    return SERVING.has(this.state) && this.breakerAllows;
  }
}
