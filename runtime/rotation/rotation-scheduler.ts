/**
 * RotationScheduler: rotates KV secrets, transit keys, database static roles and root credentials,
 * and certificates — on a policy (interval, maximum age of the current version) and on demand —
 * with a notice before a scheduled rotation, `beforeRotate` / `onRotated` hooks, retries with
 * backoff, a grace period in which the replaced version keeps working, rollback of KV secrets to a
 * previous version, and an audit record of every rotation and rollback (what, when, which
 * version, by whom — never a value).
 *
 * One rotation per target at a time: an on-demand rotation while one runs joins it. A scheduled
 * rotation whose attempts all fail keeps the current version and is tried again after
 * `failureRetryMs`; the failure is an event and an audit record, never an unhandled rejection.
 * Time and randomness are injectable, so tests can drive the schedule without waiting.
 */
import { EventEmitter } from "node:events";
import { TokenAccessorSource } from "../certs/cert-audit";
import type { CertificateManager } from "../certs/certificate-manager";
import type { VaultClient } from "../client/vault-client";
import { BackoffOptions, backoffDelay } from "../core/backoff";
import { CancelTimer, Clock, systemClock } from "../core/clock";
import {
  RotationError,
  RotationFailedError,
  RotationInputError,
  RotationRollbackError,
  RotationSchedulerStoppedError,
  RotationUnknownTargetError,
  describe,
} from "./rotation-errors";
import type {
  RotationAuditRecord,
  RotationAuditSink,
  RotationPolicy,
  RotationSchedulerEvents,
  RotationStatus,
  RotationSucceededEvent,
  RotationTarget,
  RotationTrigger,
} from "./rotation-types";
import { Prepared, Rotator, VersionInfo, rotatorFor } from "./rotators";

/** Options of {@link RotationScheduler}. */
export interface RotationSchedulerOptions {
  /** The client every rotation is made with (its token is the one audited). */
  readonly client: VaultClient;
  /** Needed for `certificate` targets: they are renewed through it, so its sinks and hooks see the new certificate. */
  readonly certificates?: CertificateManager;
  /** Attempts per rotation, retries included. @default 3 */
  readonly attempts?: number;
  /** Backoff between attempts. @default 500 ms doubling to 10 s */
  readonly backoff?: BackoffOptions;
  /** After a scheduled rotation failed every attempt, try again this much later, in ms. @default 60000 */
  readonly failureRetryMs?: number;
  /** Receives every audit record as it is made. @default none (the trail is still kept in memory) */
  readonly audit?: RotationAuditSink;
  /** Records kept in memory for {@link RotationScheduler.auditTrail}; the oldest go first. @default 1000 */
  readonly auditCapacity?: number;
  /** Time source. @default the system clock */
  readonly clock?: Clock;
  /** Random source in [0, 1) for backoff jitter. @default Math.random */
  readonly random?: () => number;
}

/** One target to keep rotated. */
export interface RotationRegistration {
  /** Unique id; names the target in events, records and errors. */
  readonly id: string;
  /** What to rotate. */
  readonly target: RotationTarget;
  /** When. @default on demand only */
  readonly policy?: RotationPolicy;
  /**
   * Awaited before each rotation (the pre-rotation notification an application acts on, e.g. to
   * drain work). If it throws, that rotation is not made and is recorded as failed.
   */
  readonly beforeRotate?: (event: { readonly id: string; readonly trigger: RotationTrigger }) => void | Promise<void>;
  /** Awaited after each successful rotation (reload, re-read credentials); an error here does not undo the rotation. */
  readonly onRotated?: (event: RotationSucceededEvent) => void | Promise<void>;
}

/** Options of an on-demand rotation or a rollback. */
export interface RotationRequestOptions {
  /** Who asked, for the audit trail (an operator, a ticket). @default "on-demand" / "rollback" callers: "api" */
  readonly actor?: string;
}

/** Options of {@link RotationScheduler.rollback}. */
export interface RollbackOptions extends RotationRequestOptions {
  /** KV version to restore. @default the newest readable version below the current one */
  readonly toVersion?: number;
}

interface Entry {
  readonly registration: RotationRegistration;
  readonly rotator: Rotator;
  readonly addedAt: number;
  current: VersionInfo;
  lastRotatedAt: number | undefined;
  nextDue: { at: number; trigger: RotationTrigger } | undefined;
  failures: number;
  retryNotBefore: number;
  inFlight: Promise<RotationSucceededEvent> | undefined;
  timers: CancelTimer[];
  graceTimers: Set<CancelTimer>;
}

const DEFAULT_BACKOFF: BackoffOptions = { minMs: 500, maxMs: 10_000 };

/** Keeps targets rotated; see the module doc. Call {@link RotationScheduler.stop} when done. */
export class RotationScheduler extends EventEmitter<RotationSchedulerEvents> {
  private readonly client: VaultClient;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly attempts: number;
  private readonly backoff: BackoffOptions;
  private readonly failureRetryMs: number;
  private readonly auditCapacity: number;
  private readonly accessor: TokenAccessorSource;
  private readonly entries = new Map<string, Entry>();
  private readonly trail: RotationAuditRecord[] = [];
  private readonly sleeping = new Set<() => void>();
  private stopped = false;

  /** A scheduler rotating through `options.client`. */
  constructor(private readonly options: RotationSchedulerOptions) {
    super();
    this.client = options.client;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.attempts = positiveInteger(options.attempts ?? 3, "attempts");
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    backoffDelay(0, this.backoff, () => 0); // validates the bounds now, not at the first failure
    this.failureRetryMs = positiveNumber(options.failureRetryMs ?? 60_000, "failureRetryMs");
    this.auditCapacity = positiveInteger(options.auditCapacity ?? 1000, "auditCapacity");
    this.accessor = new TokenAccessorSource(options.client);
  }

  /**
   * Register a target: checks its fields and that it exists on the server (unknown transit key,
   * static role, connection or certificate → `RotationTargetNotFoundError`), reads its current
   * version and plans its first automatic rotation. Nothing is rotated or written here.
   */
  async add(registration: RotationRegistration): Promise<RotationStatus> {
    if (this.stopped) throw new RotationSchedulerStoppedError(registration.id);
    checkRegistration(registration, this.options.certificates !== undefined);
    if (this.entries.has(registration.id))
      throw new RotationInputError(registration.id, "id", "a target with this id is already registered");
    const rotator = rotatorFor(registration.id, registration.target, this.client, this.options.certificates);
    await rotator.check();
    const current = await rotator.inspect();
    // Checked again: another add with the same id may have finished while this one waited.
    if (this.entries.has(registration.id))
      throw new RotationInputError(registration.id, "id", "a target with this id is already registered");
    const entry: Entry = {
      registration,
      rotator,
      addedAt: this.clock.now(),
      current,
      lastRotatedAt: undefined,
      nextDue: undefined,
      failures: 0,
      retryNotBefore: 0,
      inFlight: undefined,
      timers: [],
      graceTimers: new Set(),
    };
    this.entries.set(registration.id, entry);
    this.plan(entry);
    return this.statusOf(entry);
  }

  /** Stop rotating `id` (its pending grace steps are dropped). */
  remove(id: string): void {
    const entry = this.entry(id);
    this.cancel(entry, true);
    this.entries.delete(id);
  }

  /** Rotate `id` now, whatever its policy; joins a rotation already running. Rejects with `RotationFailedError` after the last attempt. */
  rotateNow(id: string, options: RotationRequestOptions = {}): Promise<RotationSucceededEvent> {
    return this.run(this.entry(id), "on-demand", options.actor ?? "api");
  }

  /**
   * Restore a KV target's earlier version by writing its data as a new version (check-and-set on
   * the current one, so a concurrent write is not overwritten). Rejects with
   * `RotationRollbackError`, writing nothing, when the target is not KV or the version is gone.
   */
  async rollback(id: string, options: RollbackOptions = {}): Promise<RotationSucceededEvent> {
    const entry = this.entry(id);
    const target = entry.registration.target;
    if (target.kind !== "kv") throw new RotationRollbackError(id, options.toVersion, `a ${target.kind} target has no versions to restore`);
    if (options.toVersion !== undefined && (!Number.isInteger(options.toVersion) || options.toVersion < 1))
      throw new RotationRollbackError(id, options.toVersion, "the version must be a positive integer");
    while (entry.inFlight) await entry.inFlight.catch(() => undefined);
    const task = this.rollbackNow(entry, target.mount ?? "secret", target.path, options);
    entry.inFlight = task;
    try {
      return await task;
    } finally {
      if (entry.inFlight === task) entry.inFlight = undefined;
    }
  }

  /** Where `id` stands. */
  status(id: string): RotationStatus {
    return this.statusOf(this.entry(id));
  }

  /** Every audit record kept (up to `auditCapacity`), oldest first. */
  auditTrail(): readonly RotationAuditRecord[] {
    return [...this.trail];
  }

  /** Stop every timer; a rotation in progress ends after its current attempt. Grace steps still pending are not run. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.entries.values()) this.cancel(entry, true);
    for (const wake of [...this.sleeping]) wake();
    await Promise.all([...this.entries.values()].map((e) => e.inFlight?.catch(() => undefined)));
  }

  // ---------------------------------------------------------------- rotation

  private run(entry: Entry, trigger: RotationTrigger, actor: string): Promise<RotationSucceededEvent> {
    if (this.stopped) return Promise.reject(new RotationSchedulerStoppedError(entry.registration.id));
    if (entry.inFlight) return entry.inFlight;
    const task = this.rotate(entry, trigger, actor).finally(() => {
      if (entry.inFlight === task) entry.inFlight = undefined;
    });
    entry.inFlight = task;
    return task;
  }

  private async rotate(entry: Entry, trigger: RotationTrigger, actor: string): Promise<RotationSucceededEvent> {
    const { id, target, beforeRotate } = entry.registration;
    this.cancel(entry, false);
    let attempts = 0;
    let prepared: Prepared | undefined;
    let lastError: unknown;
    try {
      this.emit("starting", { id, kind: target.kind, trigger, fromVersion: entry.current.version });
      await beforeRotate?.({ id, trigger });
      while (attempts < this.attempts) {
        if (this.stopped) throw new RotationSchedulerStoppedError(id);
        attempts += 1;
        try {
          prepared ??= await entry.rotator.prepare();
          const after = await entry.rotator.attempt(prepared);
          return await this.succeeded(entry, trigger, actor, prepared.before, after, attempts);
        } catch (error) {
          lastError = error;
          if (!retryable(error) || attempts >= this.attempts) break;
          const delay = backoffDelay(attempts - 1, this.backoff, this.random);
          this.emit("retry", { id, attempt: attempts, retryInMs: delay, error: asError(error) });
          await this.sleep(delay);
        }
      }
    } catch (error) {
      lastError = error;
    }
    throw await this.failed(entry, trigger, actor, prepared?.before ?? entry.current, attempts, lastError);
  }

  private async succeeded(
    entry: Entry,
    trigger: RotationTrigger,
    actor: string,
    before: VersionInfo,
    after: VersionInfo,
    attempts: number,
    restoredVersion?: number,
  ): Promise<RotationSucceededEvent> {
    const { id, target, policy, onRotated } = entry.registration;
    const now = this.clock.now();
    entry.current = after;
    entry.lastRotatedAt = now;
    entry.failures = 0;
    entry.retryNotBefore = 0;
    const grace = policy?.gracePeriodMs ?? 0;
    const event: RotationSucceededEvent = {
      id,
      kind: target.kind,
      resource: entry.rotator.resource,
      trigger,
      fromVersion: before.version,
      toVersion: after.version,
      graceUntil: new Date(now + grace),
    };
    await this.record(entry, trigger, actor, "success", before.version, after.version, attempts, undefined, restoredVersion);
    this.scheduleGrace(entry, before, after, grace);
    // Done as far as the target is concerned: a timer or caller reacting to the event starts afresh.
    entry.inFlight = undefined;
    this.plan(entry);
    this.emit("rotated", event);
    try {
      await onRotated?.(event);
    } catch {
      // The rotation stands; the hook's owner handles its own failure.
    }
    return event;
  }

  private async failed(
    entry: Entry,
    trigger: RotationTrigger,
    actor: string,
    before: VersionInfo,
    attempts: number,
    error: unknown,
  ): Promise<RotationError> {
    const { id, target } = entry.registration;
    if (error instanceof RotationSchedulerStoppedError) return error;
    entry.failures += 1;
    entry.retryNotBefore = this.clock.now() + this.failureRetryMs;
    await this.record(entry, trigger, actor, "failure", before.version, undefined, attempts, describe(error));
    entry.inFlight = undefined;
    this.plan(entry);
    const failure = new RotationFailedError(id, attempts, error);
    this.emit("failed", {
      id,
      kind: target.kind,
      trigger,
      attempts,
      error: failure,
      nextAttemptAt: entry.nextDue ? new Date(entry.nextDue.at) : undefined,
    });
    return failure;
  }

  private async rollbackNow(entry: Entry, mount: string, path: string, options: RollbackOptions): Promise<RotationSucceededEvent> {
    const id = entry.registration.id;
    const kv = this.client.kv(mount);
    const meta = await kv.readMetadata(path);
    if (!meta) throw new RotationRollbackError(id, options.toVersion, `${mount}/${path} does not exist`);
    const readable = (v: number): boolean => {
      const m = meta.versions[String(v)];
      return m !== undefined && !m.destroyed && m.deletionTime === "";
    };
    let version = options.toVersion;
    if (version === undefined) {
      for (let v = meta.currentVersion - 1; v >= meta.oldestVersion && v >= 1; v--)
        if (readable(v)) {
          version = v;
          break;
        }
      if (version === undefined) throw new RotationRollbackError(id, undefined, "no readable version below the current one");
    }
    if (version >= meta.currentVersion)
      throw new RotationRollbackError(id, version, `it is not below the current version ${meta.currentVersion}`);
    if (!readable(version)) throw new RotationRollbackError(id, version, "that version is deleted, destroyed or no longer kept");
    const old = await kv.read(path, { version, cache: "bypass" });
    if (!old) throw new RotationRollbackError(id, version, "that version could not be read");
    const before: VersionInfo = {
      version: String(meta.currentVersion),
      createdAt: meta.versions[String(meta.currentVersion)] ? new Date(meta.versions[String(meta.currentVersion)].createdTime) : undefined,
    };
    const actor = options.actor ?? "api";
    let written;
    try {
      written = await kv.write(path, old.data, { cas: meta.currentVersion });
    } catch (error) {
      throw await this.failed(entry, "rollback", actor, before, 1, error);
    }
    const after: VersionInfo = { version: String(written.version), createdAt: new Date(written.createdTime) };
    return this.succeeded(entry, "rollback", actor, before, after, 1, version);
  }

  // ---------------------------------------------------------------- schedule

  /** Set the timers of the next automatic rotation (and its notice). */
  private plan(entry: Entry): void {
    this.cancel(entry, false);
    entry.nextDue = undefined;
    if (this.stopped) return;
    const policy = entry.registration.policy;
    const candidates: { at: number; trigger: RotationTrigger }[] = [];
    if (policy?.intervalMs !== undefined)
      candidates.push({ at: (entry.lastRotatedAt ?? entry.addedAt) + policy.intervalMs, trigger: "interval" });
    if (policy?.maxAgeMs !== undefined) {
      const created = entry.current.createdAt?.getTime();
      // No version yet (a KV secret not written): due now, so it exists.
      candidates.push({ at: created === undefined ? this.clock.now() : created + policy.maxAgeMs, trigger: "max-age" });
    }
    if (candidates.length === 0) return;
    const due = candidates.reduce((a, b) => (b.at < a.at ? b : a));
    const at = Math.max(due.at, entry.retryNotBefore);
    entry.nextDue = { at, trigger: due.trigger };
    const now = this.clock.now();
    const { id, target } = entry.registration;
    const notice = policy?.noticeMs ?? 0;
    if (notice > 0) {
      entry.timers.push(
        this.clock.schedule(
          () => this.emit("upcoming", { id, kind: target.kind, dueAt: new Date(at), trigger: due.trigger }),
          Math.max(0, at - notice - now),
        ),
      );
    }
    entry.timers.push(
      this.clock.schedule(
        () => {
          // A rotation still finishing (its events already out) would swallow this one: plan again once it has settled.
          if (entry.inFlight) void entry.inFlight.catch(() => undefined).then(() => setImmediate(() => this.plan(entry)));
          else this.run(entry, due.trigger, "scheduler").catch(() => undefined); // reported as `failed` and in the audit trail
        },
        Math.max(0, at - now),
      ),
    );
  }

  private scheduleGrace(entry: Entry, previous: VersionInfo, current: VersionInfo, graceMs: number): void {
    const target = entry.registration.target;
    const step = target.kind === "kv" || target.kind === "transit-key" ? (target.afterGrace ?? "keep") : "keep";
    if (graceMs <= 0 && step === "keep") return;
    const cancel = this.clock.schedule(() => {
      entry.graceTimers.delete(cancel);
      entry.rotator.afterGrace(previous, current).then(
        (action) => this.emit("grace-ended", { id: entry.registration.id, retiredVersion: previous.version, action }),
        (error: unknown) =>
          this.emit("grace-ended", {
            id: entry.registration.id,
            retiredVersion: previous.version,
            action: "failed",
            error: asError(error),
          }),
      );
    }, graceMs);
    entry.graceTimers.add(cancel);
  }

  private cancel(entry: Entry, withGrace: boolean): void {
    entry.timers.forEach((cancel) => cancel());
    entry.timers = [];
    if (withGrace) {
      entry.graceTimers.forEach((cancel) => cancel());
      entry.graceTimers.clear();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        cancel();
        this.sleeping.delete(wake);
        resolve();
      };
      const cancel = this.clock.schedule(wake, ms);
      this.sleeping.add(wake);
    });
  }

  // ---------------------------------------------------------------- audit and status

  private async record(
    entry: Entry,
    trigger: RotationTrigger,
    actor: string,
    outcome: "success" | "failure",
    fromVersion: string | undefined,
    toVersion: string | undefined,
    attempts: number,
    error?: string,
    restoredVersion?: number,
  ): Promise<void> {
    const record: RotationAuditRecord = {
      id: entry.registration.id,
      kind: entry.registration.target.kind,
      resource: entry.rotator.resource,
      trigger,
      at: new Date(this.clock.now()),
      outcome,
      fromVersion,
      toVersion,
      ...(restoredVersion === undefined ? {} : { restoredVersion: String(restoredVersion) }),
      attempts,
      actor,
      tokenAccessor: await this.accessor.accessor(),
      ...(error === undefined ? {} : { error }),
    };
    this.trail.push(record);
    if (this.trail.length > this.auditCapacity) this.trail.splice(0, this.trail.length - this.auditCapacity);
    try {
      this.options.audit?.(record);
    } catch {
      // An audit sink that throws does not stop rotations (documented on RotationAuditSink).
    }
  }

  private statusOf(entry: Entry): RotationStatus {
    return {
      id: entry.registration.id,
      kind: entry.registration.target.kind,
      version: entry.current.version,
      versionCreatedAt: entry.current.createdAt,
      lastRotatedAt: entry.lastRotatedAt === undefined ? undefined : new Date(entry.lastRotatedAt),
      nextDueAt: entry.nextDue ? new Date(entry.nextDue.at) : undefined,
      consecutiveFailures: entry.failures,
    };
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new RotationUnknownTargetError(id);
    return entry;
  }
}

/** Input errors and refusals of a missing target do not get better by retrying. */
function retryable(error: unknown): boolean {
  if (error instanceof RotationError || error instanceof TypeError) return false;
  const status = (error as { status?: unknown }).status;
  return !(typeof status === "number" && status >= 400 && status < 500 && status !== 429 && status !== 412);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`RotationScheduler: ${field} must be a positive integer, got ${value}`);
  return value;
}

function positiveNumber(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`RotationScheduler: ${field} must be a positive number, got ${value}`);
  return value;
}

function nonEmpty(id: string, field: string, value: unknown): void {
  if (typeof value !== "string" || value.replace(/^\/+|\/+$/g, "").length === 0)
    throw new RotationInputError(id, field, "must be a non-empty string");
  if (value.split("/").some((s) => s === "." || s === ".."))
    throw new RotationInputError(id, field, `must not contain "." or ".." segments`);
}

/** Every field of a registration checked before anything is asked of the server. */
function checkRegistration(registration: RotationRegistration, hasCertificates: boolean): void {
  const id = registration.id;
  if (typeof id !== "string" || id.length === 0) throw new RotationInputError(String(id), "id", "must be a non-empty string");
  const target = registration.target;
  switch (target?.kind) {
    case "kv":
      nonEmpty(id, "target.path", target.path);
      if (target.mount !== undefined) nonEmpty(id, "target.mount", target.mount);
      if (typeof target.generate !== "function") throw new RotationInputError(id, "target.generate", "must be a function");
      if (target.afterGrace !== undefined && target.afterGrace !== "keep" && target.afterGrace !== "delete")
        throw new RotationInputError(id, "target.afterGrace", `must be "keep" or "delete", got "${String(target.afterGrace)}"`);
      break;
    case "transit-key":
      nonEmpty(id, "target.key", target.key);
      if (target.mount !== undefined) nonEmpty(id, "target.mount", target.mount);
      if (target.afterGrace !== undefined && target.afterGrace !== "keep" && target.afterGrace !== "retire")
        throw new RotationInputError(id, "target.afterGrace", `must be "keep" or "retire", got "${String(target.afterGrace)}"`);
      break;
    case "database-static-role":
      nonEmpty(id, "target.role", target.role);
      if (target.mount !== undefined) nonEmpty(id, "target.mount", target.mount);
      break;
    case "database-root":
      nonEmpty(id, "target.connection", target.connection);
      if (target.mount !== undefined) nonEmpty(id, "target.mount", target.mount);
      if (registration.policy?.maxAgeMs !== undefined)
        throw new RotationInputError(id, "policy.maxAgeMs", "OpenBao does not say when root credentials were rotated; use intervalMs");
      break;
    case "certificate":
      nonEmpty(id, "target.name", target.name);
      if (!hasCertificates) throw new RotationInputError(id, "target", "certificate targets need the scheduler's `certificates` option");
      break;
    default:
      throw new RotationInputError(id, "target.kind", `unknown kind "${String((target as { kind?: unknown } | undefined)?.kind)}"`);
  }
  const policy = registration.policy ?? {};
  for (const field of ["intervalMs", "maxAgeMs"] as const) {
    const value = policy[field];
    if (value !== undefined && (!Number.isFinite(value) || value <= 0))
      throw new RotationInputError(id, `policy.${field}`, `must be a positive number of ms, got ${value}`);
  }
  for (const field of ["gracePeriodMs", "noticeMs"] as const) {
    const value = policy[field];
    if (value !== undefined && (!Number.isFinite(value) || value < 0))
      throw new RotationInputError(id, `policy.${field}`, `must be zero or a positive number of ms, got ${value}`);
  }
}
