/**
 * A whole estate → one resource graph. The CDKTF stacks build the same descriptors through the
 * constructs (same owners, same fragments), which the parity tests check.
 */
import { ResourceGraph, StringValue, FragmentOptions } from "./graph";
import { appRoleFragment } from "./kinds/auth/approle";
import { certAuthFragment } from "./kinds/auth/cert";
import { jwtFragment } from "./kinds/auth/jwt-oidc";
import { kubernetesFragment } from "./kinds/auth/kubernetes";
import { ldapFragment } from "./kinds/auth/ldap";
import { aclPolicyDescriptor } from "./kinds/acl-policy";
import { auditDeviceDescriptor } from "./kinds/audit-device";
import { namespaceDescriptor } from "./kinds/namespace";
import { leaseCountQuotaDescriptor, rateLimitQuotaDescriptor } from "./kinds/quotas";
import { sentinelPolicyDescriptor } from "./kinds/sentinel-policy";
import { intermediateCaFragment, rootCaFragment } from "./kinds/pki";
import { sshFragment } from "./kinds/ssh";
import { databaseFragment } from "./kinds/database";
import { kvV2Fragment } from "./kinds/kv-v2";
import { transitFragment } from "./kinds/transit";
import { Estate } from "./schema";

/** Owner ids (first part of logical ids) the estate compiler uses, shared with the stacks. */
export const owners = {
  /** The root CA. */
  pkiRoot: (): string => "pki-root",
  /** An intermediate CA, by mount. */
  pkiIntermediate: (mount: string): string => `pki-${mount}`,
  /** A KV v2 mount. */
  kv: (mount: string): string => `kv-${mount}`,
  /** A transit mount. */
  transit: (mount: string): string => `transit-${mount}`,
  /** An SSH secrets mount. */
  ssh: (mount: string): string => `ssh-${mount}`,
  /** A database mount. */
  database: (mount: string): string => `database-${mount}`,
  /** An auth method, by kind. */
  auth: (kind: string): string => `auth-${kind}`,
  /** An ACL policy. */
  policy: (name: string): string => `policy-${name}`,
  /** A Sentinel policy. */
  sentinel: (name: string): string => `sentinel-${name}`,
  /** The estate's own namespace, when the estate creates it (`createNamespace`). */
  estateNamespace: (): string => "estate-namespace",
  /** A namespace, by full path within the estate. */
  namespace: (fullPath: string): string =>
    fullPath
      .split("/")
      .map((s) => `namespace-${s}`)
      .join("/"),
  /** A rate-limit quota. */
  rateLimit: (name: string): string => `rate-limit-${name}`,
  /** A lease-count quota. */
  leaseCount: (name: string): string => `lease-count-${name}`,
  /** An audit device. */
  audit: (path: string): string => `audit-${path}`,
} as const;

/**
 * The estate's namespace split for creation: the last segment is created, inside the rest
 * (which must exist), e.g. `"teams/cassandra"` → `{ parent: "teams", path: "cassandra" }`.
 */
export function estateNamespaceParts(namespace: string): { parent?: string; path: string } {
  const segments = namespace.split("/");
  const path = segments.pop() as string;
  return segments.length > 0 ? { parent: segments.join("/"), path } : { path };
}

/** Compile a validated estate (from `parseEstate`) into its resource graph. */
export function compileEstate(estate: Estate): ResourceGraph {
  const graph = new ResourceGraph();
  let base: Omit<FragmentOptions, "owner"> = estate.namespace === undefined ? {} : { namespace: estate.namespace };
  const at = (owner: string): FragmentOptions => ({ ...base, owner });
  // Quotas (root namespace, path naming the estate's namespace) wait for the namespace the estate creates.
  const quotaOrder: string[] = [];
  if (estate.namespace !== undefined && estate.createNamespace) {
    const { parent, path } = estateNamespaceParts(estate.namespace);
    const { resource, pathFq } = namespaceDescriptor(
      { path },
      undefined,
      parent === undefined ? { owner: owners.estateNamespace() } : { owner: owners.estateNamespace(), namespace: parent },
    );
    graph.add(resource);
    quotaOrder.push(resource.id);
    base = { namespace: pathFq };
  }

  const namespaces = new Map<string, StringValue>();
  for (const spec of estate.namespaces) {
    const full = spec.parent ? `${spec.parent}/${spec.path}` : spec.path;
    const { resource, pathFq } = namespaceDescriptor(
      spec,
      spec.parent ? namespaces.get(spec.parent) : undefined,
      at(owners.namespace(full)),
    );
    graph.add(resource);
    namespaces.set(full, pathFq);
  }
  if (estate.pki) {
    const root = rootCaFragment(estate.pki.root, at(owners.pkiRoot()));
    graph.addAll(root.resources);
    for (const int of estate.pki.intermediates)
      graph.addAll(intermediateCaFragment(int, root.outputs, at(owners.pkiIntermediate(int.mount))).resources);
  }
  for (const kv of estate.kv) graph.addAll(kvV2Fragment(kv, at(owners.kv(kv.mount))).resources);
  for (const t of estate.transit) graph.addAll(transitFragment(t, at(owners.transit(t.mount))).resources);
  for (const d of estate.database) graph.addAll(databaseFragment(d, at(owners.database(d.mount))).resources);
  for (const s of estate.ssh) graph.addAll(sshFragment(s, at(owners.ssh(s.mount))).resources);
  const auth = estate.auth;
  if (auth.appRole) graph.addAll(appRoleFragment(auth.appRole, at(owners.auth("approle"))).resources);
  if (auth.kubernetes) graph.addAll(kubernetesFragment(auth.kubernetes, at(owners.auth("kubernetes"))).resources);
  if (auth.ldap) graph.addAll(ldapFragment(auth.ldap, at(owners.auth("ldap"))).resources);
  if (auth.jwt) graph.addAll(jwtFragment(auth.jwt, at(owners.auth("jwt"))).resources);
  if (auth.cert) graph.addAll(certAuthFragment(auth.cert, at(owners.auth("cert"))).resources);
  for (const p of estate.policies) graph.add(aclPolicyDescriptor(p.name, { name: p.name, rules: p.rules }, at(owners.policy(p.name))));
  for (const p of estate.sentinelPolicies) graph.add(sentinelPolicyDescriptor(p, at(owners.sentinel(p.name))));
  for (const q of estate.rateLimitQuotas) graph.add(rateLimitQuotaDescriptor(q, at(owners.rateLimit(q.name)), quotaOrder));
  for (const q of estate.leaseCountQuotas) graph.add(leaseCountQuotaDescriptor(q, at(owners.leaseCount(q.name)), quotaOrder));
  for (const a of estate.audit) graph.add(auditDeviceDescriptor(a, at(owners.audit(a.path))));
  return graph;
}
