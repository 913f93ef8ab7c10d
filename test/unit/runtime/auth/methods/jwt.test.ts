import { JwtAuth } from "../../../../../runtime";
import { loginRequestOf } from "../fakes";

describe("JwtAuth", () => {
  it("posts role and jwt to auth/jwt/login", async () => {
    expect(await loginRequestOf(new JwtAuth({ role: "deploy", jwt: "a.b.c" }))).toEqual({
      method: "POST",
      path: "auth/jwt/login",
      body: { role: "deploy", jwt: "a.b.c" },
      unauthenticated: true,
    });
  });

  it("posts only the jwt for the mount's default role", async () => {
    expect(await loginRequestOf(new JwtAuth({ jwt: () => "a.b.c", mountPath: "oidc" }))).toMatchObject({
      path: "auth/oidc/login",
      body: { jwt: "a.b.c" },
    });
  });
});
