/**
 * The CDKTF factory of the estate builder: one construct per owner of the resource graph (same
 * ids), so a stack built here synthesizes exactly what `renderGraph(compileEstate(estate))` does —
 * the parity tests hold the two together.
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
import { SshSecrets } from "../constructs/cdktf/ssh-secrets";
import { TransitEngine } from "../constructs/cdktf/transit-engine";
import { Estate } from "../model/schema";

import { BuiltEstateOf, EstateFactory, buildEstateWith } from "./estate-builder";

/** The CDKTF construct types of an estate. */
export interface CdktfEstateKinds {
  /** A namespace. */
  readonly namespace: Namespace;
  /** A created or imported root CA. */
  readonly rootCa: IRootCa;
  /** An intermediate CA. */
  readonly intermediateCa: IntermediateCa;
  /** A PKI role. */
  readonly pkiRole: PkiRole;
  /** A KV v2 store. */
  readonly kv: KvV2Store;
  /** A transit engine. */
  readonly transit: TransitEngine;
  /** A database secrets engine. */
  readonly database: DatabaseSecrets;
  /** An SSH secrets engine. */
  readonly ssh: SshSecrets;
  /** AppRole auth. */
  readonly appRole: AppRoleAuth;
  /** An ACL policy. */
  readonly policy: AclPolicy;
}

/** The constructs an estate was built from, by kind (keys are mount paths / names). */
export type EstateConstructs = BuiltEstateOf<CdktfEstateKinds>;

/** Creates each kind as a CDKTF construct under `scope`. */
function cdktfFactory(scope: Construct): EstateFactory<CdktfEstateKinds> {
  return {
    setNamespace: (path) => (path === undefined ? clearNamespaceScope(scope) : setNamespaceScope(scope, path)),
    estateNamespace: (owner, props) => {
      const namespace = new Namespace(scope, owner, props);
      return { namespace, pathFq: namespace.pathFq };
    },
    namespace: (parent, props) => new Namespace(parent ?? scope, `namespace-${props.path}`, props),
    rootCa: (owner, props) => new RootCa(scope, owner, props),
    importRootCa: (owner, attrs) => RootCa.fromMountPath(scope, owner, attrs),
    intermediateCa: (owner, props, root) => new IntermediateCa(scope, owner, { ...props, root }),
    pkiRole: (ca, id, options) => ca.addRole(id, options),
    kv: (owner, props) => new KvV2Store(scope, owner, props),
    transit: (owner, props) => new TransitEngine(scope, owner, props),
    database: (owner, props) => new DatabaseSecrets(scope, owner, props),
    ssh: (owner, props) => new SshSecrets(scope, owner, props),
    appRole: (owner, props) => new AppRoleAuth(scope, owner, props),
    kubernetes: (owner, props) => new KubernetesAuth(scope, owner, props),
    ldap: (owner, props) => new LdapAuth(scope, owner, props),
    jwt: (owner, props) => new JwtOidcAuth(scope, owner, props),
    cert: (owner, props) => new CertAuth(scope, owner, props),
    policy: (owner, props) => new AclPolicy(scope, owner, props),
    sentinel: (owner, props) => new SentinelPolicy(scope, owner, props),
    rateLimitQuota: (owner, props, after) => new RateLimitQuota(scope, owner, { ...props, ...(after ? { dependsOn: [after] } : {}) }),
    leaseCountQuota: (owner, props, after) => new LeaseCountQuota(scope, owner, { ...props, ...(after ? { dependsOn: [after] } : {}) }),
    fileAudit: (owner, props) => new FileAuditDevice(scope, owner, props),
    socketAudit: (owner, props) => new SocketAuditDevice(scope, owner, props),
  };
}

/** Instantiate every part of `estate` under `scope` (a VaultStack declaring the estate's target). */
export function buildEstate(scope: Construct, estate: Estate): EstateConstructs {
  return buildEstateWith(cdktfFactory(scope), estate);
}
