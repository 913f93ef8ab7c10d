import { CertAuth } from "../../../../constructs/pulumi/cert-auth";
import { registered, settle, useMocks } from "./pulumi-harness";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("CertAuth", () => {
  it("one role per trusted CA on the cert mount", async () => {
    await useMocks();
    new CertAuth("cert", { roles: [{ name: "nodes", certificate: PEM, allowedCommonNames: ["*.example.com"], policies: ["nodes"] }] });
    await settle();
    expect(registered().find((r) => r.name === "cert-role-nodes")?.inputs).toEqual({
      backend: "ref:cert-mount.path",
      name: "nodes",
      certificate: PEM,
      allowedCommonNames: ["*.example.com"],
      tokenPolicies: ["nodes"],
    });
  });
});
