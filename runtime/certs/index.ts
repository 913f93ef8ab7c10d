export * from "./cert-audit";
export * from "./cert-events";
export * from "./cert-metrics";
export * from "./cert-sinks";
export * from "./certificate-manager";
export * from "./pkcs12";
export * from "./renewal-schedule";
export * from "./secure-context";
