import { CertAuth } from "../../../../../runtime";
import { loginRequestOf } from "../fakes";

describe("CertAuth", () => {
  it("posts the trusted-certificate role name to auth/cert/login", async () => {
    expect(await loginRequestOf(new CertAuth({ role: "web" }))).toEqual({
      method: "POST",
      path: "auth/cert/login",
      body: { name: "web" },
      unauthenticated: true,
    });
  });

  it("posts an empty body to try every trusted certificate", async () => {
    expect(await loginRequestOf(new CertAuth({ mountPath: "tls" }))).toMatchObject({ path: "auth/tls/login", body: {} });
  });
});
