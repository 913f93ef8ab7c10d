/** `vaultsmith/cdktf`: CDKTF constructs over @cdktf/provider-vault, thin adapters over the resource graph. */
export * from "./base";
export * from "./graph-renderer";
export * from "./vault-stack";
export * from "./acl-policy";
export * from "./certificate-issuer";
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
export * from "./root-ca";
export * from "./intermediate-ca";
export * from "./pki-role";
export * from "./pki-hierarchy";
export * from "./kv-v2-store";
export * from "./transit-engine";
export * from "./database-secrets";
export * from "./ssh-secrets";
export type { AuthMountProps, AuthRoleTokenOptions, AuthTuneOptions } from "../../model/kinds/auth/auth-mount";
export * from "./approle-auth";
export * from "./kubernetes-auth";
export * from "./ldap-auth";
export * from "./jwt-oidc-auth";
export * from "./cert-auth";
export * from "./sentinel-policy";
export * from "./namespace";
export * from "./quotas";
export * from "./audit-device";
