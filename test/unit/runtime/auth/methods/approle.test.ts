import { VaultHttpError } from "../../../../../runtime";
import { AppRoleAuth, AuthLoginError } from "../../../../../runtime";
import { ScriptedRequester, loginRequestOf } from "../fakes";

describe("AppRoleAuth", () => {
  it("posts role_id and secret_id to auth/approle/login, unauthenticated", async () => {
    expect(await loginRequestOf(new AppRoleAuth({ roleId: "rid", secretId: "sid" }))).toEqual({
      method: "POST",
      path: "auth/approle/login",
      body: { role_id: "rid", secret_id: "sid" },
      unauthenticated: true,
    });
  });

  it("sends only role_id for a role without secret_id binding, at a custom mount", async () => {
    expect(await loginRequestOf(new AppRoleAuth({ roleId: "rid", mountPath: "/ci/approle/" }))).toMatchObject({
      path: "auth/ci/approle/login",
      body: { role_id: "rid" },
    });
  });

  it("turns a refusal into an AuthLoginError without the secret_id", async () => {
    const requester = new ScriptedRequester();
    requester.handler = (req) => {
      throw new VaultHttpError(req.method, req.path, 400, ["invalid role or secret ID"], "req-1");
    };
    const failure = await new AppRoleAuth({ roleId: "rid", secretId: "sid-very-secret" }).login(requester).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthLoginError);
    expect(failure).toMatchObject({
      authMethod: "approle",
      mountPath: "approle",
      status: 400,
      requestId: "req-1",
      errors: ["invalid role or secret ID"],
    });
    expect(String(failure) + JSON.stringify(failure)).not.toContain("sid-very-secret");
  });
});
