/**
 * Build a validated estate out of the vaultsmith Pulumi components, one component per owner of
 * the resource graph: each is named `<stack>-<owner>` and parented to the stack (namespaces to
 * their parent namespace), so the resources match the CDKTF stack built by `buildEstate`.
 */
import * as pulumi from "@pulumi/pulumi";
import { AclPolicy } from "../../constructs/pulumi/acl-policy";
import { AppRoleAuth } from "../../constructs/pulumi/approle-auth";
import { FileAuditDevice, SocketAuditDevice } from "../../constructs/pulumi/audit-device";
import { clearNamespaceScope, scopeResources, setNamespaceScope } from "../../constructs/pulumi/base";
import { AttrRef } from "../../model/graph";
import { CertAuth } from "../../constructs/pulumi/cert-auth";
import { DatabaseSecrets } from "../../constructs/pulumi/database-secrets";
import { IntermediateCa } from "../../constructs/pulumi/intermediate-ca";
import { JwtOidcAuth } from "../../constructs/pulumi/jwt-oidc-auth";
import { KubernetesAuth } from "../../constructs/pulumi/kubernetes-auth";
import { KvV2Store } from "../../constructs/pulumi/kv-v2-store";
import { LdapAuth } from "../../constructs/pulumi/ldap-auth";
import { Namespace } from "../../constructs/pulumi/namespace";
import { PkiRole } from "../../constructs/pulumi/pki-role";
import { LeaseCountQuota, RateLimitQuota } from "../../constructs/pulumi/quotas";
import { IRootCa, RootCa } from "../../constructs/pulumi/root-ca";
import { SentinelPolicy } from "../../constructs/pulumi/sentinel-policy";
import { TransitEngine } from "../../constructs/pulumi/transit-engine";
import { VaultStack } from "../../constructs/pulumi/vault-stack";
import { estateNamespaceParts, owners } from "../../model/graph-estate";
import { Estate } from "../../model/schema";
import { BuiltEstate } from "../cassandra-estate";
import { jwtProps } from "../../model/kinds/auth/jwt-oidc";
import { ldapProps } from "../../model/kinds/auth/ldap";
import { databaseProps } from "../../model/kinds/database";
import { generatedRootProps, intermediateProps } from "../../model/kinds/pki";

/** The components an estate was built from, by kind (keys are mount paths / names). */
export interface EstateComponents extends BuiltEstate<
  IRootCa,
  IntermediateCa,
  PkiRole,
  KvV2Store,
  TransitEngine,
  DatabaseSecrets,
  AppRoleAuth,
  AclPolicy
> {
  /** Namespaces by full path. */
  readonly namespaces: ReadonlyMap<string, Namespace>;
  /** The estate's own namespace, when the estate creates it (`createNamespace`). */
  readonly estateNamespace?: Namespace;
}

/** Instantiate every part of `estate` under `stack` (a VaultStack declaring the estate's target). */
export function buildEstate(stack: VaultStack, estate: Estate): EstateComponents {
  const prefix = stack.componentName;
  const at = (owner: string): string => `${prefix}-${owner}`;
  const child: pulumi.ComponentResourceOptions = { parent: stack };
  let estateNamespace: Namespace | undefined;
  if (estate.namespace !== undefined && estate.createNamespace) {
    const { parent, path } = estateNamespaceParts(estate.namespace);
    if (parent !== undefined) setNamespaceScope(stack, parent);
    estateNamespace = new Namespace(at(owners.estateNamespace()), { path }, child);
    // Its siblings refer to it: make its resource visible from the whole stack, as CDKTF's is.
    const pathFq = estateNamespace.pathFq as AttrRef;
    scopeResources(stack).set(pathFq.id, estateNamespace.resource);
    setNamespaceScope(stack, pathFq);
  } else if (estate.namespace !== undefined) {
    setNamespaceScope(stack, estate.namespace);
  }
  const namespaces = new Map<string, Namespace>();
  for (const ns of estate.namespaces) {
    const parent = ns.parent === undefined ? stack : namespaces.get(ns.parent);
    if (!parent) throw new Error(`namespace "${ns.path}": parent "${ns.parent}" not declared before it`);
    const full = ns.parent ? `${ns.parent}/${ns.path}` : ns.path;
    namespaces.set(
      full,
      new Namespace(`${parent.componentName}-namespace-${ns.path}`, { path: ns.path, customMetadata: ns.customMetadata }, { parent }),
    );
  }

  let rootCa: IRootCa | undefined;
  const intermediates = new Map<string, IntermediateCa>();
  const pkiRoles = new Map<string, PkiRole>();
  if (estate.pki) {
    const root = estate.pki.root;
    rootCa =
      root.source === "existing"
        ? RootCa.fromMountPath(at(owners.pkiRoot()), { mountPath: root.mount, ttl: root.ttl })
        : new RootCa(at(owners.pkiRoot()), generatedRootProps(root), child);
    for (const int of estate.pki.intermediates) {
      const ca = new IntermediateCa(at(owners.pkiIntermediate(int.mount)), { ...intermediateProps(int), root: rootCa }, child);
      intermediates.set(int.mount, ca);
      for (const r of int.roles) {
        const { name, ...rest } = r;
        pkiRoles.set(name, ca.addRole(`role-${name}`, { ...rest, roleName: name }));
      }
    }
  }

  const kv = new Map(estate.kv.map((k) => [k.mount, new KvV2Store(at(owners.kv(k.mount)), { ...k, mountPath: k.mount }, child)] as const));
  const transit = new Map(
    estate.transit.map(
      (t) => [t.mount, new TransitEngine(at(owners.transit(t.mount)), { mountPath: t.mount, keys: t.keys }, child)] as const,
    ),
  );
  const database = new Map(
    estate.database.map((d) => [d.mount, new DatabaseSecrets(at(owners.database(d.mount)), databaseProps(d), child)] as const),
  );

  const auth = estate.auth;
  const appRole = auth.appRole ? new AppRoleAuth(at(owners.auth("approle")), auth.appRole, child) : undefined;
  if (auth.kubernetes) new KubernetesAuth(at(owners.auth("kubernetes")), auth.kubernetes, child);
  if (auth.ldap) new LdapAuth(at(owners.auth("ldap")), ldapProps(auth.ldap), child);
  if (auth.jwt) new JwtOidcAuth(at(owners.auth("jwt")), jwtProps(auth.jwt), child);
  if (auth.cert) new CertAuth(at(owners.auth("cert")), auth.cert, child);

  const policies = new Map(
    estate.policies.map((p) => [p.name, new AclPolicy(at(owners.policy(p.name)), { policyName: p.name, rules: p.rules }, child)] as const),
  );
  for (const p of estate.sentinelPolicies) new SentinelPolicy(at(owners.sentinel(p.name)), { ...p, policyName: p.name }, child);
  // Quotas and audit devices live in the root namespace; a quota waits for the namespace the estate creates.
  clearNamespaceScope(stack);
  const order = estateNamespace ? { dependsOn: [estateNamespace] } : {};
  for (const q of estate.rateLimitQuotas) new RateLimitQuota(at(owners.rateLimit(q.name)), { ...q, quotaName: q.name, ...order }, child);
  for (const q of estate.leaseCountQuotas) new LeaseCountQuota(at(owners.leaseCount(q.name)), { ...q, quotaName: q.name, ...order }, child);
  for (const a of estate.audit) {
    if (a.type === "file") new FileAuditDevice(at(owners.audit(a.path)), a, child);
    else new SocketAuditDevice(at(owners.audit(a.path)), a, child);
  }
  return { rootCa, intermediates, pkiRoles, kv, transit, database, appRole, policies, namespaces, estateNamespace };
}
