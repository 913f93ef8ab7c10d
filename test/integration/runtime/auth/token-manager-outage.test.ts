import { HttpTransport } from "../../../../runtime";
import { AppRoleAuth, LoginEvent, RenewalFailedEvent, TokenManager, TokenRenewedEvent } from "../../../../runtime";
import { RaftCluster, startRaftCluster } from "../../../support/raft-cluster";
import { selectedFlavors } from "../../../support/server-binaries";
import { AdminTarget, admin, enableAuth } from "../../../support/vault-admin";

/** Resolve when `check()` holds, polling every 50 ms (fails after `timeoutMs`). */
async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(selectedFlavors())("TokenManager through an outage of a real %s server", (flavor) => {
  let cluster: RaftCluster;
  let target: AdminTarget;

  beforeAll(async () => {
    cluster = await startRaftCluster(flavor, { nodes: 1, mountKv: false });
    target = { address: cluster.nodes[0].address, token: cluster.rootToken };
    await enableAuth(target, "approle");
    await admin(target, "POST", "auth/approle/role/svc", { token_policies: ["default"], token_ttl: "60s", token_max_ttl: "1h" });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it("keeps the still-valid token while the server is down, backs off, and renews it once the server is back", async () => {
    const roleId = (await admin<{ data: { role_id: string } }>(target, "GET", "auth/approle/role/svc/role-id")).data.role_id;
    const secretId = (await admin<{ data: { secret_id: string } }>(target, "POST", "auth/approle/role/svc/secret-id")).data.secret_id;
    const transport = new HttpTransport({ address: target.address, timeoutMs: 2_000 });
    const manager = new TokenManager({
      requester: transport,
      methods: [new AppRoleAuth({ roleId, secretId })],
      renewal: { earliest: 0.045, latest: 0.055 },
      backoff: { minMs: 200, maxMs: 1_600, multiplier: 2 },
    });
    const failures: RenewalFailedEvent[] = [];
    const renewals: TokenRenewedEvent[] = [];
    const logins: LoginEvent[] = [];
    const expired: unknown[] = [];
    manager.on("renewal-failed", (e) => failures.push(e));
    manager.on("token-renewed", (e) => renewals.push(e));
    manager.on("login", (e) => logins.push(e));
    manager.on("token-expired", (e) => expired.push(e));
    try {
      const token = await manager.token();
      await cluster.stopNode(0);
      await until(() => failures.length >= 6, "six failed renewals");
      expect(await manager.token()).toBe(token);
      cluster.startNode(0);
      await cluster.unseal(0);
      await cluster.waitForLeader();
      await until(() => renewals.length >= 1, "a renewal after the outage");

      expect(logins).toHaveLength(1);
      expect(expired).toEqual([]);
      expect(await manager.token()).toBe(token);
      expect(renewals[0]).toMatchObject({ accessor: logins[0].accessor, ttlSeconds: 60, truncated: false });
      const attempts = failures.map((f) => f.attempt);
      expect(attempts).toEqual(attempts.map((_, i) => i + 1));
      const delays = failures.map((f) => f.retryInMs ?? -1);
      delays.forEach((delay, i) => {
        const ceiling = Math.min(1_600, 200 * 2 ** i);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      });
    } finally {
      await manager.stop();
      await transport.close();
    }
  });
});
