/**
 * Typed errors of the database secrets engine and of lease renewal/revocation. Refusals by
 * OpenBao keep `VaultHttpError` as their base (status and request id stay where callers look for
 * them) and say which role, connection or lease was refused; refusals made here, before any
 * request, are {@link DatabaseInputError}s. No message carries a password: they are built from
 * role and connection names, lease ids and Vault's own error strings, which never echo
 * credentials.
 *
 * How OpenBao 2.6.1 words these refusals (builtin/logical/database, vault/expiration.go):
 * - `creds/:role` and `static-creds/:role` of an unknown role: 400 `unknown role: <name>`.
 * - `rotate-role/:role` of an unknown static role: 400 `no static role found for role name`.
 * - a role the connection's `allowed_roles` does not list: 500 `"<name>" is not an allowed role`.
 * - `rotate-root/:connection` of an unknown connection: 500
 *   `failed to find entry for connection with name: "<name>"`.
 * - `sys/leases/renew`: 400 `lease not found` (revoked, or never existed), `lease expired`,
 *   `lease is not renewable`, `… past the max TTL, cannot renew`; a failure of the database itself
 *   during renewal is a 400 too (`failed to renew entry: …`), which is *not* a refusal of the lease.
 * - TTLs are whole seconds and the max TTL is counted from the issue time truncated to the second,
 *   so a renewal can be cut short up to a second earlier than the wall clock suggests.
 */
import { VaultHttpError, VaultInputError, VaultRefusalError, refusalText } from "../core/errors";

/** Bad input refused client-side before anything was sent (empty role, lease id or a bad increment). */
export class DatabaseInputError extends VaultInputError {}

/** The (dynamic or static) role does not exist on the mount. */
export class DatabaseRoleNotFoundError extends VaultRefusalError {
  /** The role asked for. */
  public readonly role: string;
  /** Whether a dynamic role (`creds/`) or a static role (`static-creds/`, `rotate-role/`) was asked for. */
  public readonly kind: "dynamic" | "static";

  /** @internal */
  constructor(source: VaultHttpError, role: string, kind: DatabaseRoleNotFoundError["kind"]) {
    super(source, `database ${kind} role "${role}" not found`);
    this.role = role;
    this.kind = kind;
  }
}

/** The role exists, but its connection's `allowed_roles` does not list it. */
export class DatabaseRoleNotAllowedError extends VaultRefusalError {
  /** The role asked for. */
  public readonly role: string;

  /** @internal */
  constructor(source: VaultHttpError, role: string) {
    super(source, `database role "${role}" is not in its connection's allowed_roles`);
    this.role = role;
  }
}

/** `rotate-root` named a connection the mount does not have. */
export class DatabaseConnectionNotFoundError extends VaultRefusalError {
  /** The connection asked for. */
  public readonly connection: string;

  /** @internal */
  constructor(source: VaultHttpError, connection: string) {
    super(source, `database connection "${connection}" not found`);
    this.connection = connection;
  }
}

/**
 * Vault will not renew the lease, and never will: it is gone (revoked, expired, or its token was
 * revoked) or not renewable. The credentials it carried are dead or about to be; new ones are needed.
 */
export class LeaseRefusedError extends VaultRefusalError {
  /** The lease concerned. */
  public readonly leaseId: string;
  /** `not-found`: revoked or never existed; `expired`; `not-renewable`. */
  public readonly reason: "not-found" | "expired" | "not-renewable";

  /** @internal */
  constructor(source: VaultHttpError, leaseId: string, reason: LeaseRefusedError["reason"]) {
    super(source, `lease ${leaseId} cannot be renewed (${reason})`);
    this.leaseId = leaseId;
    this.reason = reason;
  }
}

/** Turn OpenBao's refusals of `creds/`, `static-creds/` and `rotate-role/` into the typed errors above. */
export function classifyRoleError(error: unknown, role: string, kind: DatabaseRoleNotFoundError["kind"]): unknown {
  const text = refusalText(error);
  if (!(error instanceof VaultHttpError) || text === undefined) return error;
  if (error.status === 400 && /unknown role|no static role found/i.test(text)) return new DatabaseRoleNotFoundError(error, role, kind);
  if (/is not an allowed role/i.test(text)) return new DatabaseRoleNotAllowedError(error, role);
  return error;
}

/** Turn OpenBao's refusal of `rotate-root/` for an unknown connection into {@link DatabaseConnectionNotFoundError}. */
export function classifyConnectionError(error: unknown, connection: string): unknown {
  if (!(error instanceof VaultHttpError)) return error;
  if (/failed to find entry for connection/i.test(refusalText(error) ?? "")) return new DatabaseConnectionNotFoundError(error, connection);
  return error;
}

/** Turn OpenBao's final refusals of `sys/leases/renew` into {@link LeaseRefusedError}; anything else (a failing database, an outage) is returned as is. */
export function classifyLeaseError(error: unknown, leaseId: string): unknown {
  const text = refusalText(error, 400);
  if (!(error instanceof VaultHttpError) || text === undefined) return error;
  // Vault counts the max TTL from the issue time truncated to the second.
  if (/past the max TTL/i.test(text)) return new LeaseRefusedError(error, leaseId, "expired");
  if (/failed to renew entry/i.test(text)) return error;
  if (/lease not found|invalid lease/i.test(text)) return new LeaseRefusedError(error, leaseId, "not-found");
  if (/lease expired|lease is expired/i.test(text)) return new LeaseRefusedError(error, leaseId, "expired");
  if (/not renewable/i.test(text)) return new LeaseRefusedError(error, leaseId, "not-renewable");
  return error;
}
