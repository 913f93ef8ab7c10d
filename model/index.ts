/**
 * `vaultsmith/model`: the engine-neutral estate model — the estate schema and its kinds' schemas
 * and canonical types, the YAML loaders, target servers, and the resource graph an estate compiles
 * to. Fragment functions, prop mappings and validation plumbing are internal (module paths).
 */
export { ModelValidationError, formatIssue } from "./errors";
export type { ModelIssue } from "./errors";
export { parseWholeDuration, formatWholeDuration } from "./duration";
export { resolveEnv } from "./env";
export type { EnvReference, EnvResolution } from "./env";
export { EDITIONS, targetSchema, describeTarget, supports } from "./target";
export type { Edition, GatedFeature, TargetServer } from "./target";
export { estateSchema } from "./schema";
export type { Estate, EstateInput } from "./schema";
export { parseEstate } from "./rules";
export type { ParseOptions, Locator } from "./validation";
export { parseYaml } from "./yaml-loader";
export type { ParsedYaml } from "./yaml-loader";
export { loadEstateYaml } from "./estate-loader";
export type { LoadEstateOptions } from "./estate-loader";
export { loadSeedConfig, seedConfigSchema, vaultIntegrationSchema } from "./seed-config";
export type { VaultIntegration, VaultIntegrationAuthentication } from "../runtime/config/vault-integration";
export type { LoadSeedOptions, LoadedSeedConfig } from "./seed-config";
export { compileEstate } from "./graph-estate";
export { AttrRef, SecretInput, LazyValue, ResourceGraph, toPlain } from "./graph";
export type { AttributeValue, ResourceDescriptor, StringValue } from "./graph";
export { secretInputSchema, policyName, resourceName } from "./fields";
export type { SecretInputSpec } from "./fields";
export { pkiSchema, rootCaSchema, intermediateCaSchema, pkiRoleSchema, ROLE_TEMPLATES, splitAltNames } from "./kinds/pki";
export type { PkiSpec, RootCaSpec, IntermediateCaSpec, PkiRoleSpec, SplitAltNames } from "./kinds/pki";
export { kvSchema } from "./kinds/kv-v2";
export type { KvSpec } from "./kinds/kv-v2";
export { transitSchema, transitKeySchema, TRANSIT_KEY_TYPES } from "./kinds/transit";
export type { TransitSpec, TransitKeySpec } from "./kinds/transit";
export { databaseSchema, databaseConnectionSchema, databaseRoleSchema, DATABASE_PLUGINS } from "./kinds/database";
export type { DatabaseSpec, DatabaseConnectionSpec, DatabaseRoleSpec } from "./kinds/database";
export { tuneSchema } from "./kinds/auth/auth-mount";
export type { TuneSpec } from "./kinds/auth/auth-mount";
export { appRoleAuthSchema } from "./kinds/auth/approle";
export type { AppRoleAuthSpec } from "./kinds/auth/approle";
export { kubernetesAuthSchema } from "./kinds/auth/kubernetes";
export type { KubernetesAuthSpec } from "./kinds/auth/kubernetes";
export { ldapAuthSchema } from "./kinds/auth/ldap";
export type { LdapAuthSpec } from "./kinds/auth/ldap";
export { jwtAuthSchema } from "./kinds/auth/jwt-oidc";
export type { JwtAuthSpec } from "./kinds/auth/jwt-oidc";
export { certAuthSchema } from "./kinds/auth/cert";
export type { CertAuthSpec } from "./kinds/auth/cert";
export { aclPolicySchema, pathRuleSchema } from "./kinds/acl-policy";
export type { AclPolicySpec } from "./kinds/acl-policy";
export { sentinelPolicySchema, ENFORCEMENT_LEVELS } from "./kinds/sentinel-policy";
export type { SentinelPolicySpec } from "./kinds/sentinel-policy";
export { namespaceSchema } from "./kinds/namespace";
export type { NamespaceSpec } from "./kinds/namespace";
export { rateLimitQuotaSchema, leaseCountQuotaSchema } from "./kinds/quotas";
export type { RateLimitQuotaSpec, LeaseCountQuotaSpec } from "./kinds/quotas";
export { auditDeviceSchema } from "./kinds/audit-device";
export type { AuditDeviceSpec } from "./kinds/audit-device";
