import { describeTarget, requireFeature, supports, targetSchema } from "../../../model/target";

describe("target server features", () => {
  const ent = { edition: "vault-enterprise", version: "1.21.4" } as const;
  const ce = { edition: "vault-ce", version: "1.21.4" } as const;
  const bao = { edition: "openbao", version: "2.6.1" } as const;

  it("namespaces: Vault Enterprise and OpenBao >= 2.3, not Vault CE", () => {
    expect(supports(ent, "namespaces")).toBe(true);
    expect(supports(bao, "namespaces")).toBe(true);
    expect(supports({ edition: "openbao", version: "2.2.9" }, "namespaces")).toBe(false);
    expect(supports(ce, "namespaces")).toBe(false);
  });

  it("Sentinel and lease-count quotas: Vault Enterprise only", () => {
    for (const f of ["sentinel-policies", "lease-count-quotas"] as const) {
      expect(supports(ent, f)).toBe(true);
      expect(supports(ce, f)).toBe(false);
      expect(supports(bao, f)).toBe(false);
    }
  });

  it("refusals name the feature, the target and the path", () => {
    expect(() => requireFeature(ce, "namespaces", "stack/tenant-a")).toThrow(
      "stack/tenant-a: namespaces are not available on the target Vault CE 1.21.4",
    );
    expect(() => requireFeature(undefined, "sentinel-policies", "p")).toThrow(/declared target server/);
    expect(() => requireFeature(ent, "sentinel-policies", "p")).not.toThrow();
  });

  it("validates the declaration", () => {
    expect(targetSchema.safeParse({ edition: "vault", version: "1.0.0" }).success).toBe(false);
    expect(targetSchema.safeParse({ edition: "openbao", version: "2.6" }).success).toBe(false);
    expect(describeTarget(bao)).toBe("OpenBao 2.6.1");
  });
});
