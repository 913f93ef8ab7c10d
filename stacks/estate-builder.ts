/**
 * The one estate builder: walks a validated estate kind by kind, maps each spec onto its
 * construct props (the kind modules' mappings) and asks an engine's {@link EstateFactory} to
 * create the construct under the graph's owner id. Both engines' `buildEstate` are this walk over
 * their factory, so a stack built either way synthesizes what `compileEstate` compiles.
 */
import { StringValue } from "../model/graph";
import { estateNamespaceParts, owners } from "../model/graph-estate";
import { Estate } from "../model/schema";
import { AclPolicyProps } from "../model/kinds/acl-policy";
import { FileAuditDeviceProps, SocketAuditDeviceProps } from "../model/kinds/audit-device";
import { AppRoleAuthProps } from "../model/kinds/auth/approle";
import { CertAuthProps } from "../model/kinds/auth/cert";
import { JwtOidcAuthProps, jwtProps } from "../model/kinds/auth/jwt-oidc";
import { KubernetesAuthProps } from "../model/kinds/auth/kubernetes";
import { LdapAuthProps, ldapProps } from "../model/kinds/auth/ldap";
import { DatabaseSecretsProps, databaseProps } from "../model/kinds/database";
import { KvV2StoreProps } from "../model/kinds/kv-v2";
import { NamespaceProps } from "../model/kinds/namespace";
import {
  IntermediateCaOptions,
  PkiRoleOptions,
  RootCaAttributes,
  RootCaProps,
  generatedRootProps,
  intermediateProps,
} from "../model/kinds/pki";
import { LeaseCountQuotaProps, RateLimitQuotaProps } from "../model/kinds/quotas";
import { SentinelPolicyProps } from "../model/kinds/sentinel-policy";
import { SshSecretsProps, sshProps } from "../model/kinds/ssh";
import { TransitEngineProps } from "../model/kinds/transit";

/** The construct types an engine builds an estate from (what {@link BuiltEstateOf} holds). */
export interface EstateKinds {
  /** A namespace. */
  readonly namespace: unknown;
  /** A created or imported root CA. */
  readonly rootCa: unknown;
  /** An intermediate CA. */
  readonly intermediateCa: unknown;
  /** A PKI role. */
  readonly pkiRole: unknown;
  /** A KV v2 store. */
  readonly kv: unknown;
  /** A transit engine. */
  readonly transit: unknown;
  /** A database secrets engine. */
  readonly database: unknown;
  /** An SSH secrets engine. */
  readonly ssh: unknown;
  /** AppRole auth. */
  readonly appRole: unknown;
  /** An ACL policy. */
  readonly policy: unknown;
}

/**
 * How one engine creates each kind under the stack being built: one line per kind, the only
 * engine-specific part of building an estate. `owner` is the resource graph's owner id.
 */
export interface EstateFactory<K extends EstateKinds> {
  /** Create the constructs that follow in namespace `path` (`undefined`: the provider's namespace). */
  setNamespace(path: StringValue | undefined): void;
  /** Create the estate's own namespace; `pathFq` is what its siblings are created in. */
  estateNamespace(owner: string, props: NamespaceProps): { readonly namespace: K["namespace"]; readonly pathFq: StringValue };
  /** Create a namespace of `estate.namespaces` inside `parent` (a namespace created before it, or the stack). */
  namespace(parent: K["namespace"] | undefined, props: NamespaceProps): K["namespace"];
  /** Create a root CA. */
  rootCa(owner: string, props: RootCaProps): K["rootCa"];
  /** Refer to an existing root CA. */
  importRootCa(owner: string, attrs: RootCaAttributes): K["rootCa"];
  /** Create an intermediate CA signed by `root`. */
  intermediateCa(owner: string, props: IntermediateCaOptions, root: K["rootCa"]): K["intermediateCa"];
  /** Create a role on intermediate `ca` (construct id `id` within it). */
  pkiRole(ca: K["intermediateCa"], id: string, options: PkiRoleOptions): K["pkiRole"];
  /** Create a KV v2 store. */
  kv(owner: string, props: KvV2StoreProps): K["kv"];
  /** Create a transit engine. */
  transit(owner: string, props: TransitEngineProps): K["transit"];
  /** Create a database secrets engine. */
  database(owner: string, props: DatabaseSecretsProps): K["database"];
  /** Create an SSH secrets engine. */
  ssh(owner: string, props: SshSecretsProps): K["ssh"];
  /** Create AppRole auth. */
  appRole(owner: string, props: AppRoleAuthProps): K["appRole"];
  /** Create Kubernetes auth. */
  kubernetes(owner: string, props: KubernetesAuthProps): void;
  /** Create LDAP auth. */
  ldap(owner: string, props: LdapAuthProps): void;
  /** Create JWT/OIDC auth. */
  jwt(owner: string, props: JwtOidcAuthProps): void;
  /** Create TLS certificate auth. */
  cert(owner: string, props: CertAuthProps): void;
  /** Create an ACL policy. */
  policy(owner: string, props: AclPolicyProps): K["policy"];
  /** Create a Sentinel policy. */
  sentinel(owner: string, props: SentinelPolicyProps): void;
  /** Create a rate-limit quota, after `after` when given (the namespace its path names). */
  rateLimitQuota(owner: string, props: RateLimitQuotaProps, after: K["namespace"] | undefined): void;
  /** Create a lease-count quota, after `after` when given. */
  leaseCountQuota(owner: string, props: LeaseCountQuotaProps, after: K["namespace"] | undefined): void;
  /** Create a file audit device. */
  fileAudit(owner: string, props: FileAuditDeviceProps): void;
  /** Create a socket audit device. */
  socketAudit(owner: string, props: SocketAuditDeviceProps): void;
}

/** What an estate was built into, by kind (keys are mount paths / names). */
export interface BuiltEstateOf<K extends EstateKinds> {
  /** The root CA, when the estate has PKI. */
  readonly rootCa?: K["rootCa"];
  /** Intermediates by mount path. */
  readonly intermediates: ReadonlyMap<string, K["intermediateCa"]>;
  /** PKI roles by name. */
  readonly pkiRoles: ReadonlyMap<string, K["pkiRole"]>;
  /** KV v2 stores by mount path. */
  readonly kv: ReadonlyMap<string, K["kv"]>;
  /** Transit engines by mount path. */
  readonly transit: ReadonlyMap<string, K["transit"]>;
  /** Database engines by mount path. */
  readonly database: ReadonlyMap<string, K["database"]>;
  /** SSH engines by mount path. */
  readonly ssh: ReadonlyMap<string, K["ssh"]>;
  /** AppRole auth, when declared. */
  readonly appRole?: K["appRole"];
  /** ACL policies by name. */
  readonly policies: ReadonlyMap<string, K["policy"]>;
  /** Namespaces by full path. */
  readonly namespaces: ReadonlyMap<string, K["namespace"]>;
  /** The estate's own namespace, when the estate creates it (`createNamespace`). */
  readonly estateNamespace?: K["namespace"];
}

/** Build every part of `estate` through `factory` (whose stack declares the estate's target). */
export function buildEstateWith<K extends EstateKinds>(factory: EstateFactory<K>, estate: Estate): BuiltEstateOf<K> {
  let estateNamespace: K["namespace"] | undefined;
  if (estate.namespace !== undefined && estate.createNamespace) {
    const { parent, path } = estateNamespaceParts(estate.namespace);
    if (parent !== undefined) factory.setNamespace(parent);
    const created = factory.estateNamespace(owners.estateNamespace(), { path });
    estateNamespace = created.namespace;
    factory.setNamespace(created.pathFq);
  } else if (estate.namespace !== undefined) {
    factory.setNamespace(estate.namespace);
  }
  const namespaces = new Map<string, K["namespace"]>();
  for (const ns of estate.namespaces) {
    const parent = ns.parent === undefined ? undefined : namespaces.get(ns.parent);
    if (ns.parent !== undefined && parent === undefined)
      throw new Error(`namespace "${ns.path}": parent "${ns.parent}" not declared before it`);
    const full = ns.parent ? `${ns.parent}/${ns.path}` : ns.path;
    namespaces.set(full, factory.namespace(parent, { path: ns.path, customMetadata: ns.customMetadata }));
  }

  let rootCa: K["rootCa"] | undefined;
  const intermediates = new Map<string, K["intermediateCa"]>();
  const pkiRoles = new Map<string, K["pkiRole"]>();
  if (estate.pki) {
    const root = estate.pki.root;
    const ca =
      root.source === "existing"
        ? factory.importRootCa(owners.pkiRoot(), { mountPath: root.mount, ttl: root.ttl })
        : factory.rootCa(owners.pkiRoot(), generatedRootProps(root));
    rootCa = ca;
    for (const int of estate.pki.intermediates) {
      const intermediate = factory.intermediateCa(owners.pkiIntermediate(int.mount), intermediateProps(int), ca);
      intermediates.set(int.mount, intermediate);
      for (const r of int.roles) {
        const { name, ...rest } = r;
        pkiRoles.set(name, factory.pkiRole(intermediate, `role-${name}`, { ...rest, roleName: name }));
      }
    }
  }

  const kv = new Map(estate.kv.map((k) => [k.mount, factory.kv(owners.kv(k.mount), { ...k, mountPath: k.mount })] as const));
  const transit = new Map(
    estate.transit.map((t) => [t.mount, factory.transit(owners.transit(t.mount), { mountPath: t.mount, keys: t.keys })] as const),
  );
  const database = new Map(estate.database.map((d) => [d.mount, factory.database(owners.database(d.mount), databaseProps(d))] as const));
  const ssh = new Map(estate.ssh.map((s) => [s.mount, factory.ssh(owners.ssh(s.mount), sshProps(s))] as const));

  const auth = estate.auth;
  const appRole = auth.appRole ? factory.appRole(owners.auth("approle"), auth.appRole) : undefined;
  if (auth.kubernetes) factory.kubernetes(owners.auth("kubernetes"), auth.kubernetes);
  if (auth.ldap) factory.ldap(owners.auth("ldap"), ldapProps(auth.ldap));
  if (auth.jwt) factory.jwt(owners.auth("jwt"), jwtProps(auth.jwt));
  if (auth.cert) factory.cert(owners.auth("cert"), auth.cert);

  const policies = new Map(
    estate.policies.map((p) => [p.name, factory.policy(owners.policy(p.name), { policyName: p.name, rules: p.rules })] as const),
  );
  for (const p of estate.sentinelPolicies) factory.sentinel(owners.sentinel(p.name), { ...p, policyName: p.name });
  // Quotas and audit devices live in the root namespace; a quota waits for the namespace the estate creates.
  factory.setNamespace(undefined);
  for (const q of estate.rateLimitQuotas) factory.rateLimitQuota(owners.rateLimit(q.name), { ...q, quotaName: q.name }, estateNamespace);
  for (const q of estate.leaseCountQuotas) factory.leaseCountQuota(owners.leaseCount(q.name), { ...q, quotaName: q.name }, estateNamespace);
  for (const a of estate.audit) {
    if (a.type === "file") factory.fileAudit(owners.audit(a.path), a);
    else factory.socketAudit(owners.audit(a.path), a);
  }
  return { rootCa, intermediates, pkiRoles, kv, transit, database, ssh, appRole, policies, namespaces, estateNamespace };
}
