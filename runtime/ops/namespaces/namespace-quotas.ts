/**
 * Per-namespace rate limits: a rate-limit quota lives in the root namespace and names the
 * namespace in its `path` (`tenant-a/`). The quota is named `<namespace>-requests` (slashes as
 * `-`) so one namespace has one, and setting it again replaces it.
 */
import { POLICIES, Requester } from "../../transport/requester";
import { normalizeNamespace } from "../estate/namespaced";
import { NamespaceAdmin } from "./namespace-admin";

/** A namespace's rate limit. */
export interface NamespaceRateLimit {
  /** Requests allowed per interval. */
  readonly rate: number;
  /** Interval in seconds. @default 1 */
  readonly intervalSeconds?: number;
  /** Block a client that hit the limit for this long, in seconds. @default no blocking */
  readonly blockSeconds?: number;
  /** Apply to child namespaces too. @default false */
  readonly inheritable?: boolean;
}

/** The quota name used for `namespace`. */
export function quotaName(namespace: string): string {
  return `${normalizeNamespace(namespace).replace(/\//g, "-")}-requests`;
}

/** Set (or replace) the rate limit of an existing namespace. */
export async function setNamespaceRateLimit(requester: Requester, namespace: string, limit: NamespaceRateLimit): Promise<string> {
  if (!(limit.rate > 0)) throw new RangeError(`rate must be positive, got ${limit.rate}`);
  const ns = await new NamespaceAdmin(requester).read(namespace);
  const name = quotaName(ns.path);
  await requester.request(
    {
      method: "POST",
      path: `sys/quotas/rate-limit/${name}`,
      body: {
        path: `${ns.path}/`,
        rate: limit.rate,
        interval: `${limit.intervalSeconds ?? 1}s`,
        ...(limit.blockSeconds ? { block_interval: `${limit.blockSeconds}s` } : {}),
        ...(limit.inheritable ? { inheritable: true } : {}),
      },
    },
    POLICIES.idempotentWrite,
  );
  return name;
}

/** Remove a namespace's rate limit (no error when it has none). */
export async function removeNamespaceRateLimit(requester: Requester, namespace: string): Promise<void> {
  await requester.request({ method: "DELETE", path: `sys/quotas/rate-limit/${quotaName(namespace)}` }, POLICIES.idempotentWrite);
}
