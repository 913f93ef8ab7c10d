/**
 * Agent mode against real processes: a dev server, a real `bao agent` with AppRole auto-auth and a
 * file sink, and a real `bao proxy` with `use_auto_auth_token`. The client takes the agent's token
 * from the sink and follows it when the agent logs in again (short token max TTL); behind the
 * proxy it sends no token at all. Bad sinks are refused with a typed error, the client untouched.
 */
import { once } from "node:events";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { AgentSinkError, AgentSinkToken, AgentTokenChangedEvent } from "../../../../runtime/agent/agent-sink-token";
import { VaultClient, VaultHttpError } from "../../../../runtime";
import { BaoAgent, appRoleCredentials, startBaoAgent } from "../../../support/bao-agent";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { admin, writePolicy } from "../../../support/vault-admin";

describe("agent mode against a real OpenBao dev server, bao agent and bao proxy", () => {
  let vault: DevServer;
  const started: BaoAgent[] = [];

  beforeAll(async () => {
    vault = await startDevServer("openbao");
    await writePolicy(vault, "app-read", 'path "secret/data/app/*" { capabilities = ["read"] }');
    await admin(vault, "POST", "secret/data/app/config", { data: { greeting: "hello" } });
  }, 60_000);

  afterAll(async () => {
    for (const agent of started) await agent.stop();
    await vault?.stop();
  });

  it("takes the token from the agent's sink and follows it when the agent logs in again", async () => {
    // Tokens that cannot outlive 6 s: the agent must log in again within the test.
    const login = await appRoleCredentials(vault, { name: "agent-app", policies: ["app-read"], tokenTtl: "3s", tokenMaxTtl: "6s" });
    const agent = await startBaoAgent(vault, "agent", login);
    started.push(agent);
    const client = new VaultClient({ address: vault.address, cache: false });
    const follower = await AgentSinkToken.start({ path: agent.sinkPath, client, pollIntervalMs: 200 });
    try {
      const accessor = async (): Promise<string> =>
        (
          await client.request<{ data: { accessor: string } }>(
            { method: "GET", path: "auth/token/lookup-self" },
            { retryClass: "idempotent", kind: "read" },
          )
        ).body!.data.accessor;
      const first = await accessor();
      expect((await client.kv().read("app/config"))?.data).toEqual({ greeting: "hello" });
      expect(`${inspect(follower)} ${JSON.stringify(follower)}`).not.toContain(follower.token());

      const firstToken = follower.token();
      // A reader that never pauses sees no failure while the agent replaces the token.
      let reading = true;
      const failures: unknown[] = [];
      let reads = 0;
      const reader = (async () => {
        while (reading) {
          await client
            .kv()
            .read("app/config")
            .then(
              () => void reads++,
              (e: unknown) => void failures.push(e),
            );
        }
      })();
      const [changed] = (await once(follower, "changed")) as [AgentTokenChangedEvent];
      await new Promise((resolve) => setTimeout(resolve, 500));
      reading = false;
      await reader;
      expect(failures).toEqual([]);
      expect(reads).toBeGreaterThan(0);
      expect(changed.path).toBe(agent.sinkPath);
      expect(follower.token()).not.toBe(firstToken);
      expect(await accessor()).not.toBe(first);
      expect((await client.kv().read("app/config"))?.data).toEqual({ greeting: "hello" });
      // The token is the AppRole login's, with its policy: a write is refused.
      await expect(client.kv().write("app/config", { greeting: "no" })).rejects.toMatchObject({ status: 403 });
    } finally {
      follower.stop();
      await client.close();
    }
  }, 60_000);

  it("sends requests through the proxy with its auto-auth token, the client holding none", async () => {
    const login = await appRoleCredentials(vault, { name: "proxy-app", policies: ["app-read"], tokenTtl: "1m", tokenMaxTtl: "10m" });
    const proxy = await startBaoAgent(vault, "proxy", login);
    started.push(proxy);
    const client = new VaultClient({ address: proxy.address, cache: false });
    try {
      expect((await client.kv().read("app/config"))?.data).toEqual({ greeting: "hello" });
      const self = await client.request<{ data: { display_name: string; policies: string[] } }>(
        { method: "GET", path: "auth/token/lookup-self" },
        { retryClass: "idempotent", kind: "read" },
      );
      expect(self.body?.data.display_name).toBe("approle");
      expect(self.body?.data.policies).toContain("app-read");
      const refused = await client
        .kv()
        .write("app/config", { greeting: "no" })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(VaultHttpError);
      expect(refused).toMatchObject({ status: 403 });
      // Straight to the server, without the proxy, the same client setup has no token at all.
      const direct = new VaultClient({ address: vault.address, cache: false });
      await expect(direct.kv().read("app/config")).rejects.toMatchObject({ status: 403 });
      await direct.close();
    } finally {
      await client.close();
    }
  }, 60_000);

  it("refuses a missing, empty or world-readable sink with a typed error and leaves the client's token alone", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vaultsmith-sink-"));
    const tokens: (string | undefined)[] = [];
    const client = { setToken: (t: string | undefined) => void tokens.push(t) };
    try {
      const missing = await AgentSinkToken.start({ path: join(dir, "none"), client, waitForTokenMs: 300 }).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(AgentSinkError);
      expect(String(missing)).toMatch(/no token within 300 ms/);
      const empty = join(dir, "empty");
      await writeFile(empty, "\n", { mode: 0o600 });
      await expect(AgentSinkToken.start({ path: empty, client, waitForTokenMs: 300 })).rejects.toThrow(/no token within/);
      const open = join(dir, "open");
      await writeFile(open, "s.not-a-real-token", { mode: 0o600 });
      await chmod(open, 0o644);
      const exposed = await AgentSinkToken.start({ path: open, client, waitForTokenMs: 5_000 }).catch((e: unknown) => e);
      expect(exposed).toBeInstanceOf(AgentSinkError);
      expect(String(exposed)).toMatch(/readable by other users/);
      expect(String(exposed)).not.toContain("s.not-a-real-token");
      await expect(AgentSinkToken.start({ path: open, client, pollIntervalMs: 0 })).rejects.toBeInstanceOf(RangeError);
      expect(tokens).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
