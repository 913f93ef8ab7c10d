/**
 * The database engine's requests and error mapping, against a scripted requester. The real
 * engine (PostgreSQL and Cassandra behind a real OpenBao) is covered by
 * test/integration/runtime/engines/database.test.ts; here: the exact request each call sends and
 * its retry policy, what is refused before sending, and how OpenBao's wording becomes a type.
 */
import { inspect } from "node:util";
import {
  DatabaseApi,
  DatabaseConnectionNotFoundError,
  DatabaseInputError,
  DatabaseRoleNotAllowedError,
  DatabaseRoleNotFoundError,
  LeaseRefusedError,
  RequestPolicy,
  Requester,
  VaultHttpError,
  VaultRequest,
  VaultResponse,
} from "../../../../runtime";
import { classifyLeaseError } from "../../../../runtime/engines/database-errors";

class Scripted implements Requester {
  public readonly sent: { req: VaultRequest; policy: RequestPolicy }[] = [];
  constructor(private readonly answer: (req: VaultRequest) => VaultResponse<unknown>) {}
  /** The engine under test never changes the token. */
  setToken(): void {}
  async request<T>(req: VaultRequest, policy: RequestPolicy): Promise<VaultResponse<T>> {
    this.sent.push({ req, policy });
    return this.answer(req) as VaultResponse<T>;
  }
}

const refusal = (status: number, message: string) => (req: VaultRequest) => {
  throw new VaultHttpError(req.method, req.path, status, [message], "req-1");
};

describe("DatabaseApi", () => {
  it("creates credentials with a state-creating GET on the mount, holding the password out of sight", async () => {
    const requester = new Scripted(() => ({
      status: 200,
      body: {
        request_id: "r1",
        lease_id: "db/prod/creds/app/abc",
        lease_duration: 3600,
        renewable: true,
        data: { username: "v-app-x", password: "p4ssw0rd-value" },
      },
    }));
    const creds = await new DatabaseApi(requester, "/db/prod/").credentials("app", { deadlineMs: 1_234 });
    expect(requester.sent).toEqual([
      { req: { method: "GET", path: "db/prod/creds/app" }, policy: { retryClass: "state-creating", kind: "write", deadlineMs: 1_234 } },
    ]);
    expect(creds).toMatchObject({
      mount: "db/prod",
      role: "app",
      username: "v-app-x",
      leaseId: "db/prod/creds/app/abc",
      leaseDurationSeconds: 3600,
      renewable: true,
      requestId: "r1",
    });
    expect(creds.password).toBe("p4ssw0rd-value");
    for (const shown of [inspect(creds), JSON.stringify(creds), String(creds), `${creds}`, inspect({ nested: [creds] }, { depth: 5 })]) {
      expect(shown).not.toContain("p4ssw0rd-value");
    }
    expect(JSON.parse(JSON.stringify(creds))).toEqual({ username: "v-app-x", redacted: true });
  });

  it("renews and revokes through sys/leases with idempotent writes, the increment in seconds", async () => {
    const requester = new Scripted((req) =>
      req.path === "sys/leases/renew"
        ? { status: 200, body: { lease_id: "database/creds/app/1", lease_duration: 120, renewable: true, warnings: ["capped"] } }
        : { status: 204, body: undefined },
    );
    const api = new DatabaseApi(requester, "database");
    expect(await api.renew("database/creds/app/1", "2m")).toEqual({
      leaseId: "database/creds/app/1",
      leaseDurationSeconds: 120,
      renewable: true,
      warnings: ["capped"],
      requestId: undefined,
    });
    await api.revoke("database/creds/app/1");
    expect(requester.sent.map((s) => [s.req.path, s.req.body, s.policy.retryClass])).toEqual([
      ["sys/leases/renew", { lease_id: "database/creds/app/1", increment: "120s" }, "idempotent"],
      ["sys/leases/revoke", { lease_id: "database/creds/app/1" }, "idempotent"],
    ]);
  });

  it("refuses empty names, lease ids and bad increments before sending anything", async () => {
    const requester = new Scripted(() => ({ status: 204, body: undefined }));
    const api = new DatabaseApi(requester, "database");
    await expect(api.credentials(" / ")).rejects.toMatchObject({ constructor: DatabaseInputError, field: "role" });
    await expect(api.staticCredentials("a/../b")).rejects.toMatchObject({ constructor: DatabaseInputError, field: "role" });
    await expect(api.rotateRoot("")).rejects.toMatchObject({ constructor: DatabaseInputError, field: "connection" });
    await expect(api.renew("")).rejects.toMatchObject({ constructor: DatabaseInputError, field: "lease_id" });
    await expect(api.renew("x", -5)).rejects.toMatchObject({ constructor: DatabaseInputError, field: "increment" });
    await expect(api.revoke("  ")).rejects.toBeInstanceOf(DatabaseInputError);
    expect(() => new DatabaseApi(requester, "/")).toThrow(DatabaseInputError);
    expect(requester.sent).toEqual([]);
  });

  it("turns OpenBao's wording into typed errors, keeping status and request id", async () => {
    const cases: [string, (api: DatabaseApi) => Promise<unknown>, Scripted, object][] = [
      [
        "unknown dynamic role",
        (api) => api.credentials("nope"),
        new Scripted(refusal(400, "unknown role: nope")),
        { constructor: DatabaseRoleNotFoundError, role: "nope", kind: "dynamic" },
      ],
      [
        "unknown static role",
        (api) => api.rotateRole("nope"),
        new Scripted(refusal(400, "no static role found for role name")),
        { constructor: DatabaseRoleNotFoundError, kind: "static" },
      ],
      [
        "not allowed",
        (api) => api.credentials("x"),
        new Scripted(refusal(500, '"x" is not an allowed role')),
        { constructor: DatabaseRoleNotAllowedError, role: "x", status: 500 },
      ],
      [
        "unknown connection",
        (api) => api.rotateRoot("c"),
        new Scripted(refusal(500, 'failed to find entry for connection with name: "c"')),
        { constructor: DatabaseConnectionNotFoundError, connection: "c" },
      ],
      [
        "lease gone",
        (api) => api.renew("l"),
        new Scripted(refusal(400, "lease not found")),
        { constructor: LeaseRefusedError, reason: "not-found", requestId: "req-1" },
      ],
      [
        "past max",
        (api) => api.renew("l"),
        new Scripted(refusal(400, "failed to renew entry: resp: (*logical.Response)(nil) err: past the max TTL, cannot renew")),
        { constructor: LeaseRefusedError, reason: "expired" },
      ],
      [
        "not renewable",
        (api) => api.renew("l"),
        new Scripted(refusal(400, "lease is not renewable")),
        { constructor: LeaseRefusedError, reason: "not-renewable" },
      ],
    ];
    for (const [, call, requester, expected] of cases) {
      await expect(call(new DatabaseApi(requester, "database"))).rejects.toMatchObject(expected);
    }
  });

  it("leaves a failing database during renewal a plain error: it is no refusal of the lease", () => {
    const dbDown = new VaultHttpError(
      "POST",
      "sys/leases/renew",
      400,
      ["failed to renew entry: resp: (*logical.Response)(nil) err: dial tcp: connection refused"],
      undefined,
    );
    expect(classifyLeaseError(dbDown, "l")).toBe(dbDown);
    const outage = new VaultHttpError("POST", "sys/leases/renew", 503, ["Vault is sealed"], undefined);
    expect(classifyLeaseError(outage, "l")).toBe(outage);
  });
});
