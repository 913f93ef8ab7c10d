/**
 * `vaultsmith/cdktf`: CDKTF constructs over @cdktf/provider-vault, thin adapters over the resource
 * graph — one construct per resource kind, its props, the interfaces shared by created and
 * imported objects, and `renderGraph` for a compiled estate. Scope plumbing and the descriptor
 * renderer are internal (module paths).
 */
export { VaultStack, VAULT_PROVIDER_CONSTRAINT } from "./vault-stack";
export type { VaultStackProps } from "./vault-stack";
export { VaultTarget } from "./base";
export type { IPolicyGrantee, IAclPolicy } from "./base";
export { renderGraph } from "./graph-renderer";
export { AclPolicy } from "./acl-policy";
export type { AclPolicyProps } from "./acl-policy";
export type { ICertificateIssuer } from "./certificate-issuer";
export { RootCa } from "./root-ca";
export type { IRootCa } from "./root-ca";
export { IntermediateCa } from "./intermediate-ca";
export type { IIntermediateCa, IntermediateCaAttributes, IntermediateCaProps } from "./intermediate-ca";
export { PkiRole } from "./pki-role";
export type { IPkiRole, PkiRoleAttributes, PkiRoleProps } from "./pki-role";
export { PkiHierarchy } from "./pki-hierarchy";
export type {
  CaCommonProps,
  CaKeyType,
  CrlOptions,
  RootCaProps,
  RootCaAttributes,
  IntermediateCaOptions,
  PkiRoleTemplate,
  PkiRoleOptions,
  PkiIntermediateOptions,
  PkiHierarchyProps,
} from "../../model/kinds/pki";
export { KvV2Store, KvV2StoreBase } from "./kv-v2-store";
export type { IKvV2Store, KvV2StoreProps } from "./kv-v2-store";
export { TransitEngine } from "./transit-engine";
export type { ITransitEngine, TransitEngineAttributes, TransitEngineProps, TransitKeyOptions, TransitKeyType } from "./transit-engine";
export { DatabaseSecrets } from "./database-secrets";
export type {
  DatabaseConnectionOptions,
  DatabasePlugin,
  DatabaseRoleOptions,
  DatabaseSecretsAttributes,
  DatabaseSecretsProps,
  IDatabaseSecrets,
} from "./database-secrets";
export { SshSecrets } from "./ssh-secrets";
export type { ISshSecrets, SshRoleOptions, SshSecretsAttributes, SshSecretsProps } from "./ssh-secrets";
export type {
  AuthMethodType,
  AuthMountAttributes,
  AuthMountProps,
  AuthRoleTokenOptions,
  AuthTuneOptions,
  IAuthMount,
  PolicyRef,
} from "../../model/kinds/auth/auth-mount";
export { AppRoleAuth } from "./approle-auth";
export type { AppRoleAuthAttributes, AppRoleAuthProps, AppRoleRoleOptions, IAppRoleAuth } from "./approle-auth";
export { KubernetesAuth } from "./kubernetes-auth";
export type { IKubernetesAuth, KubernetesAuthProps, KubernetesRoleOptions } from "./kubernetes-auth";
export { LdapAuth } from "./ldap-auth";
export type { ILdapAuth, LdapAuthProps, LdapGroupOptions } from "./ldap-auth";
export { JwtOidcAuth } from "./jwt-oidc-auth";
export type { IJwtOidcAuth, JwtOidcAuthProps, JwtOidcRoleOptions } from "./jwt-oidc-auth";
export { CertAuth } from "./cert-auth";
export type { CertAuthProps, CertRoleOptions, ICertAuth } from "./cert-auth";
export { SentinelPolicy } from "./sentinel-policy";
export type { EnforcementLevel, ISentinelPolicy, SentinelPolicyProps } from "./sentinel-policy";
export { Namespace } from "./namespace";
export type { INamespace, NamespaceProps } from "./namespace";
export { RateLimitQuota, LeaseCountQuota } from "./quotas";
export type { LeaseCountQuotaProps, QuotaCommonProps, QuotaOrderProps, RateLimitQuotaProps } from "./quotas";
export { FileAuditDevice, SocketAuditDevice } from "./audit-device";
export type { AuditDeviceCommonProps, FileAuditDeviceProps, SocketAuditDeviceProps } from "./audit-device";
export type { PathRule, Capability, PolicyDocument } from "../../policies/policy-document";
export type { AllowOptions, PolicyDuration } from "../../policies/policy-builder";
export type { PolicyGrantee } from "../../model/grants";
export type { AttrRef, AttributeValue, LazyValue, SecretInput, StringValue, ResourceDescriptor } from "../../model/graph";
export type { Edition, TargetServer, GatedFeature } from "../../model/target";
export { EDITIONS } from "../../model/target";
export type { CertificateIssuer } from "../../model/kinds/pki";
export { TRANSIT_KEY_TYPES } from "../../model/kinds/transit";
export { SSH_CA_KEY_TYPES, SSH_RSA_SIGNERS } from "../../model/kinds/ssh";
export type { SshCaKeyType, SshRsaSigner } from "../../model/kinds/ssh";
