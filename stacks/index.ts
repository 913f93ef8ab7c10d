/** Reusable stacks built from the vaultsmith constructs. */
export * from "./estate-constructs";
export * from "./cassandra-cert-manager-stack";
export * from "./tenant-stack";
