import { PolicyBuilder } from "../../../policies/policy-builder";
import { lintPolicies } from "../../../policies/policy-lint";

describe("lintPolicies", () => {
  it("finds a deny that a more specific rule in another policy overrides, and names the resolution", () => {
    const deny = new PolicyBuilder("guard").deny("secret/data/prod/*").build();
    const app = new PolicyBuilder("app").allow("secret/data/prod/db", ["read"]).build();
    const findings = lintPolicies([deny, app]);
    const finding = findings.find((f) => f.code === "deny-not-effective");
    expect(finding).toMatchObject({ severity: "error", policy: "guard", path: "secret/data/prod/*" });
    expect(finding?.message).toContain('does not take effect on "secret/data/prod/db" when combined with "guard", "app"');
    expect(finding?.suggestion).toContain('path "secret/data/prod/db" { capabilities = ["deny"] }');
  });

  it("does not flag a deny that wins (same pattern merges to deny, or the deny is more specific)", () => {
    const a = new PolicyBuilder("a").allow("secret/data/*", ["read"]).deny("secret/data/admin").build();
    const b = new PolicyBuilder("b").allow("secret/data/x", ["read"]).build();
    const c = new PolicyBuilder("c").deny("secret/data/x").build();
    expect(lintPolicies([a, b, c]).filter((f) => f.code === "deny-not-effective")).toEqual([]);
  });

  it("finds grants hidden by a higher-priority pattern and proposes the intersection", () => {
    const doc = new PolicyBuilder("p").allow("secret/data/*", ["read", "update"]).allow("secret/data/+/config", ["read"]).build();
    const finding = lintPolicies([doc]).find((f) => f.code === "grant-hidden");
    expect(finding).toMatchObject({ policy: "p", path: "secret/data/*" });
    expect(finding?.message).toContain('update from "secret/data/*" does not apply on "secret/data/_/config"');
    expect(finding?.suggestion).toContain('intersection (read): path "secret/data/+/config" { capabilities = ["read"] }');
  });

  it("flags wildcard and sudo grants on sensitive paths", () => {
    const doc = new PolicyBuilder("ops")
      .allow("sys/*", ["read", "sudo"])
      .allow("auth/+/role/x", ["read"])
      .allow("sys/audit", ["read", "sudo"])
      .build();
    const codes = lintPolicies([doc]).map((f) => `${f.code}:${f.path}:${f.severity}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        "sensitive-wildcard:sys/*:error",
        "sudo-grant:sys/*:warning",
        "sensitive-wildcard:auth/+/role/x:warning",
        "sudo-grant:sys/audit:info",
      ]),
    );
  });

  it("flags KV v2 rules without data/ or metadata/, list on data/, and parameter constraints on KV v2", () => {
    const doc = new PolicyBuilder("kv")
      .allow("secret/app/*", ["read", "list"])
      .allow("secret/data/app/*", ["read", "list"], { allowedParameters: { x: [] } })
      .allow("kv/app/*", ["read"])
      .build();
    const findings = lintPolicies([doc], { kv2Mounts: ["secret/"] });
    expect(findings.find((f) => f.code === "kv2-missing-data")?.suggestion).toBe(
      'Write path "secret/data/app/*" { capabilities = ["read"] } and path "secret/metadata/app/*" { capabilities = ["list"] }.',
    );
    expect(findings.map((f) => f.code)).toEqual(expect.arrayContaining(["kv2-list-on-data", "kv2-parameter-constraints"]));
    expect(findings.some((f) => f.path === "kv/app/*")).toBe(false);
  });

  it("returns nothing for a clean policy", () => {
    const doc = new PolicyBuilder("clean").allow("secret/data/app/*", ["read"]).allow("secret/metadata/app/*", ["list"]).build();
    expect(lintPolicies([doc])).toEqual([]);
  });
});
