import { HttpTransport } from "../../../../../runtime";
import { AuthLoginError, TokenAuth } from "../../../../../runtime";
import { DevServer, startDevServer } from "../../../../support/dev-server";
import { selectedFlavors } from "../../../../support/server-binaries";
import { admin, writePolicy } from "../../../../support/vault-admin";

describe.each(selectedFlavors())("plain token login against a real %s server", (flavor) => {
  let server: DevServer;
  let transport: HttpTransport;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    await writePolicy(server, "reader", 'path "secret/data/*" { capabilities = ["read"] }');
    transport = new HttpTransport({ address: server.address });
  });

  afterAll(async () => {
    await transport?.close();
    await server?.stop();
  });

  it("validates a given token with lookup-self and reports its TTL, renewability and policies", async () => {
    const created = await admin<{ auth: { client_token: string; accessor: string } }>(server, "POST", "auth/token/create", {
      policies: ["reader"],
      ttl: "45m",
      renewable: true,
    });
    const result = await new TokenAuth({ token: () => created.auth.client_token }).login(transport);
    expect(result.clientToken).toBe(created.auth.client_token);
    expect(result.accessor).toBe(created.auth.accessor);
    expect(result.tokenPolicies).toEqual(expect.arrayContaining(["reader", "default"]));
    expect(result.renewable).toBe(true);
    expect(result.leaseDurationSeconds).toBeGreaterThan(2690);
    expect(result.leaseDurationSeconds).toBeLessThanOrEqual(2700);
  });

  it("reports a root token as never expiring", async () => {
    const result = await new TokenAuth({ token: server.token }).login(transport);
    expect(result.leaseDurationSeconds).toBe(0);
    expect(result.policies).toContain("root");
  });

  it("refuses an unknown token with a 403 that does not contain it", async () => {
    const bogus = "hvs.this-token-does-not-exist-1234567890";
    const failure = await new TokenAuth({ token: bogus }).login(transport).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthLoginError);
    expect(failure).toMatchObject({ authMethod: "token", mountPath: "token", status: 403, path: "auth/token/lookup-self" });
    for (const text of [String(failure), JSON.stringify(failure)]) expect(text).not.toContain(bogus);
  });
});
