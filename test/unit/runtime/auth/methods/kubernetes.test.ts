import { KubernetesAuth } from "../../../../../runtime";
import { loginRequestOf } from "../fakes";

describe("KubernetesAuth", () => {
  it("posts the role and the JWT its provider returns at login time", async () => {
    let reads = 0;
    const method = new KubernetesAuth({ role: "web", jwt: async () => `header.payload.sig${++reads}`, mountPath: "k8s-east" });
    expect(await loginRequestOf(method)).toEqual({
      method: "POST",
      path: "auth/k8s-east/login",
      body: { role: "web", jwt: "header.payload.sig1" },
      unauthenticated: true,
    });
    expect((await loginRequestOf(method)).body).toEqual({ role: "web", jwt: "header.payload.sig2" });
  });

  it("defaults to the kubernetes mount", () => {
    expect(new KubernetesAuth({ role: "web", jwt: "x" }).mountPath).toBe("kubernetes");
  });
});
