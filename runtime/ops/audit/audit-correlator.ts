/**
 * Pairs each request entry with its response entry (same `request.id`) into one
 * {@link AuditExchange}, enriched with who and where: namespace, entity, policies, auth method,
 * address. Requests still waiting for their answer are visible (`pending`), so a loss shows as a
 * request without a response rather than silently. Application events correlate by the request
 * id a `VaultHttpError` carries, or by a value's HMAC (see {@link auditHash}).
 */
import { EventEmitter } from "node:events";
import { POLICIES, Requester } from "../../transport/requester";
import { AuditEvent, AuditRequestEvent, AuditResponseEvent } from "./audit-entry";

/** A request and its response, with the enrichment alert rules and reports use. */
export interface AuditExchange {
  /** Request id. */
  readonly id: string;
  /** The request entry. */
  readonly request: AuditRequestEvent;
  /** The response entry. */
  readonly response: AuditResponseEvent;
  /** Namespace path (`""` = root). */
  readonly namespace: string;
  /** Entity id of the caller, when the token has one. */
  readonly entityId: string | undefined;
  /** Policies of the caller's token. */
  readonly policies: readonly string[];
  /** Auth method the token came from (`token`, `approle`, `userpass`, …), from its display name. */
  readonly authMethod: string | undefined;
  /** HMAC of the caller's token. */
  readonly tokenHash: string | undefined;
  /** Caller's address. */
  readonly remoteAddress: string | undefined;
  /** Path and operation. */
  readonly path: string;
  /** Operation (`read`, `update`, …). */
  readonly operation: string;
  /** Error text of the response, when it failed. */
  readonly error: string | undefined;
  /** Whether it failed with permission denied. */
  readonly denied: boolean;
  /** Response time − request time, in ms. */
  readonly durationMs: number;
}

/** The auth method behind a display name: `approle`, `userpass-alice` → `userpass`, `root`/`token` → `token`. */
export function authMethodOf(displayName: string | undefined): string | undefined {
  if (displayName === undefined) return undefined;
  if (displayName === "root" || displayName === "token" || displayName.startsWith("token-")) return "token";
  return displayName.split("-")[0];
}

/** Build the exchange of a request and its response. */
export function enrich(request: AuditRequestEvent, response: AuditResponseEvent): AuditExchange {
  const error = response.error ?? request.error;
  return {
    id: request.request.id,
    request,
    response,
    namespace: request.request.namespace.path.replace(/\/+$/, ""),
    entityId: request.auth.entityId,
    policies: request.auth.policies,
    authMethod: authMethodOf(request.auth.displayName),
    tokenHash: request.auth.clientToken ?? request.request.clientToken,
    remoteAddress: request.request.remoteAddress,
    path: request.request.path,
    operation: request.request.operation,
    error,
    denied: error !== undefined && /permission denied/i.test(error),
    durationMs: response.time.getTime() - request.time.getTime(),
  };
}

/**
 * Events: `exchange` ({@link AuditExchange}) when a response meets its request. A response
 * whose request was never seen (the stream started mid-request) is an `orphan` event.
 */
export class AuditCorrelator extends EventEmitter {
  private readonly waiting = new Map<string, AuditRequestEvent>();
  private readonly anonymous = new Map<string, AuditRequestEvent[]>();
  private paired = 0;

  /**
   * Feed one parsed entry. Entries without a request id (requests the server makes itself) pair
   * first-in first-out by path, operation and token: the server writes such a response right after its request.
   */
  add(event: AuditEvent): void {
    const anonKey = `${event.request.path}|${event.request.operation}|${event.request.clientToken ?? ""}`;
    if (event.type === "request") {
      if (event.request.id === "") this.anonymous.set(anonKey, [...(this.anonymous.get(anonKey) ?? []), event]);
      else this.waiting.set(event.request.id, event);
      return;
    }
    let request: AuditRequestEvent | undefined;
    if (event.request.id === "") {
      const queue = this.anonymous.get(anonKey) ?? [];
      request = queue.shift();
      if (queue.length === 0) this.anonymous.delete(anonKey);
    } else {
      request = this.waiting.get(event.request.id);
      this.waiting.delete(event.request.id);
    }
    if (!request) {
      this.emit("orphan", event);
      return;
    }
    this.paired++;
    this.emit("exchange", enrich(request, event));
  }

  /** Requests whose response has not arrived (yet). */
  get pending(): readonly AuditRequestEvent[] {
    return [...this.waiting.values(), ...[...this.anonymous.values()].flat()];
  }

  /** Exchanges completed so far. */
  get completed(): number {
    return this.paired;
  }
}

/**
 * The HMAC an audit device writes for `input` (`POST sys/audit-hash/:device`), so a known value —
 * a token an application used, a secret it wrote — is found in the log without the log holding it.
 */
export async function auditHash(requester: Requester, device: string, input: string): Promise<string> {
  const res = await requester.request<{ data: { hash: string } }>(
    { method: "POST", path: `sys/audit-hash/${device.replace(/^\/+|\/+$/g, "")}`, body: { input } },
    POLICIES.idempotentWrite,
  );
  const hash = res.body?.data.hash;
  if (typeof hash !== "string") throw new Error(`sys/audit-hash/${device} returned no hash`);
  return hash;
}

/** Whether an exchange mentions `hash` anywhere (token, accessor, request or response data). */
export function mentionsHash(exchange: AuditExchange, hash: string): boolean {
  if (exchange.tokenHash === hash || exchange.request.auth.accessor === hash) return true;
  const search = (value: unknown): boolean =>
    value === hash || (value !== null && typeof value === "object" && Object.values(value as Record<string, unknown>).some(search));
  return search(exchange.request.request.data) || search(exchange.response.responseData);
}
