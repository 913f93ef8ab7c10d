import { AclPolicy } from "../../../../constructs/pulumi/acl-policy";
import { PkiRole } from "../../../../constructs/pulumi/pki-role";
import { registered, settle, useMocks } from "./pulumi-harness";

const issuer = { mountPath: "pki", mountRef: "pki", issuerRef: "default", maxLeaseTtlSeconds: 8760 * 3600 };

describe("PkiRole", () => {
  it("emits TTLs in seconds, the template's flags, the Pulumi list names, and grants issue/sign/revoke", async () => {
    await useMocks();
    const policy = new AclPolicy("p", { policyName: "issuer" });
    const role = new PkiRole("web", {
      issuer,
      roleName: "web",
      template: "server",
      ttl: "720h",
      allowedDomains: ["example.com"],
      organization: ["Ex"],
      ou: ["Ops"],
    });
    role.grantIssue(policy);
    role.grantSign(policy);
    role.grantRevoke(policy);
    await settle();
    const inputs = registered().find((r) => r.name === "web-role")?.inputs;
    expect(inputs).toMatchObject({
      name: "web",
      ttl: "2592000",
      maxTtl: "2592000",
      serverFlag: true,
      clientFlag: false,
      organizations: ["Ex"],
      organizationUnit: ["Ops"],
    });
    expect(inputs?.keyUsages).toEqual(["DigitalSignature", "KeyAgreement", "KeyEncipherment"]);
    expect(policy.document().rules.map((r) => r.path)).toEqual(["pki/issue/web", "pki/sign/web", "pki/revoke"]);
  });
});
