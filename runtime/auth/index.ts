/**
 * Authentication for the runtime: login methods behind one {@link AuthMethod} interface, the
 * {@link TokenManager} that keeps a token alive, and the break-glass path.
 */
export * from "./requester";
export * from "./auth-result";
export * from "./auth-errors";
export * from "./auth-method";
export * from "./clock";
export * from "./renewal-timing";
export * from "./token-events";
export * from "./break-glass";
export * from "./token-manager";
export * from "./methods/approle";
export * from "./methods/kubernetes";
export * from "./methods/ldap";
export * from "./methods/jwt";
export * from "./methods/cert";
export * from "./methods/token";
