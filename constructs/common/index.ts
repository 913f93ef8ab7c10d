/** Engine-neutral props, model inputs, checks and grant rules shared by `vaultsmith/cdktf` and `vaultsmith/pulumi`. */
export * from "./validation";
export * from "./pki-common";
export * from "./auth-common";
export * from "./secrets-common";
export * from "./governance-common";
