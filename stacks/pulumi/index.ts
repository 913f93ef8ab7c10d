/** Reusable stacks built from the vaultsmith Pulumi components. */
export * from "./estate-components";
export * from "./cassandra-cert-manager-stack";
export * from "./tenant-stack";
export * from "../cassandra-estate";
export * from "../tenant-spec";
