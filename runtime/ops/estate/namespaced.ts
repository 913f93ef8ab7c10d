/**
 * A requester that sends every request into one namespace, so the engine APIs (KV, transit),
 * which know nothing of namespaces, work inside a tenant's namespace over the same client.
 */
import { OpsInputError } from "../ops-input-error";
import { Requester } from "../../transport/requester";

/**
 * `requester` with `X-Vault-Namespace: namespace` on every request that names none itself;
 * `undefined` or `""` is the root namespace (the requester unchanged).
 */
export function inNamespace(requester: Requester, namespace: string | undefined): Requester {
  if (namespace === undefined || namespace === "") return requester;
  const ns = normalizeNamespace(namespace);
  return {
    request: (req, policy) => requester.request({ ...req, namespace: req.namespace ?? ns }, policy),
    // One token for every namespace: the view shares it with the requester it wraps.
    setToken: (token) => requester.setToken(token),
  };
}

/** `a/b/` and `/a/b` → `a/b`; the root namespace is `""`. Rejects empty segments and `..`. */
export function normalizeNamespace(namespace: string): string {
  const trimmed = namespace.replace(/^\/+|\/+$/g, "");
  if (trimmed === "") return "";
  const segments = trimmed.split("/");
  for (const segment of segments) {
    if (!/^[A-Za-z0-9_.-]+$/.test(segment) || segment === "." || segment === "..") {
      throw new OpsInputError(`namespace "${namespace}" has an invalid segment "${segment}" (letters, digits, _ . - only)`);
    }
  }
  return segments.join("/");
}
