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

describe("Vault's priority order among non-exact patterns", () => {
  const order = (path: string, ...patterns: string[]) => nonExactCandidates(acl(...patterns), path).map((c) => c.pattern);

  it("1. a later first wildcard wins", () => {
    expect(order("a/b/c", "a/+/c", "a/b/+")).toEqual(["a/b/+", "a/+/c"]);
    expect(order("a/b/c", "a/b/+", "a/+/c")).toEqual(["a/b/+", "a/+/c"]);
  });

  it("2. at the same first wildcard, a segment pattern beats a prefix pattern", () => {
    expect(order("a/b", "a/*", "a/+")).toEqual(["a/+", "a/*"]);
    expect(order("a/b", "a/+", "a/*")).toEqual(["a/+", "a/*"]);
  });

  it("3. then fewer + segments win", () => {
    expect(order("a/x/y", "+/+/y", "+/x/y")).toEqual(["+/x/y", "+/+/y"]);
    expect(order("a/x/y", "+/x/y", "+/+/y")).toEqual(["+/x/y", "+/+/y"]);
  });

  it("4. then the longer pattern wins, even when it sorts first as a string", () => {
    expect(order("p/x/y/abc", "+/+/y/ab*", "+/x/+/a*")).toEqual(["+/+/y/ab*", "+/x/+/a*"]);
    expect(order("x/bcd", "+/b*", "+/bc*")).toEqual(["+/bc*", "+/b*"]);
    expect(order("x/bcd", "+/bc*", "+/b*")).toEqual(["+/bc*", "+/b*"]);
  });

  it("5. then the lexicographically greater pattern wins", () => {
    expect(order("a/x/y", "+/+/y", "+/x/+")).toEqual(["+/x/+", "+/+/y"]);
    expect(order("a/x/y", "+/x/+", "+/+/y")).toEqual(["+/x/+", "+/+/y"]);
  });

  it("only the longest matching prefix pattern competes, whatever the declaration order", () => {
    expect(order("a/bc", "a/b*", "a/*")).toEqual(["a/b*"]);
    expect(order("a/bc", "a/*", "a/b*")).toEqual(["a/b*"]);
    expect(order("a/bc", "a/*", "a/b*", "+/bc")).toEqual(["a/b*", "+/bc"]);
  });
});

describe("segment patterns", () => {
  it("a prefix segment pattern longer than the path does not match", () => {
    expect(matchRule(acl("a/+/c*"), "a/b", false)).toBeUndefined();
  });

  it("every literal part must match; only the last part of a prefix pattern may be a prefix of the path's", () => {
    expect(matchRule(acl("a/+/c"), "a/b/d", false)).toBeUndefined();
    expect(matchRule(acl("+/ab/c*"), "x/abc/cd", false)).toBeUndefined();
    expect(matchRule(acl("+/ab/c*"), "x/ab/cd", false)?.permissions.pattern).toBe("+/ab/c*");
  });
});

describe("matchRule steps", () => {
  it("names the step and the candidates that competed", () => {
    const compiled = acl("a/b", "a/*", "+/b", "c");
    const exact = compiled.exact.get("a/b");
    expect(matchRule(compiled, "a/b", false)).toEqual({ permissions: exact, step: "exact", candidates: [] });
    expect(matchRule(compiled, "c/", true)).toEqual({
      permissions: compiled.exact.get("c"),
      step: "exact-without-trailing-slash",
      candidates: [],
    });
    const nonExact = matchRule(compiled, "a/c", false);
    expect(nonExact?.step).toBe("non-exact");
    expect(nonExact?.candidates.map((c) => c.pattern)).toEqual(["a/*"]);
    expect(matchRule(compiled, "a/c", true)?.step).toBe("non-exact");
  });

  it("trimmed-first is the default order; it falls through to the path as given when the trimmed path has no candidate", () => {
    const compiled = acl("a/+", "+");
    expect(matchRule(compiled, "a/", true)).toMatchObject({ permissions: { pattern: "+" }, step: "non-exact-without-trailing-slash" });
    expect(matchRule(acl("a/+"), "a/", true)).toMatchObject({ permissions: { pattern: "a/+" }, step: "non-exact" });
    expect(matchRule(acl("a/+"), "a/", true, "trimmed-last")).toMatchObject({ permissions: { pattern: "a/+" }, step: "non-exact" });
  });

  it("LIST trims only a trailing slash, and finds nothing when neither path matches", () => {
    expect(matchRule(acl("a"), "ab", true)).toBeUndefined();
    expect(matchRule(acl("b/+"), "a/", true, "trimmed-last")).toBeUndefined();
    expect(matchRule(acl("b/+"), "a/", true, "trimmed-first")).toBeUndefined();
  });

  it("the trimmed-last fallback is for LIST with a trailing slash only", () => {
    expect(matchRule(acl("+"), "a/", false, "trimmed-last")).toBeUndefined();
    expect(matchRule(acl("b/+"), "b", true, "trimmed-last")).toBeUndefined();
    expect(matchRule(acl("+"), "a/", true, "trimmed-last")).toMatchObject({
      permissions: { pattern: "+" },
      step: "non-exact-without-trailing-slash",
      candidates: [expect.objectContaining({ pattern: "+" })],
    });
  });
});
