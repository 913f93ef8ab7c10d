/**
 * HTTP transport to one Vault node over a keep-alive undici connection pool, with an optional
 * custom CA and client certificate. It adds `X-Vault-Token`, `X-Vault-Namespace` and
 * `X-Vault-Request`, decodes JSON and turns failures into typed errors.
 */
import { inspect } from "node:util";
import { Agent, Dispatcher, request } from "undici";
import { VaultConnectionError, VaultHttpError, VaultProtocolError } from "../core/errors";
import { parseRetryAfter } from "../core/backoff";
import { deadlineSignal } from "../core/deadline-signal";
import { pinningIdentityCheck } from "./certificate-pin";
import type { RequestPolicy } from "./request-policy";

/** TLS settings for talking to a node over HTTPS. */
export interface TlsOptions {
  /** PEM CA bundle that signs the server certificate. @default the system trust store */
  readonly ca?: string;
  /** PEM client certificate for mutual TLS. @default none */
  readonly cert?: string;
  /** PEM private key of `cert`. @default none */
  readonly key?: string;
  /** Name to verify the server certificate against, when it differs from the address host. @default the address host */
  readonly serverName?: string;
  /** SPKI SHA-256 pins (base64, see `spkiPin`); the chain must contain one. @default no pinning */
  readonly pins?: readonly string[];
  /** Offer HTTP/2 through ALPN (HTTP/1.1 stays the fallback). @default true */
  readonly http2?: boolean;
}

/** How to reach a node. */
export interface HttpTransportOptions {
  /** Base address, e.g. `https://vault.internal:8200`. */
  readonly address: string;
  /** Token sent as `X-Vault-Token`. @default none (unauthenticated requests only) */
  readonly token?: string;
  /** Namespace sent as `X-Vault-Namespace`. @default the root namespace */
  readonly namespace?: string;
  /** TLS settings for an `https://` address. @default system trust store, no client certificate */
  readonly tls?: TlsOptions;
  /** Deadline for one request (connecting, sending, receiving the whole answer), in milliseconds. @default 10000 */
  readonly timeoutMs?: number;
  /** Most connections kept open to the node (the seed's `max_idle_connections`). @default unlimited */
  readonly maxConnections?: number;
}

/** One call: method, API path below `/v1/`, optional query and JSON body. */
export interface VaultRequest {
  /** HTTP method. */
  readonly method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE" | "LIST";
  /** API path below `/v1/`, without a leading slash. */
  readonly path: string;
  /** Query parameters. @default none */
  readonly query?: Readonly<Record<string, string | number | boolean>>;
  /**
   * JSON body; a `Uint8Array` is sent as is (`application/octet-stream`), for the few endpoints
   * that take a binary upload (a Raft snapshot restore). @default none
   */
  readonly body?: unknown;
  /** Statuses to return instead of throwing, besides 2xx. @default none */
  readonly acceptStatus?: readonly number[];
  /** Namespace for this request only, overriding the transport's. @default the transport's namespace */
  readonly namespace?: string;
  /** Send no token with this request (logins, unwrapping with a wrapping token in the body). @default false */
  readonly unauthenticated?: boolean;
  /** Headers added to this request (e.g. `X-Vault-Wrap-TTL`). @default none */
  readonly headers?: Readonly<Record<string, string>>;
  /** Abort the request when this signal fires; the signal's reason is thrown as is. @default none */
  readonly signal?: AbortSignal;
  /**
   * `bytes`: a 2xx body is returned as a `Uint8Array` as sent, for the few endpoints that answer in
   * a binary format (OCSP responses, DER CRLs); errors are still decoded from Vault's JSON. @default "json"
   */
  readonly responseType?: "json" | "bytes";
}

/** A decoded answer. */
export interface VaultResponse<T> {
  /** HTTP status code. */
  readonly status: number;
  /** Parsed JSON body, or undefined for an empty body (204). */
  readonly body: T | undefined;
}

interface ErrorBody {
  readonly errors?: readonly string[];
  readonly request_id?: string;
}

/**
 * Transport to a single node. Call {@link HttpTransport.close} when done. The token and the TLS
 * key live in true private fields: `util.inspect` and `JSON.stringify` show only the address.
 */
export class HttpTransport {
  /** Base address of the node. */
  public readonly address: string;
  readonly #dispatcher: Dispatcher;
  readonly #timeoutMs: number;
  #token: string | undefined;
  readonly #namespace: string | undefined;

  /** A transport to `options.address`; throws on an address that is not a bare http(s) origin. */
  constructor(options: HttpTransportOptions) {
    const url = new URL(options.address);
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new TypeError(`address must be http:// or https://, got "${options.address}"`);
    }
    if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
      throw new TypeError(`address must be scheme://host[:port] without a path, got "${options.address}"`);
    }
    this.address = url.origin;
    this.#token = options.token;
    this.#namespace = options.namespace;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    const tls = options.tls ?? {};
    // Only set keys that have values: Node's TLS layer asserts on explicit `undefined`s.
    const connect: Record<string, unknown> = { timeout: this.#timeoutMs };
    if (tls.ca) connect.ca = tls.ca;
    if (tls.cert) connect.cert = tls.cert;
    if (tls.key) connect.key = tls.key;
    if (tls.serverName) connect.servername = tls.serverName;
    if (tls.pins && tls.pins.length > 0) connect.checkServerIdentity = pinningIdentityCheck(tls.pins);
    this.#dispatcher = new Agent({
      connect,
      allowH2: url.protocol === "https:" && (tls.http2 ?? true),
      keepAliveTimeout: 30_000,
      ...(options.maxConnections === undefined ? {} : { connections: options.maxConnections }),
    });
  }

  /** Replace the token sent with every request (e.g. after a login). */
  setToken(token: string | undefined): void {
    this.#token = token;
  }

  /** What `util.inspect` shows: the address only. */
  [inspect.custom](): string {
    return `HttpTransport(${this.address})`;
  }

  /** What `JSON.stringify` shows: the address only. */
  toJSON(): { address: string } {
    return { address: this.address };
  }

  /**
   * The `Requester` shape, so one transport can stand wherever a client can (probes, tests, a
   * caller who deliberately talks to one node). The policy is ignored: routing and retries need a
   * cluster, and a single transport sends each request exactly once.
   */
  request<T>(req: VaultRequest, _policy: RequestPolicy): Promise<VaultResponse<T>> {
    return this.send<T>(req);
  }

  /** Send one request; non-accepted statuses raise {@link VaultHttpError}. */
  async send<T>(req: VaultRequest): Promise<VaultResponse<T>> {
    const url = new URL(`/v1/${req.path}`, this.address);
    for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { ...req.headers, "x-vault-request": "true" };
    if (this.#token && !req.unauthenticated && headers["x-vault-token"] === undefined) headers["x-vault-token"] = this.#token;
    const namespace = req.namespace ?? this.#namespace;
    if (namespace) headers["x-vault-namespace"] = namespace;
    let payload: string | Uint8Array | undefined;
    if (req.body instanceof Uint8Array) {
      headers["content-type"] ??= "application/octet-stream";
      payload = req.body;
    } else if (req.body !== undefined) {
      headers["content-type"] ??= "application/json";
      payload = JSON.stringify(req.body);
    }
    const timeout = deadlineSignal(this.#timeoutMs, req.signal);
    const signal = timeout.signal;
    const failed = (cause: unknown): Error => {
      // The caller's abort is theirs to interpret (a deadline, a cancellation): pass its reason on.
      if (req.signal?.aborted) return req.signal.reason instanceof Error ? req.signal.reason : new Error(String(req.signal.reason));
      return new VaultConnectionError(req.method, req.path, this.address, cause);
    };
    let answer: Dispatcher.ResponseData;
    let text: string;
    let bytes: Uint8Array | undefined;
    try {
      answer = await request(url, { method: req.method, headers, body: payload, dispatcher: this.#dispatcher, signal });
      if (req.responseType === "bytes" && answer.statusCode >= 200 && answer.statusCode < 300) {
        bytes = new Uint8Array(await answer.body.arrayBuffer());
        text = "";
      } else text = await answer.body.text();
    } catch (cause) {
      throw failed(cause);
    } finally {
      timeout.clear();
    }
    if (bytes !== undefined) return { status: answer.statusCode, body: bytes as T };
    const parsed = text.length > 0 ? (safeJson(text) as T | undefined) : undefined;
    const ok = (answer.statusCode >= 200 && answer.statusCode < 300) || (req.acceptStatus ?? []).includes(answer.statusCode);
    if (ok && text.length > 0 && (parsed === undefined || typeof parsed !== "object" || parsed === null)) {
      const type = String(answer.headers["content-type"] ?? "no content type");
      throw new VaultProtocolError(
        req.method,
        req.path,
        answer.statusCode,
        `a body that is not a JSON object (${type}, ${text.length} bytes)`,
      );
    }
    if (!ok) {
      const err = (parsed ?? {}) as ErrorBody;
      const retryAfter = answer.headers["retry-after"];
      const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      throw new VaultHttpError(req.method, req.path, answer.statusCode, err.errors ?? [], err.request_id, retryAfterMs);
    }
    return { status: answer.statusCode, body: parsed };
  }

  /** Close the connection pool. */
  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
