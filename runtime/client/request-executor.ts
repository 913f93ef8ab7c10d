/**
 * Runs one request against the cluster: waits at the outage gate, picks a node, sends through the
 * node's breaker, classifies failures, fails over and retries with backoff — within the request's
 * deadline and the rules of its retry class.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Cluster } from "../cluster/cluster";
import { ClusterNode } from "../cluster/cluster-node";
import { VaultDeadlineError, VaultHttpError, VaultUnavailableError } from "../core/errors";
import { RuntimeMetrics } from "../metrics/runtime-metrics";
import { VaultRequest, VaultResponse } from "../transport/http-transport";
import { BackoffOptions, backoffDelay } from "../core/backoff";
import { FailureKind, classifyFailure, isRetryable } from "../transport/failure-kind";
import type { RequestPolicy } from "../transport/requester";
import { GateRefusedError } from "../resilience/outage-gate";
import { deadlineSignal } from "../core/deadline-signal";

/** Retry settings of the executor. */
export interface RetryOptions {
  /** Retries after failures that may have executed (`maybe-sent`, `server-error`, `throttled`). Failures that provably did not execute are retried until the deadline. @default 3 */
  readonly maxRetries?: number;
  /** Backoff between attempts. @default { minMs: 100, maxMs: 2000 } */
  readonly backoff?: BackoffOptions;
  /** Deadline of one operation, queueing and retries included, in ms. @default 30000 */
  readonly deadlineMs?: number;
}

const COUNTED: ReadonlySet<FailureKind> = new Set<FailureKind>(["maybe-sent", "server-error", "throttled"]);

/** Executes requests against a {@link Cluster}. */
export class RequestExecutor {
  private readonly maxRetries: number;
  private readonly backoff: BackoffOptions;
  private readonly deadlineMs: number;

  /** An executor over `cluster`, counting into `metrics`; `random` drives the jitter (tests pass a fixed one). */
  constructor(
    private readonly cluster: Cluster,
    options: RetryOptions = {},
    private readonly metrics?: RuntimeMetrics,
    private readonly random: () => number = Math.random,
  ) {
    this.maxRetries = options.maxRetries ?? 3;
    this.backoff = options.backoff ?? { minMs: 100, maxMs: 2_000 };
    this.deadlineMs = options.deadlineMs ?? 30_000;
  }

  /** Send `req`; resolves with the first successful answer or throws the typed reason it could not. */
  async execute<T>(req: VaultRequest, options: RequestPolicy): Promise<VaultResponse<T>> {
    const started = Date.now();
    const deadlineMs = options.deadlineMs ?? this.deadlineMs;
    const deadlineAt = started + deadlineMs;
    const tried = new Set<ClusterNode>();
    let attempts = 0;
    let counted = 0;
    let waits = 0;
    let lastError: unknown;
    const finish = (outcome: string): void => {
      this.metrics?.requests.inc({ method: req.method, outcome });
      this.metrics?.latency.observe({ method: req.method }, (Date.now() - started) / 1000);
    };
    for (;;) {
      req.signal?.throwIfAborted();
      try {
        this.metrics?.queued.set(this.cluster.gate.waiting + (this.cluster.gate.open || options.kind === "node-status" ? 0 : 1));
        if (options.kind !== "node-status") await this.cluster.gate.pass(deadlineAt);
      } catch (error) {
        if (!(error instanceof GateRefusedError)) throw error;
        if (error.refusal === "deadline") {
          finish("deadline");
          throw new VaultDeadlineError(req.method, req.path, deadlineMs, attempts, { cause: lastError ?? error });
        }
        finish("unavailable");
        throw new VaultUnavailableError(req.method, req.path, error.refusal === "full" ? "queue-full" : "stopped", error.message, {
          cause: error,
        });
      } finally {
        this.metrics?.queued.set(this.cluster.gate.waiting);
      }
      let node = this.cluster.pick(options.kind, tried);
      if (!node && tried.size > 0) {
        tried.clear();
        node = this.cluster.pick(options.kind, tried);
      }
      if (!node) {
        // Every node is ejected: wait for the first ejection to end, a probe to vouch for a node,
        // or one backoff step — whichever comes first — instead of failing at once.
        const wait = Math.min(backoffDelay(Math.min(waits++, 10), this.backoff, this.random), this.cluster.nextTrialInMs);
        if (Date.now() + wait >= deadlineAt) {
          finish("deadline");
          throw new VaultDeadlineError(req.method, req.path, deadlineMs, attempts, { cause: lastError });
        }
        await this.cluster.waitForChange(wait, req.signal);
        continue;
      }
      attempts++;
      const target = node;
      // The attempt may not outlive the operation's deadline, nor the caller's own signal.
      const attempt = deadlineSignal(Math.max(1, deadlineAt - Date.now()), req.signal);
      const signal = attempt.signal;
      const send = async (): Promise<VaultResponse<T>> => {
        target.inFlight++;
        try {
          return await target.transport.send<T>({ ...req, signal });
        } finally {
          target.inFlight--;
        }
      };
      try {
        const res = await target.breaker.execute(send);
        attempt.clear();
        finish("ok");
        return res;
      } catch (error) {
        attempt.clear();
        if (req.signal?.aborted) {
          finish("aborted");
          throw error;
        }
        if (attempt.timedOut) {
          finish("deadline");
          throw new VaultDeadlineError(req.method, req.path, deadlineMs, attempts, { cause: lastError });
        }
        lastError = error;
        const kind = classifyFailure(error);
        this.learn(target, kind);
        if (!isRetryable(kind, options.retryClass) || (COUNTED.has(kind) && ++counted > this.maxRetries)) {
          finish(error instanceof VaultHttpError ? `http_${error.status}` : "connection");
          throw error;
        }
        this.metrics?.retries.inc({ kind });
        tried.add(target);
        const retryAfter = error instanceof VaultHttpError ? error.retryAfterMs : undefined;
        const delay =
          retryAfter ??
          (kind === "not-sent" && tried.size < this.cluster.nodes.length ? 0 : backoffDelay(attempts - 1, this.backoff, this.random));
        if (!(await this.pause(delay, deadlineAt, req.signal))) {
          finish("deadline");
          throw new VaultDeadlineError(req.method, req.path, deadlineMs, attempts, { cause: error });
        }
      }
    }
  }

  /** Tell the cluster what a failure revealed about the node. */
  private learn(node: ClusterNode, kind: FailureKind): void {
    if (kind === "not-sent" || kind === "maybe-sent") this.cluster.reportFailure(node, "unreachable");
    else if (kind === "sealed") this.cluster.reportFailure(node, "sealed");
    else if (kind === "not-active") void this.cluster.probe();
    this.metrics?.breakerState.set({ node: node.address }, node.breaker.state);
  }

  /** Sleep `ms` unless that would pass the deadline; false when it would. Rejects when `signal` aborts. */
  private async pause(ms: number, deadlineAt: number, signal?: AbortSignal): Promise<boolean> {
    if (Date.now() + ms >= deadlineAt) return false;
    if (ms > 0) await sleep(ms, undefined, { signal });
    return true;
  }
}
