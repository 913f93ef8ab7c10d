import { inspect } from "node:util";
import { AppRoleAuth, TokenManager, VaultClient } from "../../../runtime";
import { DevServer, startDevServer } from "../../support/dev-server";
import { selectedFlavors } from "../../support/server-binaries";
import { admin, enableAuth, writePolicy } from "../../support/vault-admin";

describe.each(selectedFlavors())("secret hygiene of the runtime against a real %s server", (flavor) => {
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer(flavor);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("writes nothing to the console or stdio, and no error or event carries a token, credential or secret value", async () => {
    await enableAuth(server, "approle");
    await writePolicy(server, "hygiene", 'path "secret/data/hygiene/*" { capabilities = ["create", "read", "update"] }');
    await admin(server, "POST", "auth/approle/role/hygiene", { token_policies: ["hygiene"], token_ttl: "2s", token_max_ttl: "6s" });
    const roleId = (await admin<{ data: { role_id: string } }>(server, "GET", "auth/approle/role/hygiene/role-id")).data.role_id;
    const secretId = (await admin<{ data: { secret_id: string } }>(server, "POST", "auth/approle/role/hygiene/secret-id")).data.secret_id;
    const secretValue = "pw-7c1f0e3a9b2d4f60";

    const written: string[] = [];
    const spies = [
      jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true)),
      jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true)),
      ...(["log", "info", "warn", "error", "debug"] as const).map((level) =>
        jest.spyOn(console, level).mockImplementation((...args: unknown[]) => written.push(args.map(String).join(" "))),
      ),
    ];
    const seen: unknown[] = [];
    const client = new VaultClient({ address: server.address });
    const tokens = new TokenManager({ requester: client, methods: [new AppRoleAuth({ roleId, secretId })], revokeOnStop: true });
    for (const event of ["login", "login-failed", "token-renewed", "renewal-failed", "token-expired", "token-revoked"] as const)
      tokens.on(event, (e: unknown) => seen.push(e));
    try {
      await tokens.token();
      await client.kv().write("hygiene/db", { password: secretValue });
      expect((await client.kv().read("hygiene/db"))?.data.password).toBe(secretValue);
      seen.push(
        await client
          .kv()
          .write("elsewhere/x", { password: secretValue })
          .catch((e: unknown) => e),
      );
      const other = new VaultClient({ address: server.address });
      const wrong = new TokenManager({ requester: other, methods: [new AppRoleAuth({ roleId, secretId: `${secretId}-wrong` })] });
      seen.push(await wrong.token().catch((e: unknown) => e));
      await wrong.stop();
      await other.close();
      await new Promise((r) => setTimeout(r, 2_500));
      await client.kv().read("hygiene/db", { cache: "bypass" });
    } finally {
      await tokens.stop();
      await client.close();
      spies.forEach((spy) => spy.mockRestore());
    }
    expect(written).toEqual([]);
    expect(seen.length).toBeGreaterThan(2);
    seen.push(client, tokens, client.cache);
    const rendered = seen
      .map((item) => `${String(item)}\n${JSON.stringify(item)}\n${inspect(item, { depth: 6, showHidden: true })}`)
      .join("\n");
    for (const secret of [secretId, secretValue, server.token]) expect(rendered).not.toContain(secret);
    expect(rendered).not.toMatch(/hvs\.|s\.[A-Za-z0-9]{24}/);
  });
});
