/**
 * LeaseManager: keeps dynamic database credentials alive for the application that uses them.
 *
 * For each managed credential it
 * - renews the lease at a uniformly random point of a band of its TTL (50–80 % by default, the
 *   TokenManager's {@link RenewalTiming}), so a fleet started together spreads its renewals;
 * - retries a failed renewal with the shared exponential backoff, each retry sized to fit before
 *   the lease ends, and keeps serving the credentials in hand while they are valid;
 * - when a renewal comes back shorter than asked for (the role's `max_ttl` cut it), or the lease
 *   is not renewable, obtains new credentials *before* the old ones end and hands both to the
 *   consumer: the old ones stay valid for an overlap (the grace period), then are revoked or left
 *   to expire, as configured;
 * - when Vault has lost the lease (revoked, expired) obtains new credentials at once;
 * - follows the token its leases hang on (a TokenManager's events): Vault revokes a
 *   token's leases when the token ends, so when a token expired or was refused the credentials are
 *   re-created after the next login, and when a login replaced a token that is left to expire the
 *   leases it created are rotated before that token's end (in the time the TokenManager's re-login
 *   left the old token: 20–50 % of its last TTL with the default band);
 * - bounds how many new credentials it requests per interval ({@link StormGuard}), so an outage of
 *   Vault or of the database does not become a flood of `creds/` requests;
 * - raises `expiring` when the credentials near their end with neither renewal nor replacement
 *   having succeeded, and `error` on every failed attempt;
 * - optionally revokes every lease on {@link LeaseManager.stop}.
 *
 * Time and randomness are injectable so unit tests drive the schedule with a fake clock.
 */
import { EventEmitter } from "node:events";
import { Registry } from "prom-client";
import type { TokenInfo } from "../auth/token-manager";
import type { LoginEvent, TokenExpiredEvent, TokenRenewedEvent } from "../auth/token-events";
import {
  DEFAULT_BACKOFF,
  DEFAULT_RENEWAL_TIMING,
  MAX_TOKEN_OPERATION_MS,
  RenewalTiming,
  checkRenewalTiming,
  renewalDelayMs,
  tokenOperationDeadlineMs,
} from "../auth/renewal-timing";
import { BackoffOptions, backoffDelay } from "../core/backoff";
import { CancelTimer, Clock, systemClock } from "../core/clock";
import { DatabaseApi, DatabaseCredentials } from "../engines/database";
import { LeaseRefusedError } from "../engines/database-errors";
import type { Requester } from "../transport/requester";
import { CredentialsReason, LeaseErrorEvent, LeaseExpiredEvent, LeaseManagerEvents } from "./lease-events";
import { LeaseMetrics } from "./lease-metrics";
import { DEFAULT_STORM_GUARD, StormGuard, StormGuardOptions } from "./storm-guard";

/** What happens to credentials after a rotation replaced them. */
export interface RotationOptions {
  /**
   * `revoke`: revoke the old lease `graceMs` after the new credentials were handed over (or let
   * it end, if it ends sooner). `expire`: leave it to its own end. @default "expire"
   */
  readonly previous: "revoke" | "expire";
  /**
   * The overlap: how long the old credentials stay valid after the new ones were handed over. A
   * rotation is planned early enough to leave it (when the lease leaves that much time). @default 30000
   */
  readonly graceMs: number;
}

/** The defaults: keep the old credentials to their end, rotate at least 30 s before it. */
export const DEFAULT_ROTATION: RotationOptions = { previous: "expire", graceMs: 30_000 };

/** What the manager needs from a TokenManager: its current token and the events that change it. */
export interface LeaseTokenSource {
  /** The token in use, if any. */
  readonly info: TokenInfo | undefined;
  on(event: "login", listener: (event: LoginEvent) => void): unknown;
  on(event: "token-renewed", listener: (event: TokenRenewedEvent) => void): unknown;
  on(event: "token-expired", listener: (event: TokenExpiredEvent) => void): unknown;
  off(event: "login", listener: (event: LoginEvent) => void): unknown;
  off(event: "token-renewed", listener: (event: TokenRenewedEvent) => void): unknown;
  off(event: "token-expired", listener: (event: TokenExpiredEvent) => void): unknown;
}

/** Options of {@link LeaseManager}. */
export interface LeaseManagerOptions {
  /** The client (or any requester) credentials are obtained and leases renewed with. */
  readonly requester: Requester;
  /** The TokenManager whose token the requester sends: its logins and expiries decide when leases die with their token. @default none */
  readonly tokens?: LeaseTokenSource;
  /** When to renew: a random point of this band of the lease's TTL. @default 50–80 % */
  readonly renewal?: Partial<RenewalTiming>;
  /** Backoff of failed renewals and credential requests. @default 1 s doubling to 60 s */
  readonly backoff?: Partial<BackoffOptions>;
  /** Ceiling on new-credential requests. @default 10 per 60 s */
  readonly stormGuard?: Partial<StormGuardOptions>;
  /** What happens to replaced credentials. @default keep them to their end, with at least 30 s of overlap */
  readonly rotation?: Partial<RotationOptions>;
  /** Revoke every lease on {@link LeaseManager.stop}. @default false */
  readonly revokeOnStop?: boolean;
  /** Time source. @default the system clock */
  readonly clock?: Clock;
  /** Uniform random numbers in [0, 1) for the renewal point and backoff jitter. @default Math.random */
  readonly random?: () => number;
  /**
   * Registry to register the metrics on (e.g. a client's `metrics.registry`); they leave it on
   * {@link LeaseManager.stop}. Managers running at once on one registry need distinct
   * `metricsPrefix`es. @default none
   */
  readonly registry?: Registry;
  /** Metric name prefix. @default "vaultsmith_" */
  readonly metricsPrefix?: string;
}

/** What the consumer is handed each time credentials change. */
export interface CredentialsUpdate {
  /** Managed name. */
  readonly name: string;
  /** Why new credentials were obtained. */
  readonly reason: CredentialsReason;
  /** The credentials to use from now on. */
  readonly current: DatabaseCredentials;
  /** After a rotation: the replaced credentials, still valid until `previousValidUntil` (drain their connections by then). */
  readonly previous: DatabaseCredentials | undefined;
  /** When the replaced credentials stop working. */
  readonly previousValidUntil: Date | undefined;
}

/** One credential to keep alive. */
export interface ManagedCredentialSpec {
  /** Name it is managed, labelled and reported under (unique per manager). */
  readonly name: string;
  /** Role of the database engine. */
  readonly role: string;
  /** Mount of the database engine. @default "database" */
  readonly mount?: string;
  /** Increment asked for on renewal, in seconds. @default the TTL the first lease had */
  readonly incrementSeconds?: number;
  /** Called with every new set of credentials (first, rotated, re-created). Its errors are ignored. */
  readonly onCredentials?: (update: CredentialsUpdate) => void | Promise<void>;
}

/** The manager was stopped, or the name is not (or no longer) managed. */
export class LeaseManagerStateError extends Error {
  /** @internal */
  constructor(message: string) {
    super(message);
    this.name = "LeaseManagerStateError";
  }
}

/** A lease in hand. */
interface Held {
  readonly credentials: DatabaseCredentials;
  /** End of the lease by the manager's clock (counted from when the request was sent). */
  expiresAt: number;
  /** TTL last granted, in ms. */
  grantedMs: number;
  /** Accessor of the token that created it (its leases die with it). */
  readonly accessor: string | undefined;
  /** No further renewal: max TTL reached or not renewable. */
  capped: boolean;
}

interface Previous {
  readonly held: Held;
  /** What happens at `validUntil`: a revocation, or (when the lease ends first anyway) its own end. */
  readonly action: "revoke" | "expire";
  readonly validUntil: number;
  readonly cancel: CancelTimer;
}

interface Entry {
  readonly spec: ManagedCredentialSpec;
  readonly api: DatabaseApi;
  readonly increment: number;
  current: Held | undefined;
  readonly previous: Map<string, Previous>;
  /** Why the next credentials are needed when there is no current lease. */
  pendingReason: CredentialsReason;
  /** No current lease, and none can be had before the next login (its token ended). */
  awaitingLogin: boolean;
  failures: number;
  busy: boolean;
  /** State changed while an operation was in flight: plan again when it ends. */
  replan: boolean;
  next: CancelTimer | undefined;
  nextAt: number | undefined;
  alarms: CancelTimer[];
}

/** Share of the granted TTL left at which `expiring` is raised when upkeep has not succeeded. */
const EXPIRING_SHARE = 0.1;

/** Keeps dynamic database credentials alive; see the module doc. Call {@link LeaseManager.stop} when done. */
export class LeaseManager extends EventEmitter<LeaseManagerEvents> {
  /** The metrics, when a registry was given. */
  public readonly metrics: LeaseMetrics | undefined;
  /** The storm guard (its counts are public for monitoring and tests). */
  public readonly stormGuard: StormGuard;
  private readonly requester: Requester;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly timing: RenewalTiming;
  private readonly backoff: BackoffOptions;
  private readonly rotation: RotationOptions;
  private readonly revokeOnStop: boolean;
  private readonly tokens: LeaseTokenSource | undefined;
  readonly #entries = new Map<string, Entry>();
  readonly #apis = new Map<string, DatabaseApi>();
  /** Expiry (clock ms) of each token seen, by accessor. */
  readonly #tokenExpiry = new Map<string | undefined, number>();
  #accessor: string | undefined;
  #stopped = false;
  readonly #unsubscribe: () => void;

  /** A manager obtaining credentials through `options.requester`. */
  constructor(options: LeaseManagerOptions) {
    super();
    this.requester = options.requester;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.timing = { ...DEFAULT_RENEWAL_TIMING, ...options.renewal };
    checkRenewalTiming(this.timing);
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    backoffDelay(0, this.backoff, () => 0);
    this.rotation = { ...DEFAULT_ROTATION, ...options.rotation };
    if (!(this.rotation.graceMs >= 0)) throw new RangeError(`rotation.graceMs must be >= 0, got ${this.rotation.graceMs}`);
    this.revokeOnStop = options.revokeOnStop ?? false;
    this.stormGuard = new StormGuard({ ...DEFAULT_STORM_GUARD, ...options.stormGuard }, this.clock);
    this.metrics = options.registry
      ? new LeaseMetrics(
          options.registry,
          options.metricsPrefix ?? "vaultsmith_",
          () => new Map([...this.#entries].map(([name, e]) => [name, e.current ? this.#end(e.current) : undefined])),
          () => this.clock.now(),
        )
      : undefined;
    this.tokens = options.tokens;
    this.#unsubscribe = this.#followTokens();
  }

  /**
   * Start managing `spec`: obtain its first credentials (waiting for the storm guard if its window
   * is full), hand them to `onCredentials`, plan their renewal. Throws the typed error when the
   * first credentials cannot be obtained; nothing is left scheduled then.
   */
  async manage(spec: ManagedCredentialSpec): Promise<DatabaseCredentials> {
    if (this.#stopped) throw new LeaseManagerStateError("LeaseManager is stopped");
    if (this.#entries.has(spec.name)) throw new LeaseManagerStateError(`credential "${spec.name}" is already managed`);
    if (spec.incrementSeconds !== undefined && !(spec.incrementSeconds > 0))
      throw new RangeError(`incrementSeconds must be > 0, got ${spec.incrementSeconds}`);
    const api = this.#api(spec.mount ?? "database");
    for (let wait = this.#acquire(); wait > 0; wait = this.#acquire()) await this.#sleep(wait);
    if (this.#stopped) throw new LeaseManagerStateError("LeaseManager is stopped");
    const accessor = this.#accessor;
    const sentAt = this.clock.now();
    let credentials: DatabaseCredentials;
    try {
      credentials = await api.credentials(spec.role, { deadlineMs: MAX_TOKEN_OPERATION_MS });
      this.metrics?.credentialRequests.inc({ outcome: "ok" });
    } catch (error) {
      this.metrics?.credentialRequests.inc({ outcome: "error" });
      throw error;
    }
    const entry: Entry = {
      spec,
      api,
      increment: spec.incrementSeconds ?? credentials.leaseDurationSeconds,
      current: undefined,
      previous: new Map(),
      pendingReason: "initial",
      awaitingLogin: false,
      failures: 0,
      busy: false,
      replan: false,
      next: undefined,
      nextAt: undefined,
      alarms: [],
    };
    if (this.#stopped || this.#entries.has(spec.name)) {
      // Stopped, or managed by a concurrent call meanwhile: these credentials are nobody's.
      await api.revoke(credentials.leaseId, { deadlineMs: MAX_TOKEN_OPERATION_MS }).catch(() => undefined);
      throw new LeaseManagerStateError(this.#stopped ? "LeaseManager is stopped" : `credential "${spec.name}" is already managed`);
    }
    this.#entries.set(spec.name, entry);
    await this.#install(entry, credentials, sentAt, accessor, "initial");
    return credentials;
  }

  /** The current credentials of `name` while they are valid; undefined when none are (an outage outlived them). */
  current(name: string): DatabaseCredentials | undefined {
    const entry = this.#entries.get(name);
    return entry?.current && this.clock.now() < this.#end(entry.current) ? entry.current.credentials : undefined;
  }

  /** Every valid credential of `name`: the current one first, then replaced ones still in their overlap. */
  valid(name: string): DatabaseCredentials[] {
    const entry = this.#entries.get(name);
    if (!entry) return [];
    const now = this.clock.now();
    const current = this.current(name);
    const previous = [...entry.previous.values()]
      .filter((p) => now < p.validUntil && now < this.#end(p.held))
      .map((p) => p.held.credentials);
    return current ? [current, ...previous] : previous;
  }

  /** When the current lease of `name` ends (clock ms), if there is one. */
  expiresAt(name: string): number | undefined {
    const current = this.#entries.get(name)?.current;
    return current ? this.#end(current) : undefined;
  }

  /** Names under management. */
  get names(): string[] {
    return [...this.#entries.keys()];
  }

  /** Stop managing `name`; with `revoke`, revoke its leases (current and in overlap) first. */
  async release(name: string, options: { readonly revoke?: boolean } = {}): Promise<void> {
    const entry = this.#entries.get(name);
    if (!entry) throw new LeaseManagerStateError(`credential "${name}" is not managed`);
    this.#drop(entry);
    if (options.revoke) await this.#revokeAll(entry, "release");
  }

  /** Stop every renewal and timer; with `revokeOnStop`, revoke every lease (current and in overlap). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#unsubscribe();
    this.metrics?.unregister();
    const entries = [...this.#entries.values()];
    for (const entry of entries) this.#drop(entry);
    if (this.revokeOnStop) await Promise.all(entries.map((entry) => this.#revokeAll(entry, "stop")));
  }

  // ---------------------------------------------------------------------------------------------

  #api(mount: string): DatabaseApi {
    let api = this.#apis.get(mount);
    if (!api) {
      api = new DatabaseApi(this.requester, mount);
      this.#apis.set(mount, api);
    }
    return api;
  }

  #acquire(): number {
    const wait = this.stormGuard.acquire();
    if (wait > 0) this.metrics?.stormGuardDeferred.inc();
    return wait;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.schedule(resolve, ms));
  }

  /** End of `held` by the manager's clock: its lease's end, or earlier its token's when a login replaced that token. */
  #end(held: Held): number {
    if (held.accessor === this.#accessor) return held.expiresAt;
    return Math.min(held.expiresAt, this.#tokenExpiry.get(held.accessor) ?? Infinity);
  }

  /** Whether `held` can only be replaced, not renewed. */
  #mustRotate(held: Held): boolean {
    return held.capped || !held.credentials.renewable || this.#end(held) < held.expiresAt;
  }

  /** Make `credentials` current: the old ones (if still valid) go into their overlap; consumer and events are told. */
  async #install(
    entry: Entry,
    credentials: DatabaseCredentials,
    sentAt: number,
    accessor: string | undefined,
    reason: CredentialsReason,
  ): Promise<void> {
    const now = this.clock.now();
    const ttlMs = credentials.leaseDurationSeconds * 1000;
    const held: Held = {
      credentials,
      expiresAt: ttlMs > 0 ? sentAt + ttlMs : Infinity,
      grantedMs: ttlMs > 0 ? ttlMs : Infinity,
      accessor,
      capped: !credentials.renewable,
    };
    const old = entry.current;
    entry.current = held;
    entry.failures = 0;
    entry.awaitingLogin = false;
    entry.pendingReason = "after-expiry";
    let previous: Previous | undefined;
    if (old && now < this.#end(old)) previous = this.#retire(entry, old);
    this.#emit("created", {
      name: entry.spec.name,
      mount: entry.api.mount,
      role: entry.spec.role,
      leaseId: credentials.leaseId,
      username: credentials.username,
      ttlSeconds: credentials.leaseDurationSeconds,
      renewable: credentials.renewable,
      reason,
    });
    if (old && previous) {
      this.#emit("rotated", {
        name: entry.spec.name,
        leaseId: credentials.leaseId,
        username: credentials.username,
        previousLeaseId: old.credentials.leaseId,
        previousUsername: old.credentials.username,
        previousValidUntil: new Date(previous.validUntil),
        previousAction: previous.action,
      });
    }
    this.#plan(entry);
    try {
      await entry.spec.onCredentials?.({
        name: entry.spec.name,
        reason,
        current: credentials,
        previous: previous?.held.credentials,
        previousValidUntil: previous ? new Date(previous.validUntil) : undefined,
      });
    } catch {
      // The consumer's failure is the consumer's problem; the credentials stay managed.
    }
  }

  /** Put replaced credentials into their overlap; at its end they are revoked or left to expire. */
  #retire(entry: Entry, old: Held): Previous {
    const now = this.clock.now();
    const end = this.#end(old);
    const revoke = this.rotation.previous === "revoke" && now + this.rotation.graceMs < end;
    const validUntil = revoke ? now + this.rotation.graceMs : end;
    const leaseId = old.credentials.leaseId;
    const cancel = this.clock.schedule(() => {
      if (entry.previous.get(leaseId)?.held !== old) return;
      entry.previous.delete(leaseId);
      if (!revoke) {
        this.#emit("expired", { name: entry.spec.name, leaseId, reason: "replaced" });
        return;
      }
      void this.#revoke(entry, old, "rotation");
    }, validUntil - now);
    const previous: Previous = { held: old, action: revoke ? "revoke" : "expire", validUntil, cancel };
    entry.previous.set(leaseId, previous);
    return previous;
  }

  async #revoke(entry: Entry, held: Held, reason: "rotation" | "stop" | "release"): Promise<void> {
    const leaseId = held.credentials.leaseId;
    try {
      await entry.api.revoke(leaseId, { deadlineMs: tokenOperationDeadlineMs(Math.max(0, this.#end(held) - this.clock.now())) });
      this.#emit("revoked", { name: entry.spec.name, leaseId, reason });
    } catch (error) {
      // Left to expire: its lease ends on its own.
      this.#error(entry, "revoke", error, undefined);
    }
  }

  async #revokeAll(entry: Entry, reason: "stop" | "release"): Promise<void> {
    const now = this.clock.now();
    const leases = [entry.current, ...[...entry.previous.values()].map((p) => p.held)].filter(
      (h): h is Held => h !== undefined && now < this.#end(h),
    );
    entry.current = undefined;
    entry.previous.clear();
    await Promise.all(leases.map((held) => this.#revoke(entry, held, reason)));
  }

  /** Stop every timer of `entry` and forget it. */
  #drop(entry: Entry): void {
    this.#cancelNext(entry);
    entry.alarms.forEach((cancel) => cancel());
    entry.alarms = [];
    for (const p of entry.previous.values()) p.cancel();
    if (this.#entries.get(entry.spec.name) === entry) this.#entries.delete(entry.spec.name);
  }

  #cancelNext(entry: Entry): void {
    entry.next?.();
    entry.next = undefined;
    entry.nextAt = undefined;
  }

  #schedule(entry: Entry, delayMs: number): void {
    this.#cancelNext(entry);
    if (this.#stopped || this.#entries.get(entry.spec.name) !== entry) return;
    const delay = Math.max(0, delayMs);
    entry.nextAt = this.clock.now() + delay;
    entry.next = this.clock.schedule(() => {
      entry.next = undefined;
      entry.nextAt = undefined;
      void this.#step(entry);
    }, delay);
  }

  /** Plan the upkeep of the current lease (renewal or rotation) and arm its expiring/expired alarms. */
  #plan(entry: Entry): void {
    entry.alarms.forEach((cancel) => cancel());
    entry.alarms = [];
    // Released or stopped while an operation was in flight: nothing more to plan.
    if (this.#stopped || this.#entries.get(entry.spec.name) !== entry) return;
    const held = entry.current;
    if (!held) {
      if (!entry.awaitingLogin) this.#schedule(entry, 0);
      else this.#cancelNext(entry);
      return;
    }
    const now = this.clock.now();
    const end = this.#end(held);
    if (end === Infinity) return this.#cancelNext(entry);
    const leftMs = Math.max(0, end - now);
    const point = renewalDelayMs(leftMs / 1000, this.timing, this.random);
    this.#schedule(entry, this.#mustRotate(held) ? Math.min(point, leftMs - this.rotation.graceMs) : point);
    const expiringAt = this.#expiringAt(held);
    const alarm = { name: entry.spec.name, leaseId: held.credentials.leaseId };
    if (expiringAt > now) {
      entry.alarms.push(
        this.clock.schedule(() => {
          if (entry.current === held) this.#emit("expiring", { ...alarm, expiresAt: new Date(this.#end(held)) });
        }, expiringAt - now),
      );
    }
    entry.alarms.push(this.clock.schedule(() => this.#expireCurrent(entry, held), leftMs));
  }

  /** When `held` counts as expiring: the last tenth of the TTL last granted (renewals normally come at 50–80 %). */
  #expiringAt(held: Held): number {
    const end = this.#end(held);
    return end - Math.min(held.grantedMs, end - (held.expiresAt - held.grantedMs)) * EXPIRING_SHARE;
  }

  /** The current credentials ran out without a replacement: stop serving them; obtaining new ones goes on. */
  #expireCurrent(entry: Entry, held: Held): void {
    if (entry.current !== held) return;
    entry.current = undefined;
    entry.pendingReason = "after-expiry";
    this.#emit("expired", { name: entry.spec.name, leaseId: held.credentials.leaseId, reason: "ttl" });
    if (!entry.busy && entry.next === undefined && !entry.awaitingLogin) this.#schedule(entry, 0);
  }

  /** The current lease is dead before its time: drop it (and, for a dead token, its overlap) and get new credentials. */
  #lose(entry: Entry, reason: "lease-lost" | "token-expired", awaitLogin: boolean): void {
    const held = entry.current;
    entry.current = undefined;
    entry.pendingReason = reason;
    entry.awaitingLogin = awaitLogin;
    entry.alarms.forEach((cancel) => cancel());
    entry.alarms = [];
    if (held) this.#emit("expired", { name: entry.spec.name, leaseId: held.credentials.leaseId, reason } satisfies LeaseExpiredEvent);
    if (entry.busy) {
      entry.replan = true;
      this.#cancelNext(entry);
    } else {
      this.#plan(entry);
    }
  }

  /** The one scheduled action of a credential: renew the current lease, or obtain new credentials. */
  async #step(entry: Entry): Promise<void> {
    if (entry.busy || this.#stopped || this.#entries.get(entry.spec.name) !== entry) return;
    entry.busy = true;
    try {
      const held = entry.current;
      if (!held) await this.#create(entry, entry.pendingReason);
      else if (this.#mustRotate(held) || (entry.failures > 0 && this.clock.now() >= this.#expiringAt(held)))
        await this.#create(entry, "rotation");
      else await this.#renew(entry, held);
    } finally {
      entry.busy = false;
      if (entry.replan) {
        entry.replan = false;
        this.#plan(entry);
      }
    }
  }

  async #renew(entry: Entry, held: Held): Promise<void> {
    const sentAt = this.clock.now();
    const leaseId = held.credentials.leaseId;
    try {
      const renewal = await entry.api.renew(leaseId, entry.increment, {
        deadlineMs: tokenOperationDeadlineMs(Math.max(0, this.#end(held) - sentAt)),
      });
      if (entry.current !== held || this.#entries.get(entry.spec.name) !== entry) return;
      const ttl = renewal.leaseDurationSeconds;
      const truncated = ttl < entry.increment;
      held.expiresAt = sentAt + ttl * 1000;
      held.grantedMs = ttl * 1000;
      held.capped = truncated || !renewal.renewable;
      entry.failures = 0;
      this.#emit("renewed", { name: entry.spec.name, leaseId, ttlSeconds: ttl, truncated });
      this.#plan(entry);
    } catch (error) {
      if (entry.current !== held || this.#entries.get(entry.spec.name) !== entry) return;
      if (error instanceof LeaseRefusedError && error.reason !== "not-renewable") {
        // Vault no longer has the lease: the credentials are dead, new ones are needed now.
        this.#error(entry, "renew", error, 0);
        this.#lose(entry, "lease-lost", false);
        return;
      }
      if (error instanceof LeaseRefusedError) {
        // Still valid, never renewable again: replace it before it ends.
        held.capped = true;
        this.#error(entry, "renew", error, undefined);
        entry.replan = true;
        return;
      }
      this.#retryLater(entry, "renew", error);
    }
  }

  async #create(entry: Entry, reason: CredentialsReason): Promise<void> {
    const wait = this.#acquire();
    if (wait > 0) return this.#schedule(entry, wait);
    const held = entry.current;
    const sentAt = this.clock.now();
    const accessor = this.#accessor;
    const deadlineMs = held ? tokenOperationDeadlineMs(Math.max(0, this.#end(held) - sentAt)) : MAX_TOKEN_OPERATION_MS;
    let credentials: DatabaseCredentials;
    try {
      credentials = await entry.api.credentials(entry.spec.role, { deadlineMs });
      this.metrics?.credentialRequests.inc({ outcome: "ok" });
    } catch (error) {
      this.metrics?.credentialRequests.inc({ outcome: "error" });
      if (this.#entries.get(entry.spec.name) !== entry) return;
      this.#retryLater(entry, "create", error);
      return;
    }
    if (this.#stopped || this.#entries.get(entry.spec.name) !== entry) {
      // Released or stopped while the request was in flight: nobody will use or renew these.
      await entry.api.revoke(credentials.leaseId, { deadlineMs: MAX_TOKEN_OPERATION_MS }).catch(() => undefined);
      return;
    }
    entry.replan = false;
    await this.#install(entry, credentials, sentAt, accessor, reason === "rotation" && !entry.current ? "after-expiry" : reason);
  }

  /** A renewal or credential request failed: back off (never past the lease's end, never faster than the storm guard allows) and emit `error`. */
  #retryLater(entry: Entry, operation: "renew" | "create", error: unknown): void {
    const attempt = ++entry.failures;
    const now = this.clock.now();
    let delay = backoffDelay(attempt - 1, this.backoff, this.random);
    const held = entry.current;
    if (held) {
      const left = this.#end(held) - now;
      if (left > 0) delay = Math.max(100, Math.min(delay, Math.floor(left / 3)));
    }
    if (operation === "create") delay = Math.max(delay, this.stormGuard.waitMs());
    this.#error(entry, operation, error, delay);
    if (entry.awaitingLogin) return;
    if (entry.busy) {
      // #step's finally would replan from scratch; keep the backoff instead.
      entry.replan = false;
    }
    this.#schedule(entry, delay);
  }

  #error(entry: Entry, operation: LeaseErrorEvent["operation"], error: unknown, retryInMs: number | undefined): void {
    const held = entry.current;
    this.#emit("error", {
      name: entry.spec.name,
      operation,
      error: error instanceof Error ? error : new Error(`${operation} failed`),
      attempt: entry.failures,
      retryInMs,
      currentValid: held !== undefined && this.clock.now() < this.#end(held),
    });
  }

  // --- the token the leases hang on -------------------------------------------------------------

  #followTokens(): () => void {
    const tokens = this.tokens;
    if (!tokens) return () => undefined;
    const info = tokens.info;
    if (info) {
      this.#accessor = info.accessor;
      this.#tokenExpiry.set(info.accessor, info.expiresAt);
    }
    const onLogin = (event: LoginEvent): void => this.#onLogin(event);
    const onRenewed = (event: TokenRenewedEvent): void => {
      this.#tokenExpiry.set(event.accessor, event.ttlSeconds > 0 ? this.clock.now() + event.ttlSeconds * 1000 : Infinity);
    };
    const onExpired = (event: TokenExpiredEvent): void => this.#onTokenExpired(event);
    tokens.on("login", onLogin);
    tokens.on("token-renewed", onRenewed);
    tokens.on("token-expired", onExpired);
    return () => {
      tokens.off("login", onLogin);
      tokens.off("token-renewed", onRenewed);
      tokens.off("token-expired", onExpired);
    };
  }

  #onLogin(event: LoginEvent): void {
    const before = this.#accessor;
    this.#accessor = event.accessor;
    this.#tokenExpiry.set(event.accessor, event.ttlSeconds > 0 ? this.clock.now() + event.ttlSeconds * 1000 : Infinity);
    for (const entry of this.#entries.values()) {
      const held = entry.current;
      if (entry.awaitingLogin) {
        // Its token ended: these are the credentials it lost.
        entry.awaitingLogin = false;
        if (entry.busy) entry.replan = true;
        else this.#plan(entry);
      } else if (held && before !== event.accessor && held.accessor === before && this.#end(held) < held.expiresAt && !entry.busy) {
        // The old token is left to expire and takes its leases with it: rotate before then.
        this.#plan(entry);
      }
    }
  }

  #onTokenExpired(event: TokenExpiredEvent): void {
    // Vault revokes the leases of a token that ended: they are dead now, and new ones need the next login.
    this.#tokenExpiry.set(event.accessor, this.clock.now());
    for (const entry of this.#entries.values()) {
      for (const [leaseId, p] of entry.previous) {
        if (p.held.accessor === event.accessor) {
          p.cancel();
          entry.previous.delete(leaseId);
        }
      }
      if (entry.current && entry.current.accessor === event.accessor) this.#lose(entry, "token-expired", true);
    }
  }

  /** Emit without letting a throwing listener break the schedule; `error` only when someone listens. */
  #emit<K extends keyof LeaseManagerEvents>(event: K, ...args: LeaseManagerEvents[K]): void {
    this.metrics?.count(event);
    if (event === "error" && this.listenerCount("error") === 0) return;
    try {
      (this.emit as (name: K, ...rest: LeaseManagerEvents[K]) => boolean)(event, ...args);
    } catch {
      // A listener's failure is the listener's problem.
    }
  }
}
