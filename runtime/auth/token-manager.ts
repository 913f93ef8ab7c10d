/**
 * TokenManager: owns the application's Vault token. It logs in lazily through an ordered
 * fallback chain of auth methods (one login in flight, shared by every caller), installs the
 * token on the requester, renews it at about two thirds of its TTL with jitter, replaces it by
 * a new login when it can no longer be renewed (not renewable, max TTL reached, renewal
 * refused), and backs off exponentially — with jitter and a cap — when renewal or login fail.
 *
 * Lessons from the anchors it follows: a transient renewal failure never drops a token that is
 * still valid (Vault Agent re-authenticating on outages, vault#10918); the backoff is actually
 * slept (vault#20645's renew storm); failed logins are throttled by the same backoff, so a
 * caller retrying in a loop cannot cause a login storm (vault#26283, vault-k8s#210); when no
 * renewal retry fits before expiry, one last login is tried while the old token is still valid;
 * a replaced token is left to expire, not revoked, so leases created with it keep working until
 * their own expiry.
 */
import { EventEmitter } from "node:events";
import { VaultHttpError } from "../core/errors";
import { AuthMethod, targetOf } from "./auth-method";
import { AuthResult, VaultAuthResponseBody, authResultFrom } from "./auth-result";
import { AuthChainError, AuthLoginError, TokenManagerStoppedError, toAuthLoginError } from "./auth-errors";
import { BackoffOptions, backoffDelay } from "../core/backoff";
import {
  DEFAULT_BACKOFF,
  DEFAULT_RENEWAL_TIMING,
  RenewalTiming,
  checkRenewalTiming,
  renewalDelayMs,
  tokenOperationDeadlineMs,
} from "./renewal-timing";
import { BreakGlassRequest, unwrapWrappedToken } from "./break-glass";
import { CancelTimer, Clock, systemClock } from "../core/clock";
import { POLICIES, RequestPolicy, Requester, withDeadline } from "../transport/requester";
import type { VaultRequest, VaultResponse } from "../transport/http-transport";
import { LoginReason, TokenManagerEvents } from "./token-events";

/** Options of {@link TokenManager}. */
export interface TokenManagerOptions {
  /** Where requests go; the manager installs its token here with `setToken`. */
  readonly requester: Requester;
  /** Auth methods in order of preference: the first that logs in wins; later ones are fallbacks. */
  readonly methods: readonly AuthMethod[];
  /** Time source and timers. @default the system clock */
  readonly clock?: Clock;
  /** Uniform random numbers in [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
  /** When to renew: a random point of this band of the TTL. @default 50–80 % */
  readonly renewal?: Partial<RenewalTiming>;
  /** Backoff for failed renewals and logins. @default 1 s doubling up to 60 s */
  readonly backoff?: Partial<BackoffOptions>;
  /** Revoke the token (`auth/token/revoke-self`) on {@link TokenManager.stop}. @default false */
  readonly revokeOnStop?: boolean;
}

/** The token in use and what is known about it. */
interface Current {
  readonly result: AuthResult;
  /** Expiry in clock milliseconds; Infinity when the token has no TTL. */
  expiresAt: number;
  /** Increment asked for on renewal, in seconds: the TTL the login granted. */
  readonly increment: number;
  /** Set once a renewal was truncated by the max TTL: the next step is a new login. */
  capped: boolean;
}

/** Public snapshot of the token in use (no token value). */
export interface TokenInfo {
  /** Accessor of the token. */
  readonly accessor: string | undefined;
  /** Policies of the token. */
  readonly policies: readonly string[];
  /** Expiry in clock milliseconds (Infinity: no expiry). */
  readonly expiresAt: number;
  /** Whether the token is renewable. */
  readonly renewable: boolean;
  /** Name of the method that obtained it (`break-glass` for an emergency token). */
  readonly method: string;
}

/** How long before expiry `token()` tries to replace a token: 10 % of its TTL, at most 5 s. */
function expiryMargin(ttlSeconds: number): number {
  return Math.min(5_000, ttlSeconds * 100);
}

/** Owns a Vault token: login, renewal, re-login, fallback, events. Call {@link TokenManager.stop} when done. */
export class TokenManager extends EventEmitter<TokenManagerEvents> {
  private readonly requester: Requester;
  private readonly methods: readonly AuthMethod[];
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly timing: RenewalTiming;
  private readonly backoff: BackoffOptions;
  private readonly revokeOnStop: boolean;
  #current: Current | undefined;
  #currentMethod = "";
  #inFlight: Promise<AuthResult> | undefined;
  #cancelTimer: CancelTimer | undefined;
  #renewFailures = 0;
  #loginFailures = 0;
  #loginRetryAt = 0;
  #lastChainError: AuthChainError | undefined;
  #generation = 0;
  #stopped = false;
  readonly #unsubscribe: (() => void) | undefined;
  readonly #unsubscribeRefused: (() => void) | undefined;
  #refusalCheck: Promise<void> | undefined;
  #lastRefusalCheckAt = -Infinity;

  /** A manager for `options.methods`; nothing happens until the first {@link TokenManager.token} call. */
  constructor(options: TokenManagerOptions) {
    super();
    if (options.methods.length === 0) throw new TypeError("a TokenManager needs at least one auth method");
    this.requester = options.requester;
    this.methods = [...options.methods];
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.timing = { ...DEFAULT_RENEWAL_TIMING, ...options.renewal };
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    backoffDelay(0, this.backoff, () => 0); // throws a RangeError naming the bad bound, now rather than inside a timer
    checkRenewalTiming(this.timing);
    this.revokeOnStop = options.revokeOnStop ?? false;
    this.#unsubscribe = this.requester.onRecovered?.(() => this.#recovered());
    this.#unsubscribeRefused = this.requester.onTokenRefused?.(() => this.#tokenRefused());
  }

  /** The token in use, without its value; undefined before the first login or after expiry. */
  get info(): TokenInfo | undefined {
    const current = this.#current;
    if (!current) return undefined;
    return {
      accessor: current.result.accessor,
      policies: current.result.policies,
      expiresAt: current.expiresAt,
      renewable: current.result.renewable,
      method: this.#currentMethod,
    };
  }

  /**
   * A valid token: the current one, or the result of a login through the chain (concurrent
   * callers share one login). Rejects with {@link AuthChainError} when every method fails; until
   * the login backoff has passed, further calls reject with that same error without a request.
   * `signal` lets a caller stop waiting (its request was cancelled, its own deadline passed): it
   * rejects with the signal's reason, while a shared login goes on for the other callers.
   */
  async token(options: TokenWaitOptions = {}): Promise<string> {
    options.signal?.throwIfAborted();
    return untilAborted(this.#token(), options.signal);
  }

  async #token(): Promise<string> {
    if (this.#stopped) throw new TokenManagerStoppedError();
    const current = this.#current;
    const now = this.clock.now();
    if (current && now < current.expiresAt) {
      // In its last moments (renewals have failed), try a login first so the caller does not get
      // a token that dies in flight — but never trade a still-valid token for an error.
      if (now < current.expiresAt - expiryMargin(current.increment)) return current.result.clientToken;
      return this.#login("re-login").then(
        (fresh) => fresh.clientToken,
        () => current.result.clientToken,
      );
    }
    if (current) this.#expire();
    const result = await this.#login(this.#generation > 0 ? "after-expiry" : "initial");
    return result.clientToken;
  }

  /**
   * Log in through the chain now, e.g. after a policy change (single-flight: joins a login
   * already in flight). The current token stays installed until the new one arrives. `signal`
   * stops this caller's wait, as for {@link token}; the login itself is not cancelled.
   */
  login(options: TokenWaitOptions = {}): Promise<AuthResult> {
    if (options.signal?.aborted) return Promise.reject(abortReason(options.signal));
    return untilAborted(this.#login(this.#current ? "re-login" : "initial"), options.signal);
  }

  #login(reason: LoginReason): Promise<AuthResult> {
    if (this.#stopped) return Promise.reject(new TokenManagerStoppedError());
    // After a failed chain, fail fast until the backoff has passed: callers retrying in a loop
    // must not turn an auth outage into a login storm.
    if (!this.#inFlight && this.#lastChainError && this.clock.now() < this.#loginRetryAt) return Promise.reject(this.#lastChainError);
    if (!this.#inFlight) {
      this.#inFlight = this.#runChain(reason).finally(() => {
        this.#inFlight = undefined;
      });
    }
    return this.#inFlight;
  }

  /**
   * Emergency access: unwrap an operator-supplied response-wrapped token and use it. Every call
   * emits an `emergency-access` event (who, when, why, accessor, outcome) — never the token.
   * Renewal then proceeds as usual; when the emergency token must be replaced, the normal
   * chain logs in again.
   */
  async breakGlass(request: BreakGlassRequest): Promise<AuthResult> {
    if (this.#stopped) throw new TokenManagerStoppedError();
    const at = new Date(this.clock.now()).toISOString();
    try {
      const result = await unwrapWrappedToken(this.requester, request.wrappingToken);
      this.#install(result, "break-glass", "token", -1, "emergency");
      this.#emit("emergency-access", {
        operator: request.operator,
        reason: request.reason,
        at,
        outcome: "granted",
        accessor: result.accessor,
        policies: result.policies,
        error: undefined,
      });
      return result;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error("break-glass failed");
      this.#emit("emergency-access", {
        operator: request.operator,
        reason: request.reason,
        at,
        outcome: "refused",
        accessor: undefined,
        policies: [],
        error: failure,
      });
      throw failure;
    }
  }

  /**
   * Stop renewing and clear every timer; the token is taken off the requester (it is no longer
   * kept valid). With `revokeOnStop`, the token is revoked too.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#clearTimer();
    this.#unsubscribe?.();
    this.#unsubscribeRefused?.();
    const current = this.#current;
    try {
      if (this.revokeOnStop && current && this.clock.now() < current.expiresAt) {
        await this.requester.request(
          { method: "POST", path: "auth/token/revoke-self", ...asToken(current.result.clientToken) },
          POLICIES.creatingWrite,
        );
        this.#emit("token-revoked", { accessor: current.result.accessor });
      }
    } finally {
      this.#current = undefined;
      this.requester.setToken(undefined);
    }
  }

  async #runChain(reason: LoginReason): Promise<AuthResult> {
    const failures: Error[] = [];
    for (let index = 0; index < this.methods.length; index++) {
      const method = this.methods[index];
      try {
        const result = await method.login(this.#boundedRequester());
        if (this.#stopped) throw new TokenManagerStoppedError();
        this.#loginFailures = 0;
        this.#loginRetryAt = 0;
        this.#lastChainError = undefined;
        this.#install(result, method.name, method.mountPath, index, reason);
        return result;
      } catch (error) {
        if (error instanceof TokenManagerStoppedError) throw error;
        // Methods reject with AuthLoginError; anything else (a credential provider's error, which
        // may quote the credential) is reduced to a login error that keeps only its name.
        const failure =
          error instanceof AuthLoginError ? error : toAuthLoginError(targetOf(method), "POST", `auth/${method.mountPath}/login`, error);
        failures.push(failure);
        this.#emit("login-failed", { method: method.name, mountPath: method.mountPath, chainIndex: index, error: failure });
        const next = this.methods[index + 1];
        if (next) this.#emit("fallback", { from: method.name, to: next.name, error: failure });
      }
    }
    const attempt = ++this.#loginFailures;
    this.#loginRetryAt = this.clock.now() + backoffDelay(attempt - 1, this.backoff, this.random);
    this.#lastChainError = new AuthChainError(failures);
    throw this.#lastChainError;
  }

  /**
   * The requester the auth methods log in through: while a token is still valid, each request
   * must end in time to keep it (half its remaining life); with no valid token, the requester's
   * own deadline applies (a login then waits for the server to come back).
   */
  #boundedRequester(): Requester {
    const current = this.#current;
    const remaining = current ? current.expiresAt - this.clock.now() : Infinity;
    if (!(remaining > 0 && remaining < Infinity)) return this.requester;
    const deadlineMs = tokenOperationDeadlineMs(remaining);
    return {
      request: <T>(req: VaultRequest, policy: RequestPolicy): Promise<VaultResponse<T>> =>
        this.requester.request<T>(
          { ...req, signal: req.signal ? AbortSignal.any([req.signal, AbortSignal.timeout(deadlineMs)]) : AbortSignal.timeout(deadlineMs) },
          withDeadline(policy, Math.min(deadlineMs, policy.deadlineMs ?? Infinity)),
        ),
      setToken: (token) => this.requester.setToken(token),
    };
  }

  /**
   * The server can serve again: resume token upkeep now rather than after the backoff that the
   * outage built up — renew a token whose renewals failed, log in when logins failed.
   */
  #recovered(): void {
    if (this.#stopped) return;
    const current = this.#current;
    if (current && this.#renewFailures > 0 && current.result.renewable && !current.capped) {
      this.#setTimer(0, () => this.#renew());
    } else if (this.#lastChainError) {
      this.#loginRetryAt = 0;
      this.#setTimer(0, () => this.#expireAndRelogin());
    }
  }

  #install(result: AuthResult, method: string, mountPath: string, chainIndex: number, reason: LoginReason): void {
    const ttl = result.leaseDurationSeconds;
    this.#generation++;
    this.#renewFailures = 0;
    this.#current = {
      result,
      expiresAt: ttl > 0 ? this.clock.now() + ttl * 1000 : Infinity,
      increment: ttl,
      capped: false,
    };
    this.#currentMethod = method;
    this.requester.setToken(result.clientToken);
    this.#emit("login", {
      method,
      mountPath,
      chainIndex,
      reason,
      accessor: result.accessor,
      ttlSeconds: ttl,
      renewable: result.renewable,
      policies: result.policies,
    });
    this.#scheduleNext(ttl);
  }

  /** Plan the next step for a token with `ttlSeconds` left: renewal, or a new login. */
  #scheduleNext(ttlSeconds: number): void {
    const current = this.#current;
    if (!current || ttlSeconds <= 0) return this.#clearTimer();
    const delay = renewalDelayMs(ttlSeconds, this.timing, this.random);
    if (current.result.renewable && !current.capped) this.#setTimer(delay, () => this.#renew());
    else this.#setTimer(delay, () => this.#relogin());
  }

  async #renew(): Promise<void> {
    const current = this.#current;
    if (!current) return;
    const generation = this.#generation;
    let renewed: AuthResult;
    try {
      // Renewing is safe to repeat, and it must end in time for a retry or a login before expiry.
      const deadlineMs = tokenOperationDeadlineMs(current.expiresAt - this.clock.now());
      const answer = await this.requester.request<VaultAuthResponseBody>(
        {
          method: "POST",
          path: "auth/token/renew-self",
          body: { increment: `${current.increment}s` },
          ...asToken(current.result.clientToken),
          signal: AbortSignal.timeout(deadlineMs),
        },
        withDeadline(POLICIES.idempotentWrite, deadlineMs),
      );
      const auth = answer.body?.auth;
      if (!auth) throw new VaultHttpError("POST", "auth/token/renew-self", answer.status, ["the answer carried no auth block"], undefined);
      renewed = authResultFrom(auth);
    } catch (error) {
      if (generation !== this.#generation || this.#stopped) return;
      return this.#renewFailed(current, error instanceof Error ? error : new Error("renewal failed"));
    }
    if (generation !== this.#generation || this.#stopped) return;
    this.#renewFailures = 0;
    const ttl = renewed.leaseDurationSeconds;
    current.expiresAt = this.clock.now() + ttl * 1000;
    const truncated = ttl < current.increment;
    current.capped = truncated || !renewed.renewable;
    this.#emit("token-renewed", { accessor: current.result.accessor, ttlSeconds: ttl, truncated });
    this.#scheduleNext(ttl);
  }

  #renewFailed(current: Current, error: Error): void {
    if (isRefusal(error)) {
      // Vault will not renew this token (not renewable, no permission, revoked): replace it.
      current.capped = true;
      this.#emit("renewal-failed", { accessor: current.result.accessor, attempt: this.#renewFailures + 1, retryInMs: undefined, error });
      void this.#relogin();
      return;
    }
    const attempt = ++this.#renewFailures;
    const delay = backoffDelay(attempt - 1, this.backoff, this.random);
    const retryAt = this.clock.now() + delay;
    const retryInMs = retryAt < current.expiresAt ? delay : undefined;
    this.#emit("renewal-failed", { accessor: current.result.accessor, attempt, retryInMs, error });
    if (retryInMs !== undefined) return this.#setTimer(delay, () => this.#renew());
    // No renewal retry fits before expiry: make a last login attempt half-way to it, so a server
    // that is back (or a renewal-only failure) does not leave the application without a token.
    this.#setTimer((current.expiresAt - this.clock.now()) / 2, () => this.#relogin());
  }

  /** Replace the token by a new login; on failure keep the old one while valid and back off. */
  async #relogin(): Promise<void> {
    if (this.#stopped) return;
    const before = this.#current;
    try {
      await this.#login(before ? "re-login" : this.#generation > 0 ? "after-expiry" : "initial");
    } catch {
      if (this.#stopped) return;
      const delay = Math.max(0, this.#loginRetryAt - this.clock.now());
      const current = this.#current;
      if (current && this.clock.now() + delay >= current.expiresAt) {
        this.#setTimer(current.expiresAt - this.clock.now(), () => this.#expireAndRelogin());
      } else {
        this.#setTimer(delay, () => this.#relogin());
      }
    }
  }

  async #expireAndRelogin(): Promise<void> {
    if (this.#current && this.clock.now() >= this.#current.expiresAt) this.#expire();
    await this.#relogin();
  }

  /** Drop an expired token: it is useless now, and keeping it would only produce 403s. */
  #expire(reason: "ttl" | "refused" = "ttl"): void {
    const current = this.#current;
    if (!current) return;
    this.#current = undefined;
    this.#generation++;
    this.#clearTimer();
    this.requester.setToken(undefined);
    this.#emit("token-expired", { accessor: current.result.accessor, reason });
  }

  /**
   * A request sent with the token was refused (403). Vault says the same for a missing policy
   * and for a dead token, so look the token up: if the server refuses that too, the token was
   * revoked or lost before its time — drop it and log in at once, instead of serving 403s until
   * the next scheduled renewal. A policy denial, or a server that cannot answer, changes nothing.
   * One check at a time, at most one per second however many requests are refused.
   */
  #tokenRefused(): void {
    const current = this.#current;
    if (this.#stopped || !current || this.#refusalCheck) return;
    const now = this.clock.now();
    if (now - this.#lastRefusalCheckAt < REFUSAL_CHECK_INTERVAL_MS) return;
    this.#lastRefusalCheckAt = now;
    this.#refusalCheck = this.#checkRefusedToken(current).finally(() => {
      this.#refusalCheck = undefined;
    });
  }

  async #checkRefusedToken(current: Current): Promise<void> {
    try {
      const deadlineMs = tokenOperationDeadlineMs(current.expiresAt - this.clock.now());
      await this.requester.request(
        { method: "GET", path: "auth/token/lookup-self", ...asToken(current.result.clientToken) },
        withDeadline(POLICIES.read, deadlineMs),
      );
      return;
    } catch (error) {
      if (!(error instanceof VaultHttpError && error.status === 403)) return;
    }
    if (this.#stopped || this.#current !== current) return;
    this.#expire("refused");
    await this.#relogin();
  }

  #setTimer(delayMs: number, action: () => Promise<void>): void {
    this.#clearTimer();
    if (this.#stopped) return;
    this.#cancelTimer = this.clock.schedule(
      () => {
        this.#cancelTimer = undefined;
        action().catch(() => undefined);
      },
      Math.max(0, delayMs),
    );
  }

  #clearTimer(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  /** Emit without letting a throwing listener break the renewal loop. */
  #emit<K extends keyof TokenManagerEvents>(event: K, ...args: TokenManagerEvents[K]): void {
    try {
      (this.emit as (name: K, ...rest: TokenManagerEvents[K]) => boolean)(event, ...args);
    } catch {
      // A listener's failure is the listener's problem; the token lifecycle carries on.
    }
  }
}

/** A 4xx answer to renew-self means Vault refuses to renew (not renewable, revoked, no permission). */
function isRefusal(error: Error): boolean {
  return error instanceof VaultHttpError && error.status >= 400 && error.status < 500 && error.status !== 429 && error.status !== 412;
}

/** Request fields that make one request run as `token`, whatever token the requester holds. */
/** Shortest time between two checks of a refused token (a burst of 403s makes one check). */
const REFUSAL_CHECK_INTERVAL_MS = 1_000;

function asToken(token: string): { unauthenticated: true; headers: Record<string, string> } {
  return { unauthenticated: true, headers: { "x-vault-token": token } };
}

/** How long a caller of {@link TokenManager.token} or {@link TokenManager.login} is willing to wait. */
export interface TokenWaitOptions {
  /** Abort to stop waiting; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("The operation was aborted", "AbortError");
}

/** `work`, or the abort of `signal` if that comes first (`work` itself runs on for others). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
