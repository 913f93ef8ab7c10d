export * from "./lease-events";
export * from "./lease-manager";
export * from "./lease-metrics";
export * from "./storm-guard";
