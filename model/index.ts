/** `vaultsmith/model`: the engine-neutral estate model, its YAML loaders and the resource graph. */
export * from "./errors";
export * from "./duration";
export * from "./env";
export * from "./target";
export * from "./schema";
export * from "./rules";
export * from "./yaml-loader";
export * from "./seed-config";
export * from "./estate-loader";
export * from "./graph";
export * from "./graph-pki";
export * from "./graph-secrets";
export * from "./graph-auth";
export * from "./graph-governance";
export * from "./graph-estate";
