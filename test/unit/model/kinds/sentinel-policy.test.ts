import { sentinelPolicyDescriptor, sentinelPolicySchema } from "../../../../model/kinds/sentinel-policy";

describe("governance descriptors", () => {
  it("Sentinel: EGP with sorted paths, RGP without", () => {
    const egp = sentinelPolicySchema.parse({
      name: "business-hours",
      kind: "egp",
      paths: ["secret/*", "pki/issue/*"],
      enforcementLevel: "soft-mandatory",
      policy: "main = rule { true }",
    });
    expect(sentinelPolicyDescriptor(egp, { owner: "s" })).toEqual({
      type: "vault_egp_policy",
      id: "s.policy",
      attributes: {
        name: "business-hours",
        paths: ["pki/issue/*", "secret/*"],
        enforcement_level: "soft-mandatory",
        policy: "main = rule { true }",
      },
    });
    const rgp = sentinelPolicySchema.parse({
      name: "mfa",
      kind: "rgp",
      enforcementLevel: "hard-mandatory",
      policy: "main = rule { true }",
    });
    expect(sentinelPolicyDescriptor(rgp, { owner: "s" }).type).toBe("vault_rgp_policy");
    expect(sentinelPolicyDescriptor(rgp, { owner: "s" }).attributes.paths).toBeUndefined();
    expect(sentinelPolicySchema.safeParse({ ...rgp, enforcementLevel: "strict" }).success).toBe(false);
  });
});
