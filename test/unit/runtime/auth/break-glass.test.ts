import { AuthLoginError, unwrapWrappedToken } from "../../../../runtime";
import { ScriptedRequester } from "./fakes";

describe("unwrapWrappedToken", () => {
  it("checks the creation path, then unwraps with the wrapping token on that request only", async () => {
    const requester = new ScriptedRequester();
    requester.token = "s.app";
    requester.handler = (req) =>
      req.path === "sys/wrapping/lookup"
        ? { status: 200, body: { data: { creation_path: "auth/token/create", creation_ttl: 300 } } }
        : {
            status: 200,
            body: { auth: { client_token: "s.emergency", accessor: "acc", policies: ["emergency"], lease_duration: 900, renewable: true } },
          };
    const result = await unwrapWrappedToken(requester, "s.wrapping");
    expect(result).toMatchObject({ clientToken: "s.emergency", policies: ["emergency"], leaseDurationSeconds: 900 });
    expect(requester.requests).toEqual([
      { method: "POST", path: "sys/wrapping/lookup", body: { token: "s.wrapping" }, unauthenticated: true },
      { method: "POST", path: "sys/wrapping/unwrap", unauthenticated: true, headers: { "x-vault-token": "s.wrapping" } },
    ]);
    expect(requester.token).toBe("s.app");
  });

  it("refuses a wrapped response that carries no token, without the wrapping token in the error", async () => {
    const requester = new ScriptedRequester();
    requester.handler = (req) =>
      req.path === "sys/wrapping/lookup"
        ? { status: 200, body: { data: { creation_path: "auth/approle/login" } } }
        : { status: 200, body: { data: { x: 1 } } };
    const failure = await unwrapWrappedToken(requester, "s.wrapping-secret").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthLoginError);
    expect(String(failure)).toContain("the unwrapped response carried no token");
    expect(String(failure) + JSON.stringify(failure)).not.toContain("s.wrapping-secret");
  });
});

describe("break-glass creation paths", () => {
  it.each(["auth/approle/role/app/secret-id", "sys/wrapping/wrap", "secret/data/x", "auth/token/lookup"])(
    "refuses a wrapped response from %s before unwrapping it",
    async (creationPath) => {
      const requester = new ScriptedRequester();
      requester.handler = () => ({ status: 200, body: { data: { creation_path: creationPath } } });
      await expect(unwrapWrappedToken(requester, "s.wrapping-token")).rejects.toThrow(`created by "${creationPath}"`);
      expect(requester.requests.map((r) => r.path)).toEqual(["sys/wrapping/lookup"]);
    },
  );

  it.each(["auth/token/create", "auth/token/create/ops", "auth/token/create-orphan", "auth/approle/login", "auth/userpass/login/alice"])(
    "accepts a token minted by %s",
    async (creationPath) => {
      const requester = new ScriptedRequester();
      requester.handler = (req) =>
        req.path === "sys/wrapping/lookup"
          ? { status: 200, body: { data: { creation_path: creationPath } } }
          : {
              status: 200,
              body: { auth: { client_token: "s.emergency", accessor: "acc", lease_duration: 60, renewable: false, policies: ["ops"] } },
            };
      expect((await unwrapWrappedToken(requester, "s.wrapping-token")).accessor).toBe("acc");
    },
  );
});
