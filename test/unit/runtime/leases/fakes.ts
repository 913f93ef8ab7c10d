/**
 * Test doubles for the LeaseManager's unit tests: an in-memory stand-in for the database engine
 * and `sys/leases` (leases with a default and a max TTL counted from issue, renewals capped by
 * it, revocation, scripted failures) driven by the fake clock, and a token source that emits a
 * TokenManager's events. The real engine and leases are covered by
 * test/integration/runtime/engines/database.test.ts and test/integration/runtime/leases/.
 */
import { EventEmitter } from "node:events";
import {
  Requester,
  RequestPolicy,
  TokenInfo,
  TokenManagerEvents,
  VaultConnectionError,
  VaultHttpError,
  VaultRequest,
  VaultResponse,
} from "../../../../runtime";
import { FakeClock } from "../auth/fakes";

export { FakeClock, flush } from "../auth/fakes";

interface FakeLease {
  readonly id: string;
  readonly issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

/** One request the fake saw. */
export interface SeenRequest {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly policy: RequestPolicy;
}

/** The database engine and `sys/leases` of one fake server, on the fake clock. */
export class FakeDatabaseVault implements Requester {
  public readonly requests: SeenRequest[] = [];
  public readonly leases = new Map<string, FakeLease>();
  /** When set, `creds/` requests fail with this. */
  public failCreds: (() => Error) | undefined;
  /** When set, renewals fail with this. */
  public failRenew: (() => Error) | undefined;
  /** When set, revocations fail with this. */
  public failRevoke: (() => Error) | undefined;
  /** When set, every request waits for it before being answered (a request in flight). */
  public gate: Promise<void> | undefined;

  /** The lease manager never changes the token. */
  setToken(): void {}
  private issued = 0;

  /**
   * @param clock the fake clock leases are timed by
   * @param defaultTtl the role's `default_ttl`, seconds
   * @param maxTtl the role's `max_ttl`, seconds
   */
  constructor(
    private readonly clock: FakeClock,
    public defaultTtl = 60,
    public maxTtl = 300,
  ) {}

  /** `creds/` requests so far. */
  get credsRequests(): number {
    return this.requests.filter((r) => r.path.includes("/creds/")).length;
  }

  /** Requests to `path` so far. */
  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  /** Whether `leaseId` is alive now. */
  alive(leaseId: string): boolean {
    const lease = this.leases.get(leaseId);
    return lease !== undefined && !lease.revoked && this.clock.now() < lease.expiresAt;
  }

  async request<T>(req: VaultRequest, policy: RequestPolicy): Promise<VaultResponse<T>> {
    const now = this.clock.now();
    this.requests.push({ at: now, method: req.method, path: req.path, body: req.body, policy });
    await (this.gate ?? Promise.resolve());
    const creds = /^([^/]+)\/creds\/([^/]+)$/.exec(req.path);
    if (creds && req.method === "GET") {
      if (this.failCreds) throw this.failCreds();
      if (creds[2] === "missing") throw new VaultHttpError("GET", req.path, 400, [`unknown role: ${creds[2]}`], "req-x");
      const n = ++this.issued;
      const id = `${creds[1]}/creds/${creds[2]}/lease-${n}`;
      const ttl = Math.min(this.defaultTtl, this.maxTtl);
      this.leases.set(id, { id, issuedAt: now, expiresAt: now + ttl * 1000, revoked: false });
      return this.answer<T>({
        request_id: `req-${n}`,
        lease_id: id,
        lease_duration: ttl,
        renewable: true,
        data: { username: `v-${creds[2]}-${n}`, password: `secret-password-${n}` },
      });
    }
    const body = (req.body ?? {}) as { lease_id?: string; increment?: string };
    if (req.path === "sys/leases/renew") {
      if (this.failRenew) throw this.failRenew();
      const lease = this.leases.get(body.lease_id ?? "");
      if (!lease || lease.revoked) throw new VaultHttpError("POST", req.path, 400, ["lease not found"], "req-r");
      if (now >= lease.expiresAt) throw new VaultHttpError("POST", req.path, 400, ["lease expired"], "req-r");
      const increment = body.increment ? Number(body.increment.replace(/s$/, "")) : this.defaultTtl;
      const ttl = Math.max(0, Math.min(increment, Math.floor((lease.issuedAt + this.maxTtl * 1000 - now) / 1000)));
      lease.expiresAt = now + ttl * 1000;
      return this.answer<T>({ request_id: "req-r", lease_id: lease.id, lease_duration: ttl, renewable: true });
    }
    if (req.path === "sys/leases/revoke") {
      if (this.failRevoke) throw this.failRevoke();
      const lease = this.leases.get(body.lease_id ?? "");
      if (lease) lease.revoked = true;
      return { status: 204, body: undefined };
    }
    throw new VaultHttpError(req.method, req.path, 404, [], undefined);
  }

  private answer<T>(body: unknown): VaultResponse<T> {
    return { status: 200, body: body as T };
  }
}

/** What a failing server or network looks like to the runtime. */
export function outage(): Error {
  return new VaultConnectionError(
    "GET",
    "database/creds/app",
    "http://127.0.0.1:1",
    Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
  );
}

/** What a failing database looks like behind a working Vault. */
export function databaseDown(path = "database/creds/app"): Error {
  return new VaultHttpError("GET", path, 500, ["error creating user: connection refused"], "req-db");
}

/** A TokenManager's events and current token, emitted by the test. */
export class FakeTokens extends EventEmitter<TokenManagerEvents> {
  public info: TokenInfo | undefined;

  constructor(accessor: string, expiresAt: number) {
    super();
    this.info = { accessor, policies: ["app"], expiresAt, renewable: true, method: "approle" };
  }

  /** Emit a login of `accessor` for `reason`. */
  login(accessor: string, ttlSeconds: number, reason: "re-login" | "after-expiry" | "initial"): void {
    this.emit("login", {
      method: "approle",
      mountPath: "approle",
      chainIndex: 0,
      reason,
      accessor,
      ttlSeconds,
      renewable: true,
      policies: ["app"],
    });
  }
}
