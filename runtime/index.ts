export * from "./client";
export * from "./errors";
export * from "./engines/kv2";
export * from "./engines/sys";
export * from "./transport/http-transport";
