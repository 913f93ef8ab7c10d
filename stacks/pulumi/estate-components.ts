/**
 * The Pulumi factory of the estate builder: one component per owner of the resource graph, each
 * named `<stack>-<owner>` and parented to the stack (namespaces to their parent namespace), so
 * the resources match the CDKTF stack built by `buildEstate`.
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
import { SshSecrets } from "../../constructs/pulumi/ssh-secrets";
import { TransitEngine } from "../../constructs/pulumi/transit-engine";
import { VaultStack } from "../../constructs/pulumi/vault-stack";
import { Estate } from "../../model/schema";

import { BuiltEstateOf, EstateFactory, buildEstateWith } from "../estate-builder";

/** The Pulumi component types of an estate. */
export interface PulumiEstateKinds {
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

/** The components an estate was built from, by kind (keys are mount paths / names). */
export type EstateComponents = BuiltEstateOf<PulumiEstateKinds>;

/** Creates each kind as a component named `<stack>-<owner>`, parented to `stack`. */
function pulumiFactory(stack: VaultStack): EstateFactory<PulumiEstateKinds> {
  const at = (owner: string): string => `${stack.componentName}-${owner}`;
  const child: pulumi.ComponentResourceOptions = { parent: stack };
  return {
    setNamespace: (path) => (path === undefined ? clearNamespaceScope(stack) : setNamespaceScope(stack, path)),
    estateNamespace: (owner, props) => {
      const namespace = new Namespace(at(owner), props, child);
      // Its siblings refer to it: make its resource visible from the whole stack, as CDKTF's is.
      const pathFq = namespace.pathFq as AttrRef;
      scopeResources(stack).set(pathFq.id, namespace.resource);
      return { namespace, pathFq };
    },
    namespace: (parent, props) => {
      const scope = parent ?? stack;
      return new Namespace(`${scope.componentName}-namespace-${props.path}`, props, { parent: scope });
    },
    rootCa: (owner, props) => new RootCa(at(owner), props, child),
    importRootCa: (owner, attrs) => RootCa.fromMountPath(at(owner), attrs),
    intermediateCa: (owner, props, root) => new IntermediateCa(at(owner), { ...props, root }, child),
    pkiRole: (ca, id, options) => ca.addRole(id, options),
    kv: (owner, props) => new KvV2Store(at(owner), props, child),
    transit: (owner, props) => new TransitEngine(at(owner), props, child),
    database: (owner, props) => new DatabaseSecrets(at(owner), props, child),
    ssh: (owner, props) => new SshSecrets(at(owner), props, child),
    appRole: (owner, props) => new AppRoleAuth(at(owner), props, child),
    kubernetes: (owner, props) => new KubernetesAuth(at(owner), props, child),
    ldap: (owner, props) => new LdapAuth(at(owner), props, child),
    jwt: (owner, props) => new JwtOidcAuth(at(owner), props, child),
    cert: (owner, props) => new CertAuth(at(owner), props, child),
    policy: (owner, props) => new AclPolicy(at(owner), props, child),
    sentinel: (owner, props) => new SentinelPolicy(at(owner), props, child),
    rateLimitQuota: (owner, props, after) => new RateLimitQuota(at(owner), { ...props, ...(after ? { dependsOn: [after] } : {}) }, child),
    leaseCountQuota: (owner, props, after) => new LeaseCountQuota(at(owner), { ...props, ...(after ? { dependsOn: [after] } : {}) }, child),
    fileAudit: (owner, props) => new FileAuditDevice(at(owner), props, child),
    socketAudit: (owner, props) => new SocketAuditDevice(at(owner), props, child),
  };
}

/** Instantiate every part of `estate` under `stack` (a VaultStack declaring the estate's target). */
export function buildEstate(stack: VaultStack, estate: Estate): EstateComponents {
  return buildEstateWith(pulumiFactory(stack), estate);
}
