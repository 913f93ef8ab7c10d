/**
 * `vaultsmith/stacks/pulumi`: the reusable stacks and `buildEstate` over the vaultsmith Pulumi
 * components (same estates, same resources as `vaultsmith/stacks`).
 */
export { buildEstate } from "./estate-components";
export type { EstateComponents, PulumiEstateKinds } from "./estate-components";
export type { BuiltEstateOf, EstateKinds } from "../estate-builder";
export { CassandraCertManagerStack } from "./cassandra-cert-manager-stack";
export type { CassandraCertManagerStackProps } from "./cassandra-cert-manager-stack";
export { TenantStack } from "./tenant-stack";
export type { TenantResources, TenantStackProps } from "./tenant-stack";
export { cassandraEstate, cassandraManagerRules, cassandraOptionsFromSeed } from "../cassandra-estate";
export type { CassandraEstateOptions, CassandraSeedOptions } from "../cassandra-estate";
export { tenantListSchema, tenantSchema, tenantsFileSchema } from "../tenant-spec";
export type { TenantOptions } from "../tenant-spec";
