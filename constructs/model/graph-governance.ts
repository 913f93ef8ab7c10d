/** ACL and Sentinel policies, namespaces, quotas and audit devices → descriptors. */
import { renderHcl } from "../../policies/hcl-render";
import { PolicyDocument } from "../../policies/policy-document";
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

/** A rate-limit quota. */
export function rateLimitQuotaDescriptor(spec: RateLimitQuotaSpec, options: FragmentOptions): ResourceDescriptor {
  return {
    type: "vault_quota_rate_limit",
    id: `${ownerId(options.owner)}.quota`,
    attributes: compact({
      name: spec.name,
      path: spec.path,
      rate: spec.rate,
      interval: spec.interval,
      block_interval: spec.blockInterval,
      role: spec.role,
      inheritable: spec.inheritable,
      ...ns(options),
    }),
  };
}

/** A lease-count quota (Vault Enterprise). */
export function leaseCountQuotaDescriptor(spec: LeaseCountQuotaSpec, options: FragmentOptions): ResourceDescriptor {
  return {
    type: "vault_quota_lease_count",
    id: `${ownerId(options.owner)}.quota`,
    attributes: compact({
      name: spec.name,
      path: spec.path,
      max_leases: spec.maxLeases,
      role: spec.role,
      inheritable: spec.inheritable,
      ...ns(options),
    }),
  };
}

/** An audit device; options are strings, as Vault's API takes them. */
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
      ...ns(options),
    }),
  };
}
