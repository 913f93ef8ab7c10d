/**
 * Admin calls integration tests use to set a server up (enable auth methods, write roles and
 * policies) with the root token, through the harness's own HTTP helper rather than the runtime
 * under test. Any non-2xx answer throws with the status and Vault's messages.
 */
import { HarnessTls, call } from "./harness-http";

/** Where and as whom admin calls go. */
export interface AdminTarget {
  /** Server address. */
  readonly address: string;
  /** Root (or admin) token. */
  readonly token: string;
  /** TLS material for an https address. */
  readonly tls?: HarnessTls;
}

/** Call `method path` as admin; returns the body, throws on a non-2xx status. */
export async function admin<T = unknown>(target: AdminTarget, method: "GET" | "PUT" | "POST", path: string, body?: unknown): Promise<T> {
  const res = await call<T & { errors?: string[] }>(target.address, method, path, { token: target.token, body, tls: target.tls });
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`${method} ${path} answered HTTP ${res.status}: ${(res.body.errors ?? []).join("; ")}`);
  }
  return res.body;
}

/** Enable an auth method of `type` at `mountPath`. */
export function enableAuth(target: AdminTarget, type: string, mountPath = type): Promise<unknown> {
  return admin(target, "POST", `sys/auth/${mountPath}`, { type });
}

/** Write an ACL policy granting `capabilities` on `paths`. */
export function writePolicy(target: AdminTarget, name: string, rules: string): Promise<unknown> {
  return admin(target, "PUT", `sys/policies/acl/${name}`, { policy: rules });
}
