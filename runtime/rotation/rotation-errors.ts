/**
 * Typed errors of the RotationScheduler. Each names the target id and what was wrong; none
 * carries a secret value. Refusals from the server keep their own typed error as `cause`.
 */
import type { RotationTargetKind } from "./rotation-types";

/** Base class of the scheduler's errors. */
export class RotationError extends Error {
  /** Id the target is (or would have been) registered under. */
  public readonly targetId: string;

  /** @internal */
  constructor(targetId: string, message: string, options?: { cause?: unknown }) {
    super(`rotation target "${targetId}": ${message}`, options);
    this.name = new.target.name;
    this.targetId = targetId;
  }
}

/** A target or policy is malformed (empty name, negative interval, a field its kind does not have). Nothing was registered. */
export class RotationInputError extends RotationError {
  /** The field that was wrong. */
  public readonly field: string;

  /** @internal */
  constructor(targetId: string, field: string, detail: string) {
    super(targetId, `${field}: ${detail}`);
    this.field = field;
  }
}

/**
 * The thing to rotate does not exist on the server (unknown transit key, static role, connection,
 * or certificate name not managed). Raised when the target is added, before anything changes.
 */
export class RotationTargetNotFoundError extends RotationError {
  /** Kind of target. */
  public readonly kind: RotationTargetKind;
  /** The resource that was not found, e.g. `transit/no-such-key`. */
  public readonly resource: string;

  /** @internal */
  constructor(targetId: string, kind: RotationTargetKind, resource: string, cause?: unknown) {
    super(targetId, `${kind} ${resource} does not exist`, { cause });
    this.kind = kind;
    this.resource = resource;
  }
}

/** No target is registered under this id. */
export class RotationUnknownTargetError extends RotationError {
  /** @internal */
  constructor(targetId: string) {
    super(targetId, "no such target is registered");
  }
}

/** Every attempt of a rotation failed; the target keeps its current version. */
export class RotationFailedError extends RotationError {
  /** Attempts made. */
  public readonly attempts: number;

  /** @internal */
  constructor(targetId: string, attempts: number, cause: unknown) {
    super(targetId, `rotation failed after ${attempts} attempt(s): ${describe(cause)}`, { cause });
    this.attempts = attempts;
  }
}

/** A rollback cannot be done: not a KV target, or the version to restore is missing, deleted or destroyed. Nothing was written. */
export class RotationRollbackError extends RotationError {
  /** The version asked for (or the previous one), when there was one. */
  public readonly version: number | undefined;

  /** @internal */
  constructor(targetId: string, version: number | undefined, detail: string) {
    super(targetId, `cannot roll back${version === undefined ? "" : ` to version ${version}`}: ${detail}`);
    this.version = version;
  }
}

/** The scheduler was stopped. */
export class RotationSchedulerStoppedError extends RotationError {
  /** @internal */
  constructor(targetId: string) {
    super(targetId, "the scheduler is stopped");
  }
}

/** Class and message of an error, for records and messages (errors of this runtime carry no values). */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
