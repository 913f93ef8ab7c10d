import { HttpTransport, VaultClient } from "../../../../runtime";
import {
  AppRoleAuth,
  FallbackEvent,
  KubernetesAuth,
  LoginEvent,
  LoginFailedEvent,
  TokenManager,
  TokenManagerEvents,
  TokenRenewedEvent,
} from "../../../../runtime";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { selectedFlavors } from "../../../support/server-binaries";
import { admin, enableAuth, writePolicy } from "../../../support/vault-admin";

/** Resolve once `manager` has emitted `event` `count` times in total (fails the test after 60 s). */
function waitForEvents<K extends keyof TokenManagerEvents>(
  manager: TokenManager,
  event: K,
  seen: () => number,
  count: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${seen()} ${String(event)} events, wanted ${count}`)), 60_000);
    const check = (): void => {
      if (seen() >= count) {
        clearTimeout(timer);
        manager.off(event, check as never);
        resolve();
      }
    };
    manager.on(event, check as never);
    check();
  });
}

describe.each(selectedFlavors())("TokenManager against a real %s server", (flavor) => {
  let server: DevServer;
  let transport: HttpTransport;
  let roleId: string;
  let secretId: string;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    await enableAuth(server, "approle");
    await writePolicy(server, "app", 'path "secret/data/app/*" { capabilities = ["read", "create", "update"] }');
    await admin(server, "POST", "auth/approle/role/short", { token_policies: ["app"], token_ttl: "4s", token_max_ttl: "12s" });
    await admin(server, "POST", "auth/approle/role/long", { token_policies: ["app"], token_ttl: "10m", token_max_ttl: "1h" });
    roleId = (await admin<{ data: { role_id: string } }>(server, "GET", "auth/approle/role/short/role-id")).data.role_id;
    secretId = (await admin<{ data: { secret_id: string } }>(server, "POST", "auth/approle/role/short/secret-id")).data.secret_id;
    transport = new HttpTransport({ address: server.address });
  });

  afterAll(async () => {
    await transport?.close();
    await server?.stop();
  });

  it("renews a short-lived token until its max TTL truncates a renewal, then logs in again", async () => {
    const manager = new TokenManager({ requester: transport, methods: [new AppRoleAuth({ roleId, secretId })] });
    const logins: LoginEvent[] = [];
    const renewals: TokenRenewedEvent[] = [];
    manager.on("login", (e) => logins.push(e));
    manager.on("token-renewed", (e) => renewals.push(e));
    try {
      const first = await manager.token();
      await waitForEvents(manager, "login", () => logins.length, 2);
      const second = await manager.token();
      expect(second).not.toBe(first);
      expect(logins.map((e) => e.reason)).toEqual(["initial", "re-login"]);
      const beforeRelogin = renewals.filter((r) => r.accessor === logins[0].accessor);
      expect(beforeRelogin.length).toBeGreaterThanOrEqual(2);
      expect(beforeRelogin.slice(0, -1).every((r) => !r.truncated && r.ttlSeconds === 4)).toBe(true);
      expect(beforeRelogin[beforeRelogin.length - 1].truncated).toBe(true);
      transport.setToken(second);
      const written = await transport.send<{ data: { version: number } }>({
        method: "POST",
        path: "secret/data/app/probe",
        body: { data: { n: 1 } },
      });
      expect(written.body?.data.version).toBeGreaterThanOrEqual(1);
    } finally {
      await manager.stop();
    }
  });

  it("logs in again at once when the server refuses to renew a revoked token", async () => {
    const longRoleId = (await admin<{ data: { role_id: string } }>(server, "GET", "auth/approle/role/long/role-id")).data.role_id;
    const longSecret = (await admin<{ data: { secret_id: string } }>(server, "POST", "auth/approle/role/long/secret-id")).data.secret_id;
    let renewAt = 0;
    const manager = new TokenManager({
      requester: transport,
      methods: [new AppRoleAuth({ roleId: longRoleId, secretId: longSecret })],
      clock: {
        now: () => Date.now(),
        schedule: (callback, delayMs) => {
          renewAt = delayMs;
          const timer = setTimeout(callback, delayMs > 60_000 ? 500 : delayMs);
          return () => clearTimeout(timer);
        },
      },
    });
    const logins: LoginEvent[] = [];
    manager.on("login", (e) => logins.push(e));
    try {
      await manager.token();
      expect(renewAt).toBeGreaterThan(600_000 * 0.5 - 1);
      expect(renewAt).toBeLessThan(600_000 * 0.8);
      await admin(server, "POST", "auth/token/revoke-accessor", { accessor: logins[0].accessor });
      await waitForEvents(manager, "login", () => logins.length, 2);
      expect(logins[1].reason).toBe("re-login");
      expect(logins[1].accessor).not.toBe(logins[0].accessor);
      const self = await transport.send<{ data: { accessor: string } }>({ method: "GET", path: "auth/token/lookup-self" });
      expect(self.body?.data.accessor).toBe(logins[1].accessor);
    } finally {
      await manager.stop();
    }
  });

  it("manages the token of a cluster-aware VaultClient through its transport-shaped requester", async () => {
    const longRoleId = (await admin<{ data: { role_id: string } }>(server, "GET", "auth/approle/role/long/role-id")).data.role_id;
    const longSecret = (await admin<{ data: { secret_id: string } }>(server, "POST", "auth/approle/role/long/secret-id")).data.secret_id;
    const client = new VaultClient({ address: server.address });
    const manager = new TokenManager({
      requester: client.requester,
      methods: [new AppRoleAuth({ roleId: longRoleId, secretId: longSecret })],
    });
    try {
      await manager.token();
      expect((await client.kv().write("app/managed", { n: 1 })).version).toBe(1);
      const first = manager.info?.accessor;
      await manager.login();
      expect(manager.info?.accessor).not.toBe(first);
      expect((await client.kv().write("app/managed", { n: 2 })).version).toBe(2);
    } finally {
      await manager.stop();
      await client.close();
    }
  });

  it("through a VaultClient: a token revoked out of band is replaced on the first 403, a policy denial replaces nothing", async () => {
    const longRoleId = (await admin<{ data: { role_id: string } }>(server, "GET", "auth/approle/role/long/role-id")).data.role_id;
    const longSecret = (await admin<{ data: { secret_id: string } }>(server, "POST", "auth/approle/role/long/secret-id")).data.secret_id;
    const client = new VaultClient({ address: server.address, cache: false });
    // Renewal far away (10 min TTL): only the 403 can make the manager notice the revocation.
    const manager = new TokenManager({
      requester: client.requester,
      methods: [new AppRoleAuth({ roleId: longRoleId, secretId: longSecret })],
    });
    const logins: LoginEvent[] = [];
    const expired: TokenManagerEvents["token-expired"][0][] = [];
    manager.on("login", (e) => logins.push(e));
    manager.on("token-expired", (e) => expired.push(e));
    try {
      await manager.token();
      await client.kv().write("app/revoked", { n: 1 });
      // A path outside the policy: 403 for a live token. Checked, kept.
      await expect(client.kv().read("other/x")).rejects.toMatchObject({ status: 403 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(logins).toHaveLength(1);
      expect(expired).toEqual([]);

      await admin(server, "POST", "auth/token/revoke-accessor", { accessor: logins[0].accessor });
      await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the one-check-per-second guard
      await expect(client.kv().read("app/revoked")).rejects.toMatchObject({ status: 403 });
      await waitForEvents(manager, "login", () => logins.length, 2);
      expect(expired).toEqual([{ accessor: logins[0].accessor, reason: "refused" }]);
      expect(logins[1].reason).toBe("after-expiry");
      expect((await client.kv().read<{ n: number }>("app/revoked"))?.data).toEqual({ n: 1 });
    } finally {
      await manager.stop();
      await client.close();
    }
  });

  it("falls back from a failing Kubernetes login to AppRole, and revokes on stop when asked", async () => {
    const kubernetes = new KubernetesAuth({ role: "payments", jwt: "not-a-jwt-at-all", mountPath: "kubernetes-missing" });
    const manager = new TokenManager({
      requester: transport,
      methods: [kubernetes, new AppRoleAuth({ roleId, secretId })],
      revokeOnStop: true,
    });
    const failed: LoginFailedEvent[] = [];
    const fallbacks: FallbackEvent[] = [];
    const logins: LoginEvent[] = [];
    manager.on("login-failed", (e) => failed.push(e));
    manager.on("fallback", (e) => fallbacks.push(e));
    manager.on("login", (e) => logins.push(e));
    const token = await manager.token();
    expect(failed.map((f) => [f.method, f.mountPath])).toEqual([["kubernetes", "kubernetes-missing"]]);
    expect(fallbacks.map((f) => `${f.from}->${f.to}`)).toEqual(["kubernetes->approle"]);
    expect(logins.map((l) => [l.method, l.chainIndex])).toEqual([["approle", 1]]);
    expect(JSON.stringify(failed) + String(failed[0].error)).not.toContain("not-a-jwt-at-all");
    await manager.stop();
    const lookup = await transport
      .send({ method: "GET", path: "auth/token/lookup-self", unauthenticated: true, headers: { "x-vault-token": token } })
      .catch((e: unknown) => e);
    expect(lookup).toMatchObject({ status: 403 });
  });
});
