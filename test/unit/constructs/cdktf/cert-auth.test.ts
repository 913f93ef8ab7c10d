import { CertAuth } from "../../../../constructs/cdktf/cert-auth";
import { onlyResource, synth } from "./synth-helpers";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIBexample\n-----END CERTIFICATE-----\n";

describe("CertAuth", () => {
  it("mount and a role trusting a CA for given names", () => {
    const json = synth(
      (stack) =>
        new CertAuth(stack, "cert", {
          roles: [{ name: "nodes", certificate: PEM, allowedCommonNames: ["*.nodes.example.com"], policies: ["node"], tokenTtl: "1h" }],
        }),
    );
    expect(onlyResource(json, "vault_auth_backend")).toEqual({ type: "cert", path: "cert" });
    expect(onlyResource(json, "vault_cert_auth_backend_role")).toEqual({
      backend: expect.stringMatching(/^\$\{vault_auth_backend\./),
      name: "nodes",
      certificate: PEM,
      allowed_common_names: ["*.nodes.example.com"],
      token_policies: ["node"],
      token_ttl: 3600,
    });
  });

  it("requires a PEM certificate", () => {
    expect(() => synth((stack) => new CertAuth(stack, "cert", { roles: [{ name: "x", certificate: "abc" }] }))).toThrow(
      /CertAuth\(cert\)\.roles\[0\]\.certificate: expected a PEM certificate/,
    );
  });
});
