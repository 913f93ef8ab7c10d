import { compileAcl } from "../../../policies/compiled-acl";
import { matchRule, nonExactCandidates } from "../../../policies/rule-matching";

function acl(...patterns: string[]) {
  return compileAcl([{ name: "p", rules: patterns.map((path) => ({ path, capabilities: ["read" as const] })) }]);
}

describe("matchRule", () => {
  it("prefers an exact pattern over any wildcard", () => {
    expect(matchRule(acl("a/*", "a/+", "a/b"), "a/b", false)?.permissions.pattern).toBe("a/b");
  });

  it("orders non-exact candidates by Vault's priority rules; only the longest prefix pattern competes", () => {
    const candidates = nonExactCandidates(acl("foo/*", "foo/+", "foo/a*", "+/+"), "foo/ab").map((c) => c.pattern);
    expect(candidates).toEqual(["foo/a*", "foo/+", "+/+"]);
    expect(nonExactCandidates(acl("foo/*", "+/+"), "foo/ab").map((c) => c.pattern)).toEqual(["foo/*", "+/+"]);
  });

  it("lets + match exactly one (possibly empty) segment", () => {
    expect(matchRule(acl("a/+"), "a/", false)?.permissions.pattern).toBe("a/+");
    expect(matchRule(acl("a/+"), "a/b/c", false)).toBeUndefined();
    expect(matchRule(acl("a/+/c*"), "a/b/cd/e", false)?.permissions.pattern).toBe("a/+/c*");
  });

  it("treats * before the end as a literal character", () => {
    expect(matchRule(acl("a*/b"), "a*/b", false)?.permissions.kind).toBe("exact");
    expect(matchRule(acl("a*/b"), "ax/b", false)).toBeUndefined();
  });

  it("applies the LIST fallbacks in the server's order", () => {
    const compiled = acl("a/+", "+");
    expect(matchRule(compiled, "a/", true, "trimmed-first")?.permissions.pattern).toBe("+");
    expect(matchRule(compiled, "a/", true, "trimmed-last")?.permissions.pattern).toBe("a/+");
    expect(matchRule(acl("+"), "a/", true, "trimmed-last")).toMatchObject({ step: "non-exact-without-trailing-slash" });
    expect(matchRule(acl("+"), "a/", false)).toBeUndefined();
  });

  it("strips leading slashes from request paths and patterns", () => {
    expect(matchRule(acl("/a/b"), "//a/b", false)?.permissions.pattern).toBe("a/b");
  });
});
