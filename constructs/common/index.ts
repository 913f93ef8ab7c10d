/** Engine-neutral props, model inputs, checks and grant rules shared by `vaultsmith/cdktf` and `vaultsmith/pulumi`. */
export * from "./validation";
export * from "./pki-props";
export * from "./auth-props";
export * from "./secrets-props";
export * from "./governance-props";
