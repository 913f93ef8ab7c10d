import { toPlain } from "../../../../../model/graph";
import { certAuthFragment, certAuthSchema } from "../../../../../model/kinds/auth/cert";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("auth fragments", () => {
  it("Cert: mount and role with the trusted CA", () => {
    const spec = certAuthSchema.parse({
      roles: [{ name: "nodes", certificate: PEM, allowedCommonNames: ["*.example.com"], policies: ["node"] }],
    });
    const plain = toPlain(certAuthFragment(spec, { owner: "c" }).resources);
    expect(plain[0].attributes).toEqual({ type: "cert", path: "cert" });
    expect(plain[1].attributes).toEqual({
      backend: "${c.mount.path}",
      name: "nodes",
      certificate: PEM,
      allowed_common_names: ["*.example.com"],
      token_policies: ["node"],
    });
    expect(certAuthSchema.safeParse({ roles: [{ name: "x", certificate: "not pem" }] }).success).toBe(false);
  });
});
