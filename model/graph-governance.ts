/** ACL and Sentinel policies, namespaces, quotas and audit devices → descriptors. */
import { renderHcl } from "../policies/hcl-render";
import { PolicyDocument } from "../policies/policy-document";
import { AttrRef, LazyValue, ResourceDescriptor, StringValue, compact, ownerId, sortedSet } from "./graph";
import { FragmentOptions } from "./graph-pki";
import { AuditDeviceSpec, LeaseCountQuotaSpec, NamespaceSpec, RateLimitQuotaSpec, SentinelPolicySpec } from "./schema";

function ns(options: FragmentOptions): { namespace?: StringValue } {
  return options.namespace === undefined ? {} : { namespace: options.namespace };
}

/**
 * An ACL policy. `document` may be a function so rules added later (by `grant*`) are included:
 * the HCL is rendered when the engine synthesizes, by the shared canonical renderer.
 */
export function aclPolicyDescriptor(
  name: string,
  document: PolicyDocument | (() => PolicyDocument),
  options: FragmentOptions,
): ResourceDescriptor {
  const produce = typeof document === "function" ? document : () => document;
  return {
    type: "vault_policy",
    id: `${ownerId(options.owner)}.policy`,
    attributes: compact({ name, policy: new LazyValue(() => renderHcl(produce())), ...ns(options) }),
  };
}

/** An EGP (with paths) or RGP Sentinel policy. */
export function sentinelPolicyDescriptor(spec: SentinelPolicySpec, options: FragmentOptions): ResourceDescriptor {
  return {
    type: spec.kind === "egp" ? "vault_egp_policy" : "vault_rgp_policy",
    id: `${ownerId(options.owner)}.policy`,
    attributes: compact({
      name: spec.name,
      paths: spec.kind === "egp" ? sortedSet(spec.paths) : undefined,
      enforcement_level: spec.enforcementLevel,
      policy: spec.policy,
      ...ns(options),
    }),
  };
}

/** A namespace; `parent` is the parent namespace's full path (a reference for one the graph creates). */
export function namespaceDescriptor(
  spec: NamespaceSpec,
  parent: StringValue | undefined,
  options: FragmentOptions,
): { resource: ResourceDescriptor; pathFq: AttrRef } {
  const resource: ResourceDescriptor = {
    type: "vault_namespace",
    id: `${ownerId(options.owner)}.namespace`,
    attributes: compact({ path: spec.path, namespace: parent ?? options.namespace, custom_metadata: spec.customMetadata }),
  };
  return { resource, pathFq: new AttrRef(resource.id, "path_fq") };
}

/**
 * Quotas and audit devices live in the root namespace only (`sys/quotas`, `sys/audit`: "operation
 * only available in root namespace"), so their descriptors never take a namespace, whatever
 * `options.namespace` is: a quota's `path` names the namespace it limits (`tenant/`, `tenant/secret/`).
 * `dependsOn`: logical ids to create first (the namespace or mount a quota's path names).
 */
function rootOnly(options: FragmentOptions, dependsOn: readonly string[]): { id: string; dependsOn?: readonly string[] } {
  return { id: ownerId(options.owner), ...(dependsOn.length > 0 ? { dependsOn: [...new Set(dependsOn)] } : {}) };
}

/** A rate-limit quota (root namespace; see {@link rootOnly}). */
export function rateLimitQuotaDescriptor(
  spec: RateLimitQuotaSpec,
  options: FragmentOptions,
  dependsOn: readonly string[] = [],
): ResourceDescriptor {
  const { id, ...order } = rootOnly(options, dependsOn);
  return {
    type: "vault_quota_rate_limit",
    id: `${id}.quota`,
    ...order,
    attributes: compact({
      name: spec.name,
      path: spec.path,
      rate: spec.rate,
      interval: spec.interval,
      block_interval: spec.blockInterval,
      role: spec.role,
      inheritable: spec.inheritable,
    }),
  };
}

/** A lease-count quota (Vault Enterprise; root namespace). */
export function leaseCountQuotaDescriptor(
  spec: LeaseCountQuotaSpec,
  options: FragmentOptions,
  dependsOn: readonly string[] = [],
): ResourceDescriptor {
  const { id, ...order } = rootOnly(options, dependsOn);
  return {
    type: "vault_quota_lease_count",
    id: `${id}.quota`,
    ...order,
    attributes: compact({
      name: spec.name,
      path: spec.path,
      max_leases: spec.maxLeases,
      role: spec.role,
      inheritable: spec.inheritable,
    }),
  };
}

/** An audit device (root namespace); options are strings, as Vault's API takes them. */
export function auditDeviceDescriptor(spec: AuditDeviceSpec, options: FragmentOptions): ResourceDescriptor {
  const common = { format: spec.format, hmac_accessor: spec.hmacAccessor === undefined ? undefined : String(spec.hmacAccessor) };
  const deviceOptions =
    spec.type === "file"
      ? compact({ file_path: spec.filePath, mode: spec.mode, ...common })
      : compact({
          address: spec.address,
          socket_type: spec.socketType,
          write_timeout: spec.writeTimeout === undefined ? undefined : `${spec.writeTimeout}s`,
          ...common,
        });
  return {
    type: "vault_audit",
    id: `${ownerId(options.owner)}.device`,
    attributes: compact({
      type: spec.type,
      path: spec.path,
      description: spec.description,
      local: spec.local,
      options: deviceOptions,
    }),
  };
}
