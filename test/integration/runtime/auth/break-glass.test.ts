import { request } from "undici";
import { HttpTransport } from "../../../../runtime";
import { AuthLoginError, EmergencyAccessEvent, TokenManager, TokenManagerStoppedError, unwrapWrappedToken } from "../../../../runtime";
import { AppRoleAuth } from "../../../../runtime";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { selectedFlavors } from "../../../support/server-binaries";
import { admin, writePolicy } from "../../../support/vault-admin";

/** `path` as root with `X-Vault-Wrap-TTL`, the way an operator prepares a break-glass hand-over. */
async function wrapped(server: DevServer, path: string, body: unknown): Promise<string> {
  const res = await request(`${server.address}/v1/${path}`, {
    method: "POST",
    headers: { "x-vault-token": server.token, "x-vault-wrap-ttl": "5m", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await res.body.json()) as { wrap_info?: { token: string } };
  if (!answer.wrap_info) throw new Error(`${path} answered HTTP ${res.statusCode} without wrap_info`);
  return answer.wrap_info.token;
}

describe.each(selectedFlavors())("break-glass with a response-wrapped token on a real %s server", (flavor) => {
  let server: DevServer;
  let transport: HttpTransport;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    await writePolicy(server, "emergency", 'path "secret/*" { capabilities = ["read", "list"] }');
    transport = new HttpTransport({ address: server.address });
  });

  afterAll(async () => {
    await transport?.close();
    await server?.stop();
  });

  it("unwraps an operator's wrapped token once, installs it and audits the use", async () => {
    const wrappingToken = await wrapped(server, "auth/token/create", { policies: ["emergency"], ttl: "15m" });
    const manager = new TokenManager({ requester: transport, methods: [new AppRoleAuth({ roleId: "unused", secretId: "unused" })] });
    const audit: EmergencyAccessEvent[] = [];
    manager.on("emergency-access", (e) => audit.push(e));
    try {
      const result = await manager.breakGlass({ wrappingToken, operator: "oncall-alice", reason: "INC-1234" });
      expect(result.tokenPolicies).toEqual(expect.arrayContaining(["emergency"]));
      expect(await manager.token()).toBe(result.clientToken);
      const self = await transport.send<{ data: { accessor: string } }>({ method: "GET", path: "auth/token/lookup-self" });
      expect(self.body?.data.accessor).toBe(result.accessor);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ operator: "oncall-alice", reason: "INC-1234", outcome: "granted", accessor: result.accessor });
      const text = JSON.stringify(audit);
      expect(text).not.toContain(wrappingToken);
      expect(text).not.toContain(result.clientToken);

      const replay = await manager.breakGlass({ wrappingToken, operator: "mallory", reason: "replay" }).catch((e: unknown) => e);
      expect(replay).toBeInstanceOf(AuthLoginError);
      expect(audit[1]).toMatchObject({ operator: "mallory", outcome: "refused", accessor: undefined });
      expect(JSON.stringify(audit[1]) + String(replay)).not.toContain(wrappingToken);
      expect(await manager.token()).toBe(result.clientToken);
    } finally {
      await manager.stop();
    }
    await expect(manager.breakGlass({ wrappingToken, operator: "x", reason: "y" })).rejects.toBeInstanceOf(TokenManagerStoppedError);
  });

  it("refuses a wrapped response that does not come from a token-creating endpoint", async () => {
    const wrappingToken = await wrapped(server, "sys/wrapping/wrap", { note: "not a token" });
    const failure = await unwrapWrappedToken(transport, wrappingToken).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthLoginError);
    expect(String(failure)).toMatch(/sys\/wrapping\/wrap.*not by a token-creating auth endpoint/);
    const stillWrapped = await admin<{ data: { creation_path: string } }>(server, "POST", "sys/wrapping/lookup", { token: wrappingToken });
    expect(stillWrapped.data.creation_path).toBe("sys/wrapping/wrap");
  });
});
