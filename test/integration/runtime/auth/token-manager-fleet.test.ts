/**
 * A fleet that starts together (a deployment rollout): 50 TokenManagers log in at the same
 * moment against one real server, and their first renewals must spread over the renewal band
 * (50–80 % of the TTL) instead of arriving in one burst.
 */
import { AppRoleAuth, DEFAULT_RENEWAL_TIMING, HttpTransport, TokenManager } from "../../../../runtime";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { selectedFlavors } from "../../../support/server-binaries";
import { admin, enableAuth } from "../../../support/vault-admin";

const FLEET = 50;
const TTL_S = 30;

/** Most timestamps in any window of `windowMs` (a sliding window starting at each timestamp). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j] < sorted[i] - windowMs + 1) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe.each(selectedFlavors())("a fleet of TokenManagers on a real %s server", (flavor) => {
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    const target = { address: server.address, token: server.token };
    await enableAuth(target, "approle");
    await admin(target, "POST", "auth/approle/role/fleet", { token_policies: ["default"], token_ttl: `${TTL_S}s`, token_max_ttl: "1h" });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("spreads the first renewals of 50 managers that logged in together over the renewal band", async () => {
    const target = { address: server.address, token: server.token };
    const roleId = (await admin<{ data: { role_id: string } }>(target, "GET", "auth/approle/role/fleet/role-id")).data.role_id;
    const secretId = (await admin<{ data: { secret_id: string } }>(target, "POST", "auth/approle/role/fleet/secret-id")).data.secret_id;
    const transports = Array.from({ length: FLEET }, () => new HttpTransport({ address: server.address }));
    const managers = transports.map((requester) => new TokenManager({ requester, methods: [new AppRoleAuth({ roleId, secretId })] }));
    const renewedAt: number[] = [];
    const firstRenewal = managers.map(
      (manager) => new Promise<void>((resolve) => manager.once("token-renewed", () => resolve(void renewedAt.push(Date.now())))),
    );
    try {
      const loggedInAt = Date.now();
      await Promise.all(managers.map((m) => m.token()));
      const loginSpreadMs = Date.now() - loggedInAt;
      await Promise.all(firstRenewal);
      const busiest = busiestWindow(renewedAt, 1_000);
      const spanMs = Math.max(...renewedAt) - Math.min(...renewedAt);
      const band = (DEFAULT_RENEWAL_TIMING.latest - DEFAULT_RENEWAL_TIMING.earliest) * TTL_S;
      process.stdout.write(
        `[fleet] ${FLEET} managers, TTL ${TTL_S} s, logins within ${loginSpreadMs} ms: first renewals over ${(spanMs / 1000).toFixed(1)} s, at most ${busiest} in any one second (documented: about ${FLEET} / ${band.toFixed(1)} s + 1 = ${(FLEET / band + 1).toFixed(1)} on average per second)\n`,
      );
      const earliest = Math.min(...renewedAt) - loggedInAt;
      const latest = Math.max(...renewedAt) - loggedInAt;
      expect(earliest).toBeGreaterThanOrEqual(DEFAULT_RENEWAL_TIMING.earliest * TTL_S * 1000 - 100);
      expect(latest).toBeLessThanOrEqual(DEFAULT_RENEWAL_TIMING.latest * TTL_S * 1000 + loginSpreadMs + 1_000);
      // Uniform over a 9 s band: the renewals span most of it, and no second holds a burst.
      expect(spanMs).toBeGreaterThanOrEqual(0.6 * band * 1000);
      expect(busiest).toBeLessThanOrEqual(20);
    } finally {
      await Promise.all(managers.map((m) => m.stop()));
      await Promise.all(transports.map((t) => t.close()));
    }
  });
});
