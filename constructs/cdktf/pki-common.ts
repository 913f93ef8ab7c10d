/** Props shared by the PKI constructs: engine-neutral, defined in `constructs/common`. */
export * from "../common/pki-common";
