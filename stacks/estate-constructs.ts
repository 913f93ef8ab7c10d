/**
 * Build a validated estate out of the vaultsmith constructs, one construct per owner of the
 * resource graph (same ids), so a stack built here synthesizes exactly what
 * `renderGraph(compileEstate(estate))` does — the parity tests hold the two together.
 */
import { Construct } from "constructs";
import { AclPolicy } from "../constructs/cdktf/acl-policy";
import { AppRoleAuth } from "../constructs/cdktf/approle-auth";
import { FileAuditDevice, SocketAuditDevice } from "../constructs/cdktf/audit-device";
import { clearNamespaceScope, setNamespaceScope } from "../constructs/cdktf/base";
import { CertAuth } from "../constructs/cdktf/cert-auth";
import { DatabaseSecrets } from "../constructs/cdktf/database-secrets";
import { IntermediateCa } from "../constructs/cdktf/intermediate-ca";
import { JwtOidcAuth } from "../constructs/cdktf/jwt-oidc-auth";
import { KubernetesAuth } from "../constructs/cdktf/kubernetes-auth";
import { KvV2Store } from "../constructs/cdktf/kv-v2-store";
import { LdapAuth } from "../constructs/cdktf/ldap-auth";
import { Namespace } from "../constructs/cdktf/namespace";
import { PkiRole } from "../constructs/cdktf/pki-role";
import { LeaseCountQuota, RateLimitQuota } from "../constructs/cdktf/quotas";
import { IRootCa, RootCa } from "../constructs/cdktf/root-ca";
import { SentinelPolicy } from "../constructs/cdktf/sentinel-policy";
import { TransitEngine } from "../constructs/cdktf/transit-engine";
import { estateNamespaceParts, owners } from "../model/graph-estate";
import { Estate } from "../model/schema";
import { jwtProps } from "../model/kinds/auth/jwt-oidc";
import { ldapProps } from "../model/kinds/auth/ldap";
import { databaseProps } from "../model/kinds/database";
import { generatedRootProps, intermediateProps } from "../model/kinds/pki";

/** The constructs an estate was built from, by kind (keys are mount paths / names). */
export interface EstateConstructs {
  /** The root CA, when the estate has PKI. */
  readonly rootCa?: IRootCa;
  /** Intermediates by mount path. */
  readonly intermediates: ReadonlyMap<string, IntermediateCa>;
  /** PKI roles by name. */
  readonly pkiRoles: ReadonlyMap<string, PkiRole>;
  /** KV v2 stores by mount path. */
  readonly kv: ReadonlyMap<string, KvV2Store>;
  /** Transit engines by mount path. */
  readonly transit: ReadonlyMap<string, TransitEngine>;
  /** Database engines by mount path. */
  readonly database: ReadonlyMap<string, DatabaseSecrets>;
  /** AppRole auth, when declared. */
  readonly appRole?: AppRoleAuth;
  /** ACL policies by name. */
  readonly policies: ReadonlyMap<string, AclPolicy>;
  /** Namespaces by full path. */
  readonly namespaces: ReadonlyMap<string, Namespace>;
  /** The estate's own namespace, when the estate creates it (`createNamespace`). */
  readonly estateNamespace?: Namespace;
}

/** Instantiate every part of `estate` under `scope` (a VaultStack declaring the estate's target). */
export function buildEstate(scope: Construct, estate: Estate): EstateConstructs {
  let estateNamespace: Namespace | undefined;
  if (estate.namespace !== undefined && estate.createNamespace) {
    const { parent, path } = estateNamespaceParts(estate.namespace);
    if (parent !== undefined) setNamespaceScope(scope, parent);
    estateNamespace = new Namespace(scope, owners.estateNamespace(), { path });
    setNamespaceScope(scope, estateNamespace.pathFq);
  } else if (estate.namespace !== undefined) {
    setNamespaceScope(scope, estate.namespace);
  }
  const namespaces = new Map<string, Namespace>();
  for (const ns of estate.namespaces) {
    const parent = ns.parent === undefined ? scope : namespaces.get(ns.parent);
    if (!parent) throw new Error(`namespace "${ns.path}": parent "${ns.parent}" not declared before it`);
    const full = ns.parent ? `${ns.parent}/${ns.path}` : ns.path;
    namespaces.set(full, new Namespace(parent, `namespace-${ns.path}`, { path: ns.path, customMetadata: ns.customMetadata }));
  }

  let rootCa: IRootCa | undefined;
  const intermediates = new Map<string, IntermediateCa>();
  const pkiRoles = new Map<string, PkiRole>();
  if (estate.pki) {
    const root = estate.pki.root;
    rootCa =
      root.source === "existing"
        ? RootCa.fromMountPath(scope, owners.pkiRoot(), { mountPath: root.mount, ttl: root.ttl })
        : new RootCa(scope, owners.pkiRoot(), generatedRootProps(root));
    for (const int of estate.pki.intermediates) {
      const ca = new IntermediateCa(scope, owners.pkiIntermediate(int.mount), { ...intermediateProps(int), root: rootCa });
      intermediates.set(int.mount, ca);
      for (const r of int.roles) {
        const { name, ...rest } = r;
        pkiRoles.set(name, ca.addRole(`role-${name}`, { ...rest, roleName: name }));
      }
    }
  }

  const kv = new Map(estate.kv.map((k) => [k.mount, new KvV2Store(scope, owners.kv(k.mount), { ...k, mountPath: k.mount })] as const));
  const transit = new Map(
    estate.transit.map((t) => [t.mount, new TransitEngine(scope, owners.transit(t.mount), { mountPath: t.mount, keys: t.keys })] as const),
  );
  const database = new Map(
    estate.database.map((d) => [d.mount, new DatabaseSecrets(scope, owners.database(d.mount), databaseProps(d))] as const),
  );

  const auth = estate.auth;
  const appRole = auth.appRole ? new AppRoleAuth(scope, owners.auth("approle"), auth.appRole) : undefined;
  if (auth.kubernetes) new KubernetesAuth(scope, owners.auth("kubernetes"), auth.kubernetes);
  if (auth.ldap) new LdapAuth(scope, owners.auth("ldap"), ldapProps(auth.ldap));
  if (auth.jwt) new JwtOidcAuth(scope, owners.auth("jwt"), jwtProps(auth.jwt));
  if (auth.cert) new CertAuth(scope, owners.auth("cert"), auth.cert);

  const policies = new Map(
    estate.policies.map((p) => [p.name, new AclPolicy(scope, owners.policy(p.name), { policyName: p.name, rules: p.rules })] as const),
  );
  for (const p of estate.sentinelPolicies) new SentinelPolicy(scope, owners.sentinel(p.name), { ...p, policyName: p.name });
  // Quotas and audit devices live in the root namespace; a quota waits for the namespace the estate creates.
  clearNamespaceScope(scope);
  const order = estateNamespace ? { dependsOn: [estateNamespace] } : {};
  for (const q of estate.rateLimitQuotas) new RateLimitQuota(scope, owners.rateLimit(q.name), { ...q, quotaName: q.name, ...order });
  for (const q of estate.leaseCountQuotas) new LeaseCountQuota(scope, owners.leaseCount(q.name), { ...q, quotaName: q.name, ...order });
  for (const a of estate.audit) {
    if (a.type === "file") new FileAuditDevice(scope, owners.audit(a.path), a);
    else new SocketAuditDevice(scope, owners.audit(a.path), a);
  }
  return { rootCa, intermediates, pkiRoles, kv, transit, database, appRole, policies, namespaces, estateNamespace };
}
