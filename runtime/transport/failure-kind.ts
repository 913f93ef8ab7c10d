/**
 * What a failed attempt means for retrying: was the request possibly executed, is the node
 * unusable, and may this class of request be tried again.
 */
import { BrokenCircuitError } from "cockatiel";
import { VaultConnectionError, VaultHttpError } from "../core/errors";
import { CertificatePinMismatchError } from "./certificate-pin";

/**
 * How a request may be retried.
 * - `idempotent`: repeating it has the same effect (reads, deletes, metadata writes, renewals).
 * - `state-creating`: repeating it could create a second object (logins, PKI issue, dynamic
 *   credentials, KV writes); retried only when the failed attempt provably never executed.
 */
export type RetryClass = "idempotent" | "state-creating";

/** Classification of one failed attempt. */
export type FailureKind =
  /** The connection was never established (refused, unreachable, connect timeout) or the breaker was open: not sent. */
  | "not-sent"
  /** The connection broke or timed out after the request may have reached the server. */
  | "maybe-sent"
  /** The node answered that it is sealed: not executed. */
  | "sealed"
  /** The node is not the active one and did not execute: it redirected (307/308) or found no active node to forward to. */
  | "not-active"
  /** 5xx other than 501 (and not sealed / no leader): the server may have executed it. */
  | "server-error"
  /** 429 throttling, 412 consistency, or a kv-v2 mount still upgrading: not executed, retry after a pause. */
  | "throttled"
  /** Anything else: bad request, permission denied, not found, pin mismatch, 501. */
  | "fatal";

const NOT_SENT_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/** TLS verification failures: configuration errors that no retry can fix. */
function isTlsTrustFailure(code: string): boolean {
  return code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL") || code.startsWith("UNABLE_TO_") || code.includes("CERT");
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

/** Classify a failed attempt. */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof BrokenCircuitError) return "not-sent";
  if (error instanceof VaultConnectionError) {
    const chain = causeChain(error);
    if (chain.some((e) => e instanceof CertificatePinMismatchError)) return "fatal";
    const codes = chain.map((e) => (e as { code?: unknown }).code).filter((c): c is string => typeof c === "string");
    if (codes.some((c) => NOT_SENT_CODES.has(c))) return "not-sent";
    if (codes.some(isTlsTrustFailure)) return "fatal";
    return "maybe-sent";
  }
  if (error instanceof VaultHttpError) {
    // Stryker disable next-line StringLiteral: equivalent for what servers send; every pattern below matches inside one message, so the separator only matters for a phrase split across two.
    const text = error.errors.join(" ");
    if (error.status === 503 && /sealed/i.test(text)) return "sealed";
    if (error.status === 307 || error.status === 308) return "not-active";
    if (error.status >= 500 && /active (cluster )?node not found|no active|not active/i.test(text)) return "not-active";
    if (error.status === 429 || error.status === 412) return "throttled";
    // A freshly mounted kv-v2 engine refuses data calls (400) until its upgrade finishes.
    if (error.status === 400 && /waiting for the primary to upgrade/i.test(text)) return "throttled";
    if (error.status >= 500 && error.status !== 501) return "server-error";
  }
  return "fatal";
}

/** True when an attempt that failed with `kind` may be repeated for a request of `retryClass`. */
export function isRetryable(kind: FailureKind, retryClass: RetryClass): boolean {
  switch (kind) {
    case "not-sent":
    case "sealed":
    case "not-active":
    case "throttled":
      return true;
    case "maybe-sent":
    case "server-error":
      return retryClass === "idempotent";
    case "fatal":
      return false;
  }
}
