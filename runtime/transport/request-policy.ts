/**
 * How a request may be routed and retried: what the caller knows about the request (may it run
 * twice? does it read or change state?) that the retry loop cannot guess from the HTTP method.
 */
import type { RetryClass } from "./failure-kind";

/** How a request may be routed and retried. */
export interface RequestPolicy {
  /** See {@link RetryClass}. */
  readonly retryClass: RetryClass;
  /**
   * Reads may go to any serving node; writes go to the active node. `node-status` is a question
   * about the node itself (`sys/health`, `sys/seal-status`): any node that answers will do, and it
   * is asked even while the cluster has no active node — that is when it matters most.
   */
  readonly kind: "read" | "write" | "node-status";
  /** Deadline of this operation (queueing and retries included), in ms. @default the client's */
  readonly deadlineMs?: number;
}

/** Policies for the common cases. */
export const POLICIES = {
  /** A read: any serving node, retried freely. */
  read: { retryClass: "idempotent", kind: "read" },
  /** A node's own status (health, seal status): any node, not held back while the cluster is down. */
  nodeStatus: { retryClass: "idempotent", kind: "node-status" },
  /** A write whose repetition is harmless (delete, metadata, renew). */
  idempotentWrite: { retryClass: "idempotent", kind: "write" },
  /** A write that creates something (login, issue, KV version): retried only when never executed. */
  creatingWrite: { retryClass: "state-creating", kind: "write" },
} as const satisfies Record<string, RequestPolicy>;

/** `policy` with its deadline replaced by `deadlineMs`, when one is given. */
export function withDeadline(policy: RequestPolicy, deadlineMs: number | undefined): RequestPolicy {
  return deadlineMs === undefined ? policy : { ...policy, deadlineMs };
}
