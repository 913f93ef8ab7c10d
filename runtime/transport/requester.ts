/**
 * What engines need to talk to Vault: send a request with a routing and retry policy. The
 * client implements it over the cluster; tests and probes can use one transport directly.
 */
import type { RetryClass } from "./failure-kind";
import { HttpTransport, VaultRequest, VaultResponse } from "./http-transport";

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

/** Sends requests under a policy. */
export interface Requester {
  /** Send `req`; resolves with the answer or throws a typed `VaultError`. */
  request<T>(req: VaultRequest, policy: RequestPolicy): Promise<VaultResponse<T>>;
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

/** A requester over one transport, without routing or retries. */
export function directRequester(transport: HttpTransport): Requester {
  return { request: (req) => transport.send(req) };
}
