import { HttpTransport } from "../../../../../runtime";
import { AppRoleAuth, AuthLoginError } from "../../../../../runtime";
import { DevServer, startDevServer } from "../../../../support/dev-server";
import { selectedFlavors } from "../../../../support/server-binaries";
import { admin, enableAuth, writePolicy } from "../../../../support/vault-admin";

describe.each(selectedFlavors())("AppRole login against a real %s server", (flavor) => {
  let server: DevServer;
  let transport: HttpTransport;
  let roleId: string;
  let secretId: string;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    await enableAuth(server, "approle", "approle-ci");
    await writePolicy(server, "app-read", 'path "secret/data/app/*" { capabilities = ["read"] }');
    await admin(server, "POST", "auth/approle-ci/role/web", { token_policies: ["app-read"], token_ttl: "10m", token_max_ttl: "1h" });
    roleId = (await admin<{ data: { role_id: string } }>(server, "GET", "auth/approle-ci/role/web/role-id")).data.role_id;
    secretId = (await admin<{ data: { secret_id: string } }>(server, "POST", "auth/approle-ci/role/web/secret-id")).data.secret_id;
    transport = new HttpTransport({ address: server.address });
  });

  afterAll(async () => {
    await transport?.close();
    await server?.stop();
  });

  it("logs in at a custom mount and gets a renewable token with the role's policies", async () => {
    const method = new AppRoleAuth({ roleId, secretId, mountPath: "/approle-ci/" });
    expect(method.mountPath).toBe("approle-ci");
    const result = await method.login(transport);
    expect(result.clientToken.length).toBeGreaterThan(10);
    expect(result.tokenPolicies).toEqual(expect.arrayContaining(["app-read", "default"]));
    expect(result.leaseDurationSeconds).toBe(600);
    expect(result.renewable).toBe(true);
    expect(result.metadata.role_name).toBe("web");
    transport.setToken(result.clientToken);
    const self = await transport.send<{ data: { accessor: string } }>({ method: "GET", path: "auth/token/lookup-self" });
    expect(self.body?.data.accessor).toBe(result.accessor);
  });

  it("refuses a wrong secret_id with a typed error that never contains the secret", async () => {
    const wrongSecret = `${secretId.slice(0, 8)}-not-the-secret-0000`;
    const failure = await new AppRoleAuth({ roleId, secretId: wrongSecret, mountPath: "approle-ci" })
      .login(transport)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthLoginError);
    const error = failure as AuthLoginError;
    expect(error.authMethod).toBe("approle");
    expect(error.mountPath).toBe("approle-ci");
    expect(error.path).toBe("auth/approle-ci/login");
    expect(error.status).toBe(400);
    expect(error.errors.join(" ")).toMatch(/invalid/i);
    for (const text of [String(error), JSON.stringify(error), error.stack ?? ""]) {
      expect(text).not.toContain(wrongSecret);
      expect(text).not.toContain(secretId);
      expect(text).not.toContain(roleId);
    }
  });
});
