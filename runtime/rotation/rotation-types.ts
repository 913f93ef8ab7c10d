/**
 * What a RotationScheduler rotates, when, and what it reports. Targets name secrets by mount and
 * path / key / role / connection / managed certificate name; records and events name versions,
 * never a value, so they can go to any log.
 */
import type { SecretData } from "../engines/kv2";

/** A KV v2 secret: each rotation writes a new version made by the caller's generator. */
export interface KvRotationTarget {
  readonly kind: "kv";
  /** KV v2 mount. @default "secret" */
  readonly mount?: string;
  /** Secret path inside the mount. */
  readonly path: string;
  /**
   * Makes the next value from the current one (`undefined` when the secret does not exist yet).
   * Called once per rotation — a retry writes the same value — and its result is never logged.
   */
  readonly generate: (current: SecretData | undefined) => SecretData | Promise<SecretData>;
  /**
   * What happens to the replaced version once the grace period is over: `keep` leaves it readable
   * (a rollback target), `delete` soft-deletes it (still undeletable, but readers of that version
   * stop getting it). @default "keep"
   */
  readonly afterGrace?: "keep" | "delete";
}

/** A transit key: each rotation adds a key version; old versions keep decrypting. */
export interface TransitKeyRotationTarget {
  readonly kind: "transit-key";
  /** Transit mount. @default "transit" */
  readonly mount?: string;
  /** Key name. */
  readonly key: string;
  /**
   * What happens once the grace period is over: `keep` leaves older versions decrypting; `retire`
   * raises `min_decryption_version` to the new version, so ciphertexts of older versions stop
   * decrypting (rewrap them during the grace period). @default "keep"
   */
  readonly afterGrace?: "keep" | "retire";
}

/**
 * A database static role: `rotate-role` changes the password of its one database user at once.
 * Sessions the application already opened stay logged in (PostgreSQL, MariaDB and Cassandra do not
 * end sessions on a password change); new logins need the new password, which the `rotated` event
 * and the target's `onRotated` hand over.
 */
export interface StaticRoleRotationTarget {
  readonly kind: "database-static-role";
  /** Database mount. @default "database" */
  readonly mount?: string;
  /** Static role name. */
  readonly role: string;
}

/** The password OpenBao itself logs in to a database connection with (`rotate-root`). */
export interface RootCredentialRotationTarget {
  readonly kind: "database-root";
  /** Database mount. @default "database" */
  readonly mount?: string;
  /** Connection name. */
  readonly connection: string;
}

/** A certificate the scheduler's CertificateManager manages: rotation issues a new one (`renewNow`). */
export interface CertificateRotationTarget {
  readonly kind: "certificate";
  /** Name the certificate is managed under. */
  readonly name: string;
}

/** Anything the scheduler can rotate. */
export type RotationTarget =
  KvRotationTarget | TransitKeyRotationTarget | StaticRoleRotationTarget | RootCredentialRotationTarget | CertificateRotationTarget;

/** Kinds of {@link RotationTarget}. */
export type RotationTargetKind = RotationTarget["kind"];

/**
 * When a target rotates automatically. Both may be given; the earlier deadline wins. Neither: only
 * on demand ({@link RotationScheduler.rotateNow}).
 */
export interface RotationPolicy {
  /** Rotate this long after the previous rotation (or after registration, for the first), in ms. */
  readonly intervalMs?: number;
  /**
   * Rotate once the current version is this old, in ms, by the server's own timestamp: the KV
   * version's `created_time`, the transit key version's creation time, the static role's
   * `last_vault_rotation`, the certificate's `notBefore`. Not available for root credentials
   * (OpenBao does not say when they were rotated).
   */
  readonly maxAgeMs?: number;
  /** How long old and new both work before the target's `afterGrace` step runs, in ms. @default 0 */
  readonly gracePeriodMs?: number;
  /** Emit `upcoming` this long before a scheduled rotation, in ms. @default 0 (no notice) */
  readonly noticeMs?: number;
}

/** What started a rotation. */
export type RotationTrigger = "interval" | "max-age" | "on-demand" | "rollback";

/** One rotation of one target as the audit trail keeps it: what, when, which version, by whom — never a value. */
export interface RotationAuditRecord {
  /** Id the target was registered under. */
  readonly id: string;
  /** Kind of target. */
  readonly kind: RotationTargetKind;
  /** `mount/path`, `mount/key`, `mount/role`, `mount/connection` or the certificate name. */
  readonly resource: string;
  /** What started it. */
  readonly trigger: RotationTrigger;
  /** When it finished (by the scheduler's clock). */
  readonly at: Date;
  /** Whether it succeeded; a failed record follows the last attempt. */
  readonly outcome: "success" | "failure";
  /**
   * Version before and after: the KV version number, the transit key version, the static role's
   * last rotation time (ISO), the certificate serial; `undefined` where the server keeps none
   * (root credentials) or the rotation failed.
   */
  readonly fromVersion: string | undefined;
  readonly toVersion: string | undefined;
  /** A rollback: the version whose data was written back as `toVersion`. */
  readonly restoredVersion?: string;
  /** Attempts made (retries included). */
  readonly attempts: number;
  /** Who asked: the caller-given actor of an on-demand rotation or rollback, else `scheduler`. */
  readonly actor: string;
  /** Accessor of the token the request was made with (`undefined` when lookup-self is refused) — never the token. */
  readonly tokenAccessor: string | undefined;
  /** Error class and message of a failure (messages name paths and request ids, never values). */
  readonly error?: string;
}

/** Receives every audit record; one that throws does not stop rotations. */
export type RotationAuditSink = (record: RotationAuditRecord) => void;

/** A rotation is about to happen (`noticeMs` before a scheduled one). */
export interface RotationUpcomingEvent {
  readonly id: string;
  readonly kind: RotationTargetKind;
  /** When it is due. */
  readonly dueAt: Date;
  readonly trigger: RotationTrigger;
}

/** A rotation starts now (after the `beforeRotate` hooks ran). */
export interface RotationStartingEvent {
  readonly id: string;
  readonly kind: RotationTargetKind;
  readonly trigger: RotationTrigger;
  /** The version being replaced. */
  readonly fromVersion: string | undefined;
}

/** A rotation succeeded. */
export interface RotationSucceededEvent {
  readonly id: string;
  readonly kind: RotationTargetKind;
  /** What was rotated, as in {@link RotationAuditRecord.resource} (templates re-render on it). */
  readonly resource: string;
  readonly trigger: RotationTrigger;
  readonly fromVersion: string | undefined;
  readonly toVersion: string | undefined;
  /** Until when the replaced version is guaranteed to keep working (the grace period's end). */
  readonly graceUntil: Date;
}

/** One attempt failed; another follows after `retryInMs`. */
export interface RotationRetryEvent {
  readonly id: string;
  readonly attempt: number;
  readonly retryInMs: number;
  readonly error: Error;
}

/** Every attempt failed; the target keeps its current version and is tried again at `nextAttemptAt`. */
export interface RotationFailedEvent {
  readonly id: string;
  readonly kind: RotationTargetKind;
  readonly trigger: RotationTrigger;
  readonly attempts: number;
  readonly error: Error;
  /** When the scheduler tries again on its own (`undefined` for a target without a policy). */
  readonly nextAttemptAt: Date | undefined;
}

/** The grace period of a rotation ended and the target's `afterGrace` step ran (or failed). */
export interface RotationGraceEndedEvent {
  readonly id: string;
  /** The version that stopped being guaranteed. */
  readonly retiredVersion: string | undefined;
  /** What was done: `kept`, `deleted` (KV), `retired` (transit), or `failed`. */
  readonly action: "kept" | "deleted" | "retired" | "failed";
  readonly error?: Error;
}

/** Events of a RotationScheduler, for Node's typed `EventEmitter`. */
export interface RotationSchedulerEvents {
  upcoming: [RotationUpcomingEvent];
  starting: [RotationStartingEvent];
  rotated: [RotationSucceededEvent];
  retry: [RotationRetryEvent];
  failed: [RotationFailedEvent];
  "grace-ended": [RotationGraceEndedEvent];
}

/** Where a target stands. */
export interface RotationStatus {
  readonly id: string;
  readonly kind: RotationTargetKind;
  /** The current version as last seen (see {@link RotationAuditRecord.fromVersion}). */
  readonly version: string | undefined;
  /** When the current version was made, by the server's timestamp, when known. */
  readonly versionCreatedAt: Date | undefined;
  /** Last successful rotation by this scheduler. */
  readonly lastRotatedAt: Date | undefined;
  /** Next automatic rotation, or `undefined` when only on demand. */
  readonly nextDueAt: Date | undefined;
  /** Failed rotations since the last success. */
  readonly consecutiveFailures: number;
}
