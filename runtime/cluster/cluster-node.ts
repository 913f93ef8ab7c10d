/**
 * One node as the client sees it: its transport, its circuit breaker and the state its last
 * health probe (or a failed request) reported.
 *
 * How a node comes back after its breaker opened (the rule, modelled on Envoy's outlier
 * ejection with active health checking, over cockatiel's own half-open semantics):
 * - the breaker opens after `consecutiveFailures` transport errors or 5xx answers in a row; the
 *   node is then *ejected* for `halfOpenAfterMs`, doubled after every failed trial, at most
 *   `maxHalfOpenAfterMs`;
 * - when the ejection time has passed, the node may be picked again: the first request sent is
 *   cockatiel's half-open trial (concurrent ones wait for its outcome); success closes the
 *   breaker, failure opens it for the next, longer, ejection;
 * - a health probe that gets an answer from an ejected node ends its ejection at once (Envoy's
 *   "uneject on successful active health check"): the next request is the trial. So a node that
 *   is back is used again within one probe interval, whatever the ejection time.
 */
import { CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, IBackoff, circuitBreaker, handleWhen } from "cockatiel";
import { HealthState } from "../engines/sys";
import { classifyFailure } from "../transport/failure-kind";
import { HttpTransport, HttpTransportOptions } from "../transport/http-transport";

/** State of a node: a `sys/health` state, or `unreachable` when it did not answer. */
export type NodeState = HealthState | "unreachable";

/** Circuit breaker settings per node. */
export interface BreakerOptions {
  /** Consecutive transport errors or 5xx answers that open the breaker. @default 5 */
  readonly consecutiveFailures?: number;
  /** First ejection: time the breaker stays open before a trial request may go through, in ms. @default 5000 */
  readonly halfOpenAfterMs?: number;
  /** Longest ejection, reached by doubling after each failed trial, in ms. @default 30000 */
  readonly maxHalfOpenAfterMs?: number;
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
  /** Requests sent to this node that have not ended yet (kept by the request executor). */
  public inFlight = 0;
  #openedAt = 0;
  #ejectionMs = 0;
  #vouched = false;

  /** A node at `options.address` with its own transport and breaker. */
  constructor(options: HttpTransportOptions, breaker: BreakerOptions = {}) {
    this.transport = new HttpTransport(options);
    const base = breaker.halfOpenAfterMs ?? 5_000;
    const cap = breaker.maxHalfOpenAfterMs ?? Math.max(30_000, base);
    const failures = breaker.consecutiveFailures ?? 5;
    if (!(base >= 0) || !(cap >= base))
      throw new RangeError(`breaker needs 0 <= halfOpenAfterMs <= maxHalfOpenAfterMs, got ${base} and ${cap}`);
    if (!Number.isInteger(failures) || failures < 1)
      throw new RangeError(`breaker.consecutiveFailures must be a positive integer, got ${failures}`);
    const tripsBreaker = (error: Error): boolean => {
      const kind = classifyFailure(error);
      return kind === "not-sent" || kind === "maybe-sent" || kind === "server-error";
    };
    // cockatiel asks for the next ejection each time the breaker opens (attempt 1 from closed,
    // n after n − 1 failed trials) and reads `duration` whenever a call arrives while open.
    const ejection = (attempt: number): IBackoff<unknown> => {
      const ms = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
      this.#ejectionMs = ms;
      const vouched = (): boolean => this.#vouched;
      return {
        get duration(): number {
          return vouched() ? 0 : ms;
        },
        next: (context: { attempt: number }) => ejection(context.attempt),
      };
    };
    this.breaker = circuitBreaker(handleWhen(tripsBreaker), {
      halfOpenAfter: { next: (context) => ejection(context.attempt) },
      breaker: new ConsecutiveBreaker(failures),
    });
    this.breaker.onBreak(() => {
      this.#openedAt = Date.now();
      this.#vouched = false;
    });
  }

  /** Base address of the node. */
  get address(): string {
    return this.transport.address;
  }

  /**
   * True when a request may be sent: the breaker is closed or half-open, or it is open and its
   * ejection is over (the request becomes the trial). False while ejected or held isolated.
   */
  get breakerAllows(): boolean {
    const state = this.breaker.state;
    if (state === CircuitState.Closed || state === CircuitState.HalfOpen) return true;
    if (state === CircuitState.Isolated) return false;
    return this.trialInMs === 0;
  }

  /** Milliseconds until an ejected node may take a trial request (0: now, or not ejected). */
  get trialInMs(): number {
    if (this.breaker.state !== CircuitState.Open || this.#vouched) return 0;
    return Math.max(0, this.#openedAt + this.#ejectionMs - Date.now());
  }

  /** True when the node's state can serve requests and its breaker lets requests through. */
  get usable(): boolean {
    return SERVING.has(this.state) && this.breakerAllows;
  }

  /**
   * True when a request may be sent on the chance that the node recovered since the last probe:
   * its breaker lets requests through and, if the probe found it unreachable, no other request
   * is already waiting on it (a silent partition must not collect one hanging request per tick).
   */
  get worthTrying(): boolean {
    return this.breakerAllows && (this.state !== "unreachable" || this.inFlight === 0);
  }

  /**
   * A health probe got an answer from this node: end an ejection now, so the next request is the
   * breaker's trial. True when that ended an ejection.
   */
  vouch(): boolean {
    if (this.breaker.state !== CircuitState.Open || this.#vouched) return false;
    this.#vouched = true;
    return true;
  }
}
