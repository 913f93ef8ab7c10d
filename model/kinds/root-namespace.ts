/**
 * Resources Vault keeps in the root namespace only (quotas, audit devices): their descriptor ids and the check.
 */
import { FragmentOptions, ownerId, StringValue } from "../graph";
import { RawIssue } from "../validation";

/**
 * Quotas and audit devices live in the root namespace only (`sys/quotas`, `sys/audit`: "operation
 * only available in root namespace"), so their descriptors never take a namespace, whatever
 * `options.namespace` is: a quota's `path` names the namespace it limits (`tenant/`, `tenant/secret/`).
 * `dependsOn`: logical ids to create first (the namespace or mount a quota's path names).
 */
export function rootOnly(options: FragmentOptions, dependsOn: readonly string[]): { id: string; dependsOn?: readonly string[] } {
  return { id: ownerId(options.owner), ...(dependsOn.length > 0 ? { dependsOn: [...new Set(dependsOn)] } : {}) };
}

/**
 * Quotas and audit devices exist in the root namespace only (`sys/quotas`, `sys/audit` answer
 * "operation only available in root namespace" elsewhere): one created inside a namespace is refused.
 */
export function rootNamespaceIssues(what: "quotas" | "audit devices", namespace: StringValue | undefined): RawIssue[] {
  if (namespace === undefined) return [];
  const hint =
    what === "quotas"
      ? 'create the quota outside the namespace, with a path that names it (e.g. "tenant/")'
      : "create the audit device outside the namespace";
  return [{ path: [], message: `${what} live in the root namespace only (Vault refuses them in a namespace): ${hint}` }];
}
