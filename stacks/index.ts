/**
 * `vaultsmith/stacks`: reusable CDKTF stacks built from the vaultsmith constructs, and
 * `buildEstate` (an estate → constructs). The engine factory behind it is internal.
 */
export { buildEstate } from "./estate-constructs";
export type { CdktfEstateKinds, EstateConstructs } from "./estate-constructs";
export type { BuiltEstateOf, EstateKinds } from "./estate-builder";
export {
  CassandraCertManagerStack,
  cassandraEstate,
  cassandraManagerRules,
  cassandraOptionsFromSeed,
} from "./cassandra-cert-manager-stack";
export type { CassandraCertManagerStackProps, CassandraEstateOptions, CassandraSeedOptions } from "./cassandra-cert-manager-stack";
export { TenantStack, tenantListSchema, tenantSchema, tenantsFileSchema } from "./tenant-stack";
export type { TenantOptions, TenantResources, TenantStackProps } from "./tenant-stack";
