/**
 * Audit log entries (file and socket devices write one JSON object per line) as typed events.
 * The fields are those OpenBao 2.6.1 writes: `time`, `type` (`request` | `response`), `auth`,
 * `request`, `response`, `error`; every secret-bearing string is an HMAC (`hmac-sha256:…`), which
 * is why known values are matched through `sys/audit-hash` rather than read. A line that does not
 * parse is an {@link AuditParseError} saying why and where — the stream carries on after it.
 */

/** The `auth` block: who made the request. */
export interface AuditAuth {
  /** HMAC of the client token. */
  readonly clientToken?: string;
  /** HMAC of the token accessor. */
  readonly accessor?: string;
  /** Display name (`root`, `token`, `approle`, `userpass-alice`, …). */
  readonly displayName?: string;
  /** All policies of the token. */
  readonly policies: readonly string[];
  /** Policies attached to the token itself. */
  readonly tokenPolicies: readonly string[];
  /** Policies from the identity (entity and groups). */
  readonly identityPolicies: readonly string[];
  /** Identity entity id, when the token has one. */
  readonly entityId?: string;
  /** Token metadata (auth method fills it: role name, username, …). */
  readonly metadata: Readonly<Record<string, string>>;
  /** `service`, `batch`, or `default` when no token was resolved. */
  readonly tokenType?: string;
  /** Whether the ACL allowed the request, when it was evaluated. */
  readonly allowed?: boolean;
  /** Policies that granted it. */
  readonly grantingPolicies: readonly string[];
}

/** The `request` block. */
export interface AuditRequest {
  /**
   * Request id; a request and its response share it. `""` for requests the server makes itself
   * (OpenBao's dev mode mounting `secret/` at start-up logs them without one).
   */
  readonly id: string;
  /** `create`, `read`, `update`, `delete`, `list`, … */
  readonly operation: string;
  /** Path below `/v1/`, relative to the namespace. */
  readonly path: string;
  /** Namespace id and path (`""` for root). */
  readonly namespace: { readonly id: string; readonly path: string };
  /** Mount type (`kv`, `system`, `token`, …). */
  readonly mountType?: string;
  /** Mount point (`secret/`). */
  readonly mountPoint?: string;
  /** HMAC of the token sent with the request. */
  readonly clientToken?: string;
  /** Caller's address. */
  readonly remoteAddress?: string;
  /** Request body fields (values HMAC'd). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Fields both entry types have (who, what, when, and the error). */
export interface AuditEventBase {
  /** When the server wrote the entry. */
  readonly time: Date;
  /** Who. */
  readonly auth: AuditAuth;
  /** What. */
  readonly request: AuditRequest;
  /** Error text, when the request failed (`permission denied`, …). */
  readonly error?: string;
}

/** An entry written when a request arrives. */
export interface AuditRequestEvent extends AuditEventBase {
  /** Discriminant. */
  readonly type: "request";
}

/** An entry written when the answer leaves. */
export interface AuditResponseEvent extends AuditEventBase {
  /** Discriminant. */
  readonly type: "response";
  /** Response data (values HMAC'd), when any. */
  readonly responseData?: Readonly<Record<string, unknown>>;
  /** The auth block of a login's answer (the new token's display name, policies, entity). */
  readonly responseAuth?: AuditAuth;
}

/** One parsed entry. */
export type AuditEvent = AuditRequestEvent | AuditResponseEvent;

/** Why a line is not an entry. */
export type AuditParseFailure = "truncated" | "not-json" | "not-an-entry";

/** A line that could not be parsed; the line itself is not kept (it may be any text). */
export class AuditParseError extends Error {
  /** What is wrong. */
  public readonly reason: AuditParseFailure;
  /** Where (source name and 1-based line number, when known). */
  public readonly where: string;
  /** @internal */
  constructor(reason: AuditParseFailure, where: string, detail: string) {
    super(`audit entry at ${where}: ${detail}`);
    this.name = "AuditParseError";
    this.reason = reason;
    this.where = where;
  }
}

type Raw = Record<string, unknown>;

function obj(value: unknown): Raw {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Raw) : {};
}

function optStr(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function parseAuth(raw: Raw): AuditAuth {
  const results = obj(raw.policy_results);
  const metadata = obj(raw.metadata);
  return {
    clientToken: optStr(raw.client_token),
    accessor: optStr(raw.accessor),
    displayName: optStr(raw.display_name),
    policies: strings(raw.policies),
    tokenPolicies: strings(raw.token_policies),
    identityPolicies: strings(raw.identity_policies),
    entityId: optStr(raw.entity_id),
    metadata: Object.fromEntries(Object.entries(metadata).filter((e): e is [string, string] => typeof e[1] === "string")),
    tokenType: optStr(raw.token_type),
    allowed: typeof results.allowed === "boolean" ? results.allowed : undefined,
    grantingPolicies: (Array.isArray(results.granting_policies) ? results.granting_policies : [])
      .map((p) => String(obj(p).name ?? ""))
      .filter((n) => n !== ""),
  };
}

/**
 * Parse one line. Throws {@link AuditParseError}: `truncated` when the JSON ends early (a line cut
 * by a crash or a full disk), `not-json` for other syntax errors, `not-an-entry` when fields the
 * correlation needs (type, time, the request block) are missing.
 */
export function parseAuditLine(line: string, where = "line"): AuditEvent {
  let raw: Raw;
  try {
    raw = obj(JSON.parse(line));
  } catch (error) {
    const text = (error as Error).message;
    const truncated =
      /Unexpected end|Unterminated|end of JSON/i.test(text) || (line.trimStart().startsWith("{") && !line.trimEnd().endsWith("}"));
    throw new AuditParseError(truncated ? "truncated" : "not-json", where, truncated ? "the JSON ends early (truncated line)" : "not JSON");
  }
  const type = raw.type;
  if (type !== "request" && type !== "response")
    throw new AuditParseError("not-an-entry", where, `"type" is ${JSON.stringify(type)}, not request or response`);
  const time = typeof raw.time === "string" ? new Date(raw.time) : new Date(NaN);
  if (Number.isNaN(time.getTime())) throw new AuditParseError("not-an-entry", where, `"time" is missing or not a timestamp`);
  const req = obj(raw.request);
  if (typeof raw.request !== "object" || raw.request === null) throw new AuditParseError("not-an-entry", where, `"request" is missing`);
  const id = optStr(req.id) ?? "";
  const ns = obj(req.namespace);
  const request: AuditRequest = {
    id,
    operation: optStr(req.operation) ?? "",
    path: typeof req.path === "string" ? req.path : "",
    namespace: { id: optStr(ns.id) ?? "root", path: typeof ns.path === "string" ? ns.path : "" },
    mountType: optStr(req.mount_type),
    mountPoint: optStr(req.mount_point),
    clientToken: optStr(req.client_token),
    remoteAddress: optStr(req.remote_address),
    data: req.data === undefined ? undefined : obj(req.data),
  };
  const base = { time, auth: parseAuth(obj(raw.auth)), request, error: optStr(raw.error) };
  if (type === "request") return { type, ...base };
  const res = obj(raw.response);
  return {
    type,
    ...base,
    responseData: res.data === undefined ? undefined : obj(res.data),
    responseAuth: res.auth === undefined ? undefined : parseAuth(obj(res.auth)),
  };
}
