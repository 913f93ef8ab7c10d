import { SentinelPolicy } from "../../../../constructs/pulumi/sentinel-policy";
import { VaultStack } from "../../../../constructs/pulumi/vault-stack";
import { registered, settle, useMocks } from "./pulumi-harness";

describe("SentinelPolicy", () => {
  it("EGP with sorted paths, RGP without, on Vault Enterprise; refused elsewhere before registering", async () => {
    await useMocks();
    const ent = new VaultStack("ent", { target: { edition: "vault-enterprise", version: "1.21.4" } });
    new SentinelPolicy(
      "hours",
      { policyName: "hours", kind: "egp", paths: ["sys/*", "kv/*"], enforcementLevel: "soft-mandatory", policy: "main = rule { true }" },
      { parent: ent },
    );
    new SentinelPolicy(
      "mfa",
      { policyName: "mfa", kind: "rgp", enforcementLevel: "advisory", policy: "main = rule { true }" },
      { parent: ent },
    );
    const bao = new VaultStack("bao", { target: { edition: "openbao", version: "2.6.1" } });
    expect(
      () => new SentinelPolicy("x", { policyName: "x", kind: "rgp", enforcementLevel: "advisory", policy: "p" }, { parent: bao }),
    ).toThrow("bao/x: sentinel-policies are not available on the target OpenBao 2.6.1");
    expect(
      () => new SentinelPolicy("y", { policyName: "y", kind: "egp", enforcementLevel: "advisory", policy: "p" }, { parent: ent }),
    ).toThrow("an EGP needs at least one path");
    await settle();
    const byName = new Map(registered().map((r) => [r.name, r]));
    expect(byName.get("hours-policy")?.inputs).toEqual({
      name: "hours",
      paths: ["kv/*", "sys/*"],
      enforcementLevel: "soft-mandatory",
      policy: "main = rule { true }",
    });
    expect(byName.get("mfa-policy")?.type).toBe("vault:index/rgpPolicy:RgpPolicy");
    expect(byName.has("x")).toBe(false);
    expect(byName.has("y")).toBe(false);
  });
});
