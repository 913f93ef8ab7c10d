import { VaultHttpError } from "../../../../../runtime";
import { AuthLoginError, TokenAuth } from "../../../../../runtime";
import { ScriptedRequester } from "../fakes";

describe("TokenAuth", () => {
  it("looks itself up with the given token, leaving the requester's token alone", async () => {
    const requester = new ScriptedRequester();
    requester.token = "s.installed";
    requester.handler = () => ({
      status: 200,
      body: { data: { accessor: "acc", policies: ["default"], identity_policies: ["team"], ttl: 0, renewable: false, type: "service" } },
    });
    const result = await new TokenAuth({ token: "s.given" }).login(requester);
    expect(result).toMatchObject({
      clientToken: "s.given",
      leaseDurationSeconds: 0,
      renewable: false,
      tokenPolicies: ["default"],
      policies: ["default", "team"],
    });
    expect(requester.requests).toEqual([
      { method: "GET", path: "auth/token/lookup-self", unauthenticated: true, headers: { "x-vault-token": "s.given" } },
    ]);
    expect(requester.token).toBe("s.installed");
  });

  it("refuses an unknown token with an AuthLoginError that does not contain it", async () => {
    const requester = new ScriptedRequester();
    requester.handler = (req) => {
      throw new VaultHttpError(req.method, req.path, 403, ["permission denied"], undefined);
    };
    const failure = await new TokenAuth({ token: () => "s.unknown-token" }).login(requester).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthLoginError);
    expect(failure).toMatchObject({ authMethod: "token", status: 403, path: "auth/token/lookup-self" });
    expect(String(failure) + JSON.stringify(failure)).not.toContain("s.unknown-token");
  });
});
