import { Testing } from "cdktf";
import { SentinelPolicy } from "../../../../constructs/cdktf/sentinel-policy";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, VAULT_CE, VAULT_ENTERPRISE, onlyResource, synth } from "./synth-helpers";

const SOURCE = 'import "time"\nmain = rule { time.now.hour >= 8 }\n';

describe("SentinelPolicy", () => {
  it("EGP on Vault Enterprise: sorted paths, enforcement level, source", () => {
    const json = synth(
      (stack) =>
        new SentinelPolicy(stack, "hours", {
          policyName: "business-hours",
          kind: "egp",
          paths: ["secret/*", "pki/issue/*"],
          enforcementLevel: "soft-mandatory",
          policy: SOURCE,
        }),
      VAULT_ENTERPRISE,
    );
    expect(onlyResource(json, "vault_egp_policy")).toEqual({
      name: "business-hours",
      paths: ["pki/issue/*", "secret/*"],
      enforcement_level: "soft-mandatory",
      policy: SOURCE,
    });
  });

  it("RGP on Vault Enterprise", () => {
    const json = synth(
      (stack) =>
        new SentinelPolicy(stack, "mfa", {
          policyName: "require-mfa",
          kind: "rgp",
          enforcementLevel: "hard-mandatory",
          policy: "main = rule { true }",
        }),
      VAULT_ENTERPRISE,
    );
    expect(onlyResource(json, "vault_rgp_policy")).toEqual({
      name: "require-mfa",
      enforcement_level: "hard-mandatory",
      policy: "main = rule { true }",
    });
  });

  it("is refused on Vault CE and OpenBao, naming the feature, target and construct", () => {
    for (const target of [VAULT_CE, OPENBAO]) {
      const stack = new VaultStack(Testing.app(), "s", { target });
      expect(
        () =>
          new SentinelPolicy(stack, "p", { policyName: "p", kind: "rgp", enforcementLevel: "advisory", policy: "main = rule { true }" }),
      ).toThrow(/^s\/p: sentinel-policies are not available on the target (Vault CE 1\.21\.4|OpenBao 2\.6\.1)$/);
    }
  });

  it("validates paths, enforcement levels and names", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: VAULT_ENTERPRISE });
    expect(() => new SentinelPolicy(stack, "a", { policyName: "a", kind: "egp", enforcementLevel: "advisory", policy: "x" })).toThrow(
      "SentinelPolicy(a).paths: an EGP needs at least one path",
    );
    expect(
      () =>
        new SentinelPolicy(stack, "b", { policyName: "b", kind: "egp", paths: ["secret/*/x"], enforcementLevel: "advisory", policy: "x" }),
    ).toThrow(/paths\[0\]: "secret\/\*\/x": "\*" is only allowed as the last character/);
    expect(
      () => new SentinelPolicy(stack, "c", { policyName: "c", kind: "rgp", paths: ["x"], enforcementLevel: "advisory", policy: "x" }),
    ).toThrow(/an RGP is bound to tokens/);
    expect(() => new SentinelPolicy(stack, "d", { policyName: "D", kind: "rgp", enforcementLevel: "advisory", policy: "x" })).toThrow(
      /SentinelPolicy\(d\)\.name: policy names must be lower-case/,
    );
  });
});
