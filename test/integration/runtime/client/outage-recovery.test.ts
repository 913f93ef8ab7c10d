/**
 * The application a new user writes — one VaultClient, one TokenManager (AppRole, token TTL 6 s,
 * max 40 s) reading a secret every 200 ms — through a 25-second network outage in front of one
 * real server, in each way a network fails. The token dies during the outage, so recovery needs
 * a re-login. Figures are printed for the closing note; the assertions are on behaviour:
 * service returns within one probe interval plus one backoff step, and the client never loops.
 */
import { AppRoleAuth, LoginEvent, TokenManager, VaultClient } from "../../../../runtime";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { selectedFlavors } from "../../../support/server-binaries";
import { TcpProxy } from "../../../support/tcp-proxy";
import { AdminTarget, admin, enableAuth, writePolicy } from "../../../support/vault-admin";

const OUTAGE_MS = 25_000;
const PROBE_INTERVAL_MS = 1_000;
/** The executor's largest backoff step (its default). */
const BACKOFF_MAX_MS = 2_000;
/** Window for counting attempts during the outage. */
const WINDOW_MS = 5_000;

type Mode = "refuse" | "drop" | "reset";

interface Figures {
  readonly mode: Mode;
  readonly recoveryMs: number;
  readonly attemptsPerWindow: number[];
  readonly logins: LoginEvent[];
  readonly readsBefore: number;
  readonly readsAfter: number;
}

async function appRoleCredentials(target: AdminTarget): Promise<{ roleId: string; secretId: string }> {
  const roleId = (await admin<{ data: { role_id: string } }>(target, "GET", "auth/approle/role/app/role-id")).data.role_id;
  const secretId = (await admin<{ data: { secret_id: string } }>(target, "POST", "auth/approle/role/app/secret-id")).data.secret_id;
  return { roleId, secretId };
}

/** Run the application through one outage of `mode`; resolve with what it saw. */
async function throughOutage(server: DevServer, mode: Mode): Promise<Figures> {
  const target = { address: server.address, token: server.token };
  const proxy = await TcpProxy.start(Number(new URL(server.address).port));
  const client = new VaultClient({ address: `http://127.0.0.1:${proxy.port}`, probeIntervalMs: PROBE_INTERVAL_MS, cache: false });
  const { roleId, secretId } = await appRoleCredentials(target);
  const tokens = new TokenManager({ requester: client, methods: [new AppRoleAuth({ roleId, secretId })] });
  const logins: LoginEvent[] = [];
  tokens.on("login", (e) => logins.push(e));
  // When each request attempt was sent (probes have transports of their own and are not counted).
  const attempts: number[] = [];
  const transport = client.cluster.nodes[0].transport;
  const send = transport.send.bind(transport);
  transport.send = (req) => {
    attempts.push(Date.now());
    return send(req);
  };
  const successes: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let running = true;
  const app = (async () => {
    while (running) {
      const read = (async () => {
        try {
          await tokens.token();
          const secret = await client.kv().read("app/config", { cache: "bypass" });
          if (secret?.data.color === "blue") successes.push(Date.now());
        } catch {
          // a failed read: the application retries on its next tick
        }
      })();
      inFlight.add(read);
      void read.finally(() => inFlight.delete(read));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  try {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const readsBefore = successes.length;
    const outageAt = Date.now();
    if (mode === "refuse") await proxy.refuse();
    else if (mode === "drop") proxy.blackhole();
    else proxy.reset();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await proxy.heal();
    const restoredAt = Date.now();
    const deadline = restoredAt + 30_000;
    while (!successes.some((t) => t > restoredAt) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const firstAfter = successes.find((t) => t > restoredAt);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const attemptsPerWindow = Array.from(
      { length: Math.ceil(OUTAGE_MS / WINDOW_MS) },
      (_, w) => attempts.filter((t) => t >= outageAt + w * WINDOW_MS && t < outageAt + (w + 1) * WINDOW_MS).length,
    );
    return {
      mode,
      recoveryMs: firstAfter === undefined ? Infinity : firstAfter - restoredAt,
      attemptsPerWindow,
      logins,
      readsBefore,
      readsAfter: successes.filter((t) => t > restoredAt).length,
    };
  } finally {
    running = false;
    await app;
    await tokens.stop();
    await Promise.allSettled([...inFlight]);
    await client.close();
    await proxy.stop();
  }
}

describe.each(selectedFlavors())("an application on one real %s server through a 25 s network outage", (flavor) => {
  const servers: DevServer[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const server = await startDevServer(flavor);
      servers.push(server);
      const target = { address: server.address, token: server.token };
      await enableAuth(target, "approle");
      await writePolicy(target, "app", `path "secret/data/app/*" { capabilities = ["read"] }`);
      await admin(target, "POST", "auth/approle/role/app", { token_policies: ["app"], token_ttl: "6s", token_max_ttl: "40s" });
      await admin(target, "POST", "secret/data/app/config", { data: { color: "blue" } });
    }
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it("comes back within one probe interval plus one backoff step after connections are refused, dropped or reset, with a re-login and no tight loop", async () => {
    const modes: Mode[] = ["refuse", "drop", "reset"];
    const figures = await Promise.all(modes.map((mode, i) => throughOutage(servers[i], mode)));
    for (const f of figures) {
      process.stdout.write(
        `[outage-recovery] ${flavor} ${f.mode}: first read ${f.recoveryMs} ms after restore; attempts per 5 s during the outage ${JSON.stringify(f.attemptsPerWindow)}; logins ${f.logins.map((l) => l.reason).join(",")}\n`,
      );
    }
    for (const f of figures) {
      expect(f.readsBefore).toBeGreaterThan(5);
      // The token (6 s) died during the outage: service came back through a new login.
      expect(f.logins.length).toBeGreaterThanOrEqual(2);
      expect(f.logins.slice(1).some((l) => l.reason === "after-expiry")).toBe(true);
      expect(f.recoveryMs).toBeLessThanOrEqual(PROBE_INTERVAL_MS + BACKOFF_MAX_MS);
      expect(f.readsAfter).toBeGreaterThan(5);
      // The breaker ejects the node: after the first window, attempts come at most every ~2.5 s
      // (trials at 5, 10, 20 s ejections, plus the requests already on their way), never in a loop.
      expect(f.attemptsPerWindow.slice(1).every((n) => n <= 4)).toBe(true);
      expect(f.attemptsPerWindow.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(30);
    }
  });
});
