/**
 * The events a LeaseManager emits, as a typed map for Node's `EventEmitter`. Payloads name
 * credentials by managed name, lease id and database user name — never a password.
 */

/** Why new credentials were obtained. */
export type CredentialsReason =
  /** The first credentials of a managed name. */
  | "initial"
  /** The current lease reached its max TTL (or is not renewable): replaced before it ends, with an overlap. */
  | "rotation"
  /** Vault no longer knows the lease (revoked, expired, its token revoked): the old credentials are dead. */
  | "lease-lost"
  /** The token that created the lease expired or was refused, and a new login replaced it: its leases died with it. */
  | "token-expired"
  /** The credentials expired before new ones could be obtained (an outage); these are the first after it. */
  | "after-expiry";

/** New credentials were obtained and handed to the consumer. */
export interface LeaseCreatedEvent {
  /** Managed name. */
  readonly name: string;
  /** Mount and role they came from. */
  readonly mount: string;
  readonly role: string;
  /** Their lease. */
  readonly leaseId: string;
  /** The database user. */
  readonly username: string;
  /** Lease TTL, in seconds. */
  readonly ttlSeconds: number;
  /** Whether the lease is renewable. */
  readonly renewable: boolean;
  /** Why they were obtained. */
  readonly reason: CredentialsReason;
}

/** A lease was renewed. */
export interface LeaseRenewedEvent {
  readonly name: string;
  readonly leaseId: string;
  /** TTL granted, in seconds. */
  readonly ttlSeconds: number;
  /** Less than asked for: the max TTL is near, the credentials will be rotated. */
  readonly truncated: boolean;
}

/** New credentials replaced the current ones, which stay valid for an overlap. */
export interface LeaseRotatedEvent {
  readonly name: string;
  /** The new lease and user. */
  readonly leaseId: string;
  readonly username: string;
  /** The replaced lease and user. */
  readonly previousLeaseId: string;
  readonly previousUsername: string;
  /** Until when the replaced credentials stay valid (their revocation or expiry). */
  readonly previousValidUntil: Date;
  /** What happens to the replaced lease then (`expire` also when it ends before the grace period would). */
  readonly previousAction: "revoke" | "expire";
}

/** The current credentials near their end and neither renewal nor replacement has succeeded: an alert. */
export interface LeaseExpiringEvent {
  readonly name: string;
  readonly leaseId: string;
  /** When they stop working. */
  readonly expiresAt: Date;
}

/** Credentials stopped being valid. */
export interface LeaseExpiredEvent {
  readonly name: string;
  readonly leaseId: string;
  /**
   * `ttl`: the current credentials ran out without a replacement (an outage; the manager keeps
   * trying). `replaced`: credentials already replaced ended after their overlap. `lease-lost` and
   * `token-expired`: Vault dropped the lease before its time.
   */
  readonly reason: "ttl" | "replaced" | "lease-lost" | "token-expired";
}

/** A lease was revoked by the manager. */
export interface LeaseRevokedEvent {
  readonly name: string;
  readonly leaseId: string;
  /** `rotation`: the overlap after a rotation ended; `stop`: on {@link LeaseManager.stop}; `release`: on {@link LeaseManager.release}. */
  readonly reason: "rotation" | "stop" | "release";
}

/** An operation failed; the manager retries it (the last valid credentials are kept meanwhile). */
export interface LeaseErrorEvent {
  readonly name: string;
  /** What failed: renewing the lease, obtaining new credentials, or revoking a lease. */
  readonly operation: "renew" | "create" | "revoke";
  /** The typed error (no password in it). */
  readonly error: Error;
  /** Consecutive failures of this credential so far (1 for the first). */
  readonly attempt: number;
  /** Delay before the next attempt, in ms (undefined when none is planned, e.g. a failed revoke). */
  readonly retryInMs: number | undefined;
  /** Whether the credentials served now are still valid. */
  readonly currentValid: boolean;
}

/** Event name → listener arguments. */
export interface LeaseManagerEvents {
  created: [LeaseCreatedEvent];
  renewed: [LeaseRenewedEvent];
  rotated: [LeaseRotatedEvent];
  expiring: [LeaseExpiringEvent];
  expired: [LeaseExpiredEvent];
  revoked: [LeaseRevokedEvent];
  error: [LeaseErrorEvent];
}
