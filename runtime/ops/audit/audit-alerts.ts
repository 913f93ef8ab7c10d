/**
 * Alert rules over completed exchanges: root token use, policy writes, repeated permission
 * denied, break-glass use, an unknown entity, a token used from a new address. Each alert is an
 * `alert` event and, with {@link WebhookAlertSink}, a JSON POST. Rules hold small per-token state
 * (denial windows, addresses seen), bounded by `maxTrackedTokens` so a flood of distinct tokens
 * cannot grow it without limit.
 */
import { EventEmitter } from "node:events";
import { request } from "undici";
import { AuditExchange } from "./audit-correlator";

/** The rules. */
export type AlertRuleName =
  "root-token-use" | "policy-write" | "repeated-permission-denied" | "break-glass-use" | "unknown-entity" | "new-address";

/** One alert. Names tokens only by their audit HMAC. */
export interface AuditAlert {
  /** Rule that fired. */
  readonly rule: AlertRuleName;
  /** How urgent. */
  readonly severity: "critical" | "high" | "medium";
  /** One line for a human. */
  readonly message: string;
  /** Request that triggered it. */
  readonly requestId: string;
  /** Namespace (`""` = root). */
  readonly namespace: string;
  /** Path. */
  readonly path: string;
  /** Caller's entity, token HMAC and address. */
  readonly entityId: string | undefined;
  /** HMAC of the token. */
  readonly tokenHash: string | undefined;
  /** Caller's address. */
  readonly remoteAddress: string | undefined;
  /** When the server logged the request. */
  readonly loggedAt: string;
}

/** What the rules watch for. Every rule is on with its default unless switched off. */
export interface AlertRulesConfig {
  /** Any use of a token with the `root` policy. @default true */
  readonly rootTokenUse?: boolean;
  /** Successful create/update/delete of a policy. @default true */
  readonly policyWrite?: boolean;
  /** `threshold` permission-denied answers for one token (else address) within `windowMs`. @default { threshold: 5, windowMs: 60000 } */
  readonly permissionDenied?: { readonly threshold: number; readonly windowMs: number } | false;
  /** Break-glass tokens, known by policy, display name or token HMAC. @default off */
  readonly breakGlass?: {
    readonly policies?: readonly string[];
    readonly displayNames?: readonly string[];
    readonly tokenHashes?: readonly string[];
  };
  /** Entities expected to use the cluster; a request from any other entity alerts. @default off */
  readonly knownEntities?: readonly string[];
  /** A token seen from an address it was not seen from before. @default true */
  readonly newAddress?: boolean;
  /** Tokens whose state is kept (least recently seen dropped first). @default 100000 */
  readonly maxTrackedTokens?: number;
}

const POLICY_PATH = /^sys\/(?:policies\/(?:acl|rgp|egp|password)|policy)\/[^/]+$/;
const WRITE_OPS = new Set(["create", "update", "delete"]);

/** Evaluates exchanges; emits `alert` ({@link AuditAlert}). */
export class AlertEngine extends EventEmitter {
  private readonly denials = new Map<string, number[]>();
  private readonly addresses = new Map<string, Set<string>>();
  private readonly max: number;

  /** @param config which rules, with which thresholds */
  constructor(private readonly config: AlertRulesConfig = {}) {
    super();
    const pd = config.permissionDenied;
    if (pd && (!(pd.threshold >= 1) || !(pd.windowMs > 0))) throw new RangeError("permissionDenied needs threshold >= 1 and windowMs > 0");
    this.max = config.maxTrackedTokens ?? 100_000;
  }

  /** Evaluate one exchange; returns (and emits) the alerts it raises. */
  evaluate(ex: AuditExchange): AuditAlert[] {
    const alerts: AuditAlert[] = [];
    const raise = (rule: AlertRuleName, severity: AuditAlert["severity"], message: string): void => {
      alerts.push({
        rule,
        severity,
        message,
        requestId: ex.id,
        namespace: ex.namespace,
        path: ex.path,
        entityId: ex.entityId,
        tokenHash: ex.tokenHash,
        remoteAddress: ex.remoteAddress,
        loggedAt: ex.request.time.toISOString(),
      });
    };
    const c = this.config;
    if (c.rootTokenUse !== false && ex.policies.includes("root"))
      raise("root-token-use", "critical", `root token used: ${ex.operation} ${ex.path}`);
    if (c.policyWrite !== false && POLICY_PATH.test(ex.path) && WRITE_OPS.has(ex.operation) && ex.error === undefined) {
      raise("policy-write", "high", `policy ${ex.operation}: ${ex.path}`);
    }
    const pd = c.permissionDenied === undefined ? { threshold: 5, windowMs: 60_000 } : c.permissionDenied;
    if (pd && ex.denied) {
      const key = ex.tokenHash ?? `addr:${ex.remoteAddress ?? "?"}`;
      const now = ex.request.time.getTime();
      const times = (this.denials.get(key) ?? []).filter((t) => now - t < pd.windowMs);
      times.push(now);
      if (times.length >= pd.threshold) {
        raise(
          "repeated-permission-denied",
          "high",
          `${times.length} permission denied within ${pd.windowMs} ms (last: ${ex.operation} ${ex.path})`,
        );
        times.length = 0;
      }
      this.track(this.denials, key, times);
    }
    const bg = c.breakGlass;
    if (
      bg &&
      ((bg.policies ?? []).some((p) => ex.policies.includes(p)) ||
        (ex.request.auth.displayName !== undefined && (bg.displayNames ?? []).includes(ex.request.auth.displayName)) ||
        (ex.tokenHash !== undefined && (bg.tokenHashes ?? []).includes(ex.tokenHash)))
    ) {
      raise("break-glass-use", "critical", `break-glass token used: ${ex.operation} ${ex.path}`);
    }
    if (c.knownEntities && ex.entityId !== undefined && !c.knownEntities.includes(ex.entityId)) {
      raise("unknown-entity", "high", `request from unknown entity ${ex.entityId}: ${ex.operation} ${ex.path}`);
    }
    if (c.newAddress !== false && ex.tokenHash !== undefined && ex.remoteAddress !== undefined) {
      const seen = this.addresses.get(ex.tokenHash) ?? new Set<string>();
      if (seen.size > 0 && !seen.has(ex.remoteAddress)) {
        raise("new-address", "medium", `token used from new address ${ex.remoteAddress} (seen before from ${[...seen].join(", ")})`);
      }
      seen.add(ex.remoteAddress);
      this.track(this.addresses, ex.tokenHash, seen);
    }
    for (const alert of alerts) this.emit("alert", alert);
    return alerts;
  }

  private track<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > this.max) map.delete(map.keys().next().value as string);
  }
}

/** Options of {@link WebhookAlertSink}. */
export interface WebhookOptions {
  /** Extra headers (an authorization header for the receiver). @default none */
  readonly headers?: Readonly<Record<string, string>>;
  /** Deadline of one POST, in ms. @default 5000 */
  readonly timeoutMs?: number;
  /** Further attempts after a failure (network error or non-2xx). @default 2 */
  readonly retries?: number;
}

/** A failed delivery, naming the webhook address and the alert's request id. */
export class WebhookDeliveryError extends Error {
  /** @internal */
  constructor(url: string, requestId: string, reason: string) {
    super(`alert for request ${requestId} not delivered to ${url}: ${reason}`);
    this.name = "WebhookDeliveryError";
  }
}

/** POSTs each alert as JSON to a URL, retrying briefly. */
export class WebhookAlertSink {
  /** @param url receiver (http or https) */
  constructor(
    private readonly url: string,
    private readonly options: WebhookOptions = {},
  ) {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError(`webhook URL must be http(s), got "${url}"`);
  }

  /** Deliver one alert; throws {@link WebhookDeliveryError} after the last attempt fails. */
  async deliver(alert: AuditAlert): Promise<void> {
    let last = "";
    for (let attempt = 0; attempt <= (this.options.retries ?? 2); attempt++) {
      try {
        const res = await request(this.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...this.options.headers },
          body: JSON.stringify(alert),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
        });
        await res.body.dump();
        if (res.statusCode >= 200 && res.statusCode < 300) return;
        last = `HTTP ${res.statusCode}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
    throw new WebhookDeliveryError(this.url, alert.requestId, last);
  }

  /** Deliver every alert `engine` emits; failures go to `onError`. Returns a function that stops it. */
  attach(engine: AlertEngine, onError: (error: unknown) => void = () => undefined): () => void {
    const listener = (alert: AuditAlert): void => void this.deliver(alert).catch(onError);
    engine.on("alert", listener);
    return () => engine.off("alert", listener);
  }
}
