/**
 * Database secrets engine: dynamic credentials (`creds/:role`, one database user per lease),
 * static roles (`static-creds/:role`, `rotate-role/:role`), root rotation
 * (`rotate-root/:connection`), and the leases dynamic credentials come with (`sys/leases/renew`,
 * `sys/leases/revoke`, `sys/leases/lookup`).
 *
 * Passwords are held in {@link DatabaseCredentials} and {@link StaticDatabaseCredentials}, which
 * show them nowhere — not in `util.inspect`, `JSON.stringify` nor `String()` — unless read by
 * name (`credentials.password`).
 *
 * OpenBao facts this module relies on (builtin/logical/database and vault/logical_system in
 * OpenBao 2.6.1):
 * - `creds/:role` is a read (GET) that *creates* a database user and a lease: it is sent to the
 *   active node and retried only when it certainly never ran, so a retry never leaves an orphan
 *   user. The lease's TTL is the role's `default_ttl`; renewals never go past its `max_ttl`,
 *   counted from the lease's issue time.
 * - `sys/leases/renew` answers the lease's new `lease_duration`: less than the increment asked
 *   for means the max TTL cut it short, and the credentials must be replaced before it ends.
 * - `sys/leases/revoke` of an unknown (already revoked) lease answers 204, like a first revoke:
 *   revoking is idempotent. It runs synchronously (`sync: true`): when it returns, the database
 *   user is dropped.
 * - `static-creds/:role` returns the current password of a user the database engine rotates; it
 *   has no lease. `rotate-role/:role` and `rotate-root/:connection` answer 204.
 */
import { inspect } from "node:util";
import { POLICIES, RequestPolicy, Requester } from "../transport/requester";
import { DatabaseInputError, classifyConnectionError, classifyLeaseError, classifyRoleError } from "./database-errors";
import { durationSeconds } from "./pki-parse";

/** What a redacted credential shows in logs and JSON. */
export interface RedactedCredentials {
  /** The database user name (not a secret: it shows in the database's own logs). */
  readonly username: string;
  /** Always true: the password itself is never serialised. */
  readonly redacted: true;
}

/** A database user name and password whose password shows nowhere unless read by name. */
export class DatabaseLogin {
  /** The database user name. */
  public readonly username: string;
  readonly #password: string;

  /** @internal */
  constructor(username: string, password: string) {
    this.username = username;
    this.#password = password;
  }

  /** The password (read it only to hand it to the database driver). */
  get password(): string {
    return this.#password;
  }

  /** What `util.inspect` shows: the user name only. */
  [inspect.custom](): string {
    return `${this.constructor.name}(${this.username}, password redacted)`;
  }

  /** What `JSON.stringify` shows: the user name only. */
  toJSON(): RedactedCredentials {
    return { username: this.username, redacted: true };
  }

  /** What `String()` and template literals show: the user name only. */
  toString(): string {
    return `[${this.constructor.name} ${this.username}]`;
  }
}

/** Dynamic credentials: a database user that lives as long as its lease. */
export class DatabaseCredentials extends DatabaseLogin {
  /** Mount they came from. */
  public readonly mount: string;
  /** Role they were created for. */
  public readonly role: string;
  /** Lease id (renew and revoke with it). Not a secret: it grants nothing without a token allowed to use `sys/leases`. */
  public readonly leaseId: string;
  /** Lease TTL when issued, in seconds. */
  public readonly leaseDurationSeconds: number;
  /** Whether the lease may be renewed. */
  public readonly renewable: boolean;
  /** Vault's request id, for the audit log. */
  public readonly requestId: string | undefined;
  /** OpenBao's warnings. */
  public readonly warnings: readonly string[];

  /** @internal */
  constructor(fields: {
    mount: string;
    role: string;
    username: string;
    password: string;
    leaseId: string;
    leaseDurationSeconds: number;
    renewable: boolean;
    requestId: string | undefined;
    warnings: readonly string[];
  }) {
    super(fields.username, fields.password);
    this.mount = fields.mount;
    this.role = fields.role;
    this.leaseId = fields.leaseId;
    this.leaseDurationSeconds = fields.leaseDurationSeconds;
    this.renewable = fields.renewable;
    this.requestId = fields.requestId;
    this.warnings = fields.warnings;
  }
}

/** The current password of a static role's user (no lease: the engine rotates it). */
export class StaticDatabaseCredentials extends DatabaseLogin {
  /** Static role name. */
  public readonly role: string;
  /** Seconds until the next scheduled rotation. */
  public readonly ttlSeconds: number;
  /** Rotation period of the role, in seconds. */
  public readonly rotationPeriodSeconds: number;
  /** When the engine last rotated the password. */
  public readonly lastVaultRotation: Date | undefined;

  /** @internal */
  constructor(fields: {
    role: string;
    username: string;
    password: string;
    ttlSeconds: number;
    rotationPeriodSeconds: number;
    lastVaultRotation: Date | undefined;
  }) {
    super(fields.username, fields.password);
    this.role = fields.role;
    this.ttlSeconds = fields.ttlSeconds;
    this.rotationPeriodSeconds = fields.rotationPeriodSeconds;
    this.lastVaultRotation = fields.lastVaultRotation;
  }
}

/** What a renewal granted. */
export interface LeaseRenewal {
  /** The lease renewed. */
  readonly leaseId: string;
  /** TTL from now, in seconds. Less than the increment asked for: the max TTL cut it short. */
  readonly leaseDurationSeconds: number;
  /** Whether it may be renewed again. */
  readonly renewable: boolean;
  /** OpenBao's warnings (e.g. that the TTL was capped). */
  readonly warnings: readonly string[];
  /** Vault's request id. */
  readonly requestId: string | undefined;
}

/** What `sys/leases/lookup` says about a lease. */
export interface LeaseLookup {
  /** The lease. */
  readonly leaseId: string;
  /** Seconds left. */
  readonly ttlSeconds: number;
  /** Whether it may be renewed. */
  readonly renewable: boolean;
  /** When it was issued. */
  readonly issueTime: Date | undefined;
  /** When it expires. */
  readonly expireTime: Date | undefined;
}

/** Per-call options of the lease calls. */
export interface LeaseCallOptions {
  /** Deadline of the call, retries included, in ms. @default the client's */
  readonly deadlineMs?: number;
}

interface RawCredsResponse {
  readonly request_id?: string;
  readonly lease_id?: string;
  readonly lease_duration?: number;
  readonly renewable?: boolean;
  readonly warnings?: readonly string[] | null;
  readonly data?: { readonly username?: string; readonly password?: string };
}

interface RawRenewResponse {
  readonly request_id?: string;
  readonly lease_id?: string;
  readonly lease_duration?: number;
  readonly renewable?: boolean;
  readonly warnings?: readonly string[] | null;
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function withDeadline(policy: RequestPolicy, options: LeaseCallOptions | undefined): RequestPolicy {
  return options?.deadlineMs === undefined ? policy : { ...policy, deadlineMs: options.deadlineMs };
}

/** `sys/leases/*`: renew, revoke and look up a lease of any engine. */
export class LeasesApi {
  /** @param requester how requests are sent */
  constructor(private readonly requester: Requester) {}

  /**
   * Renew `leaseId` by `increment` (seconds or a Vault duration; @default the engine's TTL) —
   * `POST sys/leases/renew`. Safe to repeat. A lease Vault will never renew again (revoked,
   * expired, not renewable) rejects with `LeaseRefusedError`.
   */
  async renew(leaseId: string, increment?: string | number, options?: LeaseCallOptions): Promise<LeaseRenewal> {
    const path = "sys/leases/renew";
    const id = checkLeaseId(leaseId, "POST", path);
    const body: Record<string, unknown> = { lease_id: id };
    if (increment !== undefined) body.increment = seconds(increment, "POST", path, "increment");
    try {
      const res = await this.requester.request<RawRenewResponse>(
        { method: "POST", path, body },
        withDeadline(POLICIES.idempotentWrite, options),
      );
      const b = res.body;
      return {
        leaseId: b?.lease_id || id,
        leaseDurationSeconds: b?.lease_duration ?? 0,
        renewable: b?.renewable ?? false,
        warnings: b?.warnings ?? [],
        requestId: b?.request_id,
      };
    } catch (error) {
      throw classifyLeaseError(error, id);
    }
  }

  /**
   * Revoke `leaseId` now (`POST sys/leases/revoke`, synchronous: the database user is gone when
   * this resolves). Revoking a lease that no longer exists succeeds too.
   */
  async revoke(leaseId: string, options?: LeaseCallOptions): Promise<void> {
    const path = "sys/leases/revoke";
    const id = checkLeaseId(leaseId, "POST", path);
    await this.requester.request({ method: "POST", path, body: { lease_id: id } }, withDeadline(POLICIES.idempotentWrite, options));
  }

  /** What Vault knows about `leaseId` (`POST sys/leases/lookup`); rejects with `LeaseRefusedError` (`not-found`) when it is gone. */
  async lookup(leaseId: string, options?: LeaseCallOptions): Promise<LeaseLookup> {
    const path = "sys/leases/lookup";
    const id = checkLeaseId(leaseId, "POST", path);
    try {
      const res = await this.requester.request<{
        data?: { id?: string; ttl?: number; renewable?: boolean; issue_time?: string; expire_time?: string | null };
      }>({ method: "POST", path, body: { lease_id: id } }, withDeadline(POLICIES.read, options));
      const d = res.body?.data ?? {};
      return {
        leaseId: d.id ?? id,
        ttlSeconds: d.ttl ?? 0,
        renewable: d.renewable ?? false,
        issueTime: d.issue_time ? new Date(d.issue_time) : undefined,
        expireTime: d.expire_time ? new Date(d.expire_time) : undefined,
      };
    } catch (error) {
      throw classifyLeaseError(error, id);
    }
  }
}

function checkLeaseId(leaseId: string, method: string, path: string): string {
  const id = leaseId.trim();
  if (id.length === 0) throw new DatabaseInputError(method, path, "lease_id", "must not be empty");
  return id;
}

function seconds(value: string | number, method: string, path: string, field: string): string {
  try {
    return `${Math.round(durationSeconds(value))}s`;
  } catch (error) {
    throw new DatabaseInputError(method, path, field, error instanceof Error ? error.message : String(error));
  }
}

function checkName(value: string, what: string, method: string, path: string, field: string): string {
  const trimmed = value.trim().replace(/^\/+|\/+$/g, "");
  if (trimmed.length === 0) throw new DatabaseInputError(method, path, field, `${what} must not be empty`);
  if (trimmed.split("/").some((s) => s === ".." || s === "."))
    throw new DatabaseInputError(method, path, field, `${what} must not contain "." or ".." segments: "${value}"`);
  return trimmed;
}

/** One database secrets engine mount. */
export class DatabaseApi {
  /** Mount path without slashes, e.g. `database`. */
  public readonly mount: string;
  /** The lease calls (`sys/leases/*`). */
  public readonly leases: LeasesApi;

  /**
   * @param requester how requests are sent
   * @param mount mount path, e.g. `database`
   */
  constructor(
    private readonly requester: Requester,
    mount: string,
  ) {
    this.mount = checkName(mount, "database mount path", "GET", mount, "mount");
    this.leases = new LeasesApi(requester);
  }

  private path(...segments: string[]): string {
    return [encodePath(this.mount), ...segments].join("/");
  }

  /**
   * New dynamic credentials of `role` (`GET :mount/creds/:role`): a fresh database user and its
   * lease. Sent to the active node and retried only when it certainly never ran. An unknown role
   * rejects with `DatabaseRoleNotFoundError`, a role the connection does not allow with
   * `DatabaseRoleNotAllowedError`.
   */
  async credentials(role: string, options?: LeaseCallOptions): Promise<DatabaseCredentials> {
    const name = checkName(role, "database role", "GET", this.path("creds"), "role");
    const path = this.path("creds", encodeURIComponent(name));
    let res;
    try {
      res = await this.requester.request<RawCredsResponse>({ method: "GET", path }, withDeadline(POLICIES.creatingWrite, options));
    } catch (error) {
      throw classifyRoleError(error, name, "dynamic");
    }
    const b = res.body;
    if (!b?.data?.username || b.data.password === undefined || !b.lease_id) {
      throw new TypeError(`GET ${path} returned no username, password or lease (is the role's credential_type "password"?)`);
    }
    return new DatabaseCredentials({
      mount: this.mount,
      role: name,
      username: b.data.username,
      password: b.data.password,
      leaseId: b.lease_id,
      leaseDurationSeconds: b.lease_duration ?? 0,
      renewable: b.renewable ?? false,
      requestId: b.request_id,
      warnings: b.warnings ?? [],
    });
  }

  /** The current credentials of static role `role` (`GET :mount/static-creds/:role`). */
  async staticCredentials(role: string): Promise<StaticDatabaseCredentials> {
    const name = checkName(role, "static role", "GET", this.path("static-creds"), "role");
    const path = this.path("static-creds", encodeURIComponent(name));
    let res;
    try {
      res = await this.requester.request<{
        data?: { username?: string; password?: string; ttl?: number; rotation_period?: number; last_vault_rotation?: string };
      }>({ method: "GET", path }, POLICIES.read);
    } catch (error) {
      throw classifyRoleError(error, name, "static");
    }
    const d = res.body?.data;
    if (!d?.username || d.password === undefined) throw new TypeError(`GET ${path} returned no username or password`);
    return new StaticDatabaseCredentials({
      role: name,
      username: d.username,
      password: d.password,
      ttlSeconds: d.ttl ?? 0,
      rotationPeriodSeconds: d.rotation_period ?? 0,
      lastVaultRotation: d.last_vault_rotation ? new Date(d.last_vault_rotation) : undefined,
    });
  }

  /** Rotate the password of static role `role` now (`POST :mount/rotate-role/:role`). */
  async rotateRole(role: string): Promise<void> {
    const name = checkName(role, "static role", "POST", this.path("rotate-role"), "role");
    const path = this.path("rotate-role", encodeURIComponent(name));
    try {
      await this.requester.request({ method: "POST", path }, POLICIES.creatingWrite);
    } catch (error) {
      throw classifyRoleError(error, name, "static");
    }
  }

  /**
   * Rotate the password Vault connects to the database with (`POST :mount/rotate-root/:connection`):
   * afterwards only Vault knows it. An unknown connection rejects with `DatabaseConnectionNotFoundError`.
   */
  async rotateRoot(connection: string): Promise<void> {
    const name = checkName(connection, "connection name", "POST", this.path("rotate-root"), "connection");
    const path = this.path("rotate-root", encodeURIComponent(name));
    try {
      await this.requester.request({ method: "POST", path }, POLICIES.creatingWrite);
    } catch (error) {
      throw classifyConnectionError(error, name);
    }
  }

  /** Renew a lease (see {@link LeasesApi.renew}). */
  renew(leaseId: string, increment?: string | number, options?: LeaseCallOptions): Promise<LeaseRenewal> {
    return this.leases.renew(leaseId, increment, options);
  }

  /** Revoke a lease now (see {@link LeasesApi.revoke}). */
  revoke(leaseId: string, options?: LeaseCallOptions): Promise<void> {
    return this.leases.revoke(leaseId, options);
  }
}
