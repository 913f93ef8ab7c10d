/**
 * What the policy tests need from a real server: write policies, issue a token holding exactly a
 * set of policies, and ask `sys/capabilities` about many paths in one request.
 */
import { request } from "undici";
import { call } from "../../support/harness-http";
import { DevServer } from "../../support/dev-server";

/** Write `hcl` as policy `name`; throws with the server's errors when it refuses. */
export async function writePolicy(server: DevServer, name: string, hcl: string): Promise<void> {
  const res = await call<{ errors?: string[] }>(server.address, "PUT", `sys/policies/acl/${name}`, {
    token: server.token,
    body: { policy: hcl },
  });
  if (res.status >= 300) throw new Error(`writing policy ${name} failed with ${res.status}: ${(res.body.errors ?? []).join("; ")}\n${hcl}`);
}

/** Try to write `hcl` as policy `name`; resolves to the server's error messages (empty when accepted). */
export async function tryWritePolicy(server: DevServer, name: string, hcl: string): Promise<string[]> {
  const res = await call<{ errors?: string[] }>(server.address, "PUT", `sys/policies/acl/${name}`, {
    token: server.token,
    body: { policy: hcl },
  });
  return res.status >= 300 ? (res.body.errors ?? [`HTTP ${res.status}`]) : [];
}

/** Create a token holding exactly `policies` (no default policy). */
export async function tokenWithPolicies(server: DevServer, policies: readonly string[]): Promise<string> {
  const res = await call<{ auth?: { client_token: string }; errors?: string[] }>(server.address, "POST", "auth/token/create", {
    token: server.token,
    body: { policies, no_default_policy: true, ttl: "1h" },
  });
  if (!res.body.auth) throw new Error(`token create failed with ${res.status}: ${(res.body.errors ?? []).join("; ")}`);
  return res.body.auth.client_token;
}

/** `sys/capabilities` for `token` on every path, in one request. */
export async function serverCapabilities(server: DevServer, token: string, paths: readonly string[]): Promise<Record<string, string[]>> {
  const res = await call<{ data?: Record<string, string[]>; errors?: string[] }>(server.address, "POST", "sys/capabilities", {
    token: server.token,
    body: { token, paths },
    timeoutMs: 30_000,
  });
  if (!res.body.data) throw new Error(`sys/capabilities failed with ${res.status}: ${(res.body.errors ?? []).join("; ")}`);
  return res.body.data;
}

/** Mount a KV version 1 engine at `path` (root token). */
export async function mountKv1(server: DevServer, path: string): Promise<void> {
  const res = await call<{ errors?: string[] }>(server.address, "POST", `sys/mounts/${path}`, {
    token: server.token,
    body: { type: "kv", options: { version: "1" } },
  });
  if (res.status >= 300) throw new Error(`mounting kv v1 at ${path} failed with ${res.status}: ${(res.body.errors ?? []).join("; ")}`);
}

/** One real request made with a token: method, path, optional JSON body and response-wrapping TTL. */
export interface RealRequest {
  readonly method: "GET" | "PUT" | "DELETE" | "LIST";
  readonly path: string;
  readonly body?: unknown;
  readonly wrapTtlSeconds?: number;
}

/** Send `req` with `token`; resolves to the HTTP status and Vault's error messages. */
export async function sendAs(server: DevServer, token: string, req: RealRequest): Promise<{ status: number; errors: string[] }> {
  const headers: Record<string, string> = { "x-vault-token": token };
  if (req.body !== undefined) headers["content-type"] = "application/json";
  if (req.wrapTtlSeconds !== undefined) headers["x-vault-wrap-ttl"] = String(req.wrapTtlSeconds);
  const res = await request(`${server.address}/v1/${req.path}`, {
    method: req.method === "LIST" ? "GET" : req.method,
    query: req.method === "LIST" ? { list: "true" } : undefined,
    headers,
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await res.body.text();
  const parsed = text ? (JSON.parse(text) as { errors?: string[] }) : {};
  return { status: res.statusCode, errors: parsed.errors ?? [] };
}
