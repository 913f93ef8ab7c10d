import { MergedPermissions, compileAcl } from "../../../policies/compiled-acl";
import { checkParameters, globMatches } from "../../../policies/parameter-constraints";
import { PathRule } from "../../../policies/policy-document";

describe("globMatches (Vault's GlobbedStringsMatch)", () => {
  it.each([
    ["foo-*", "foo-1", true],
    ["foo-*", "1-foo", false],
    ["*-foo", "1-foo", true],
    ["*mid*", "a-mid-b", true],
    ["*", "*", true],
    ["*", "anything", false],
    ["exact", "exact", true],
    ["exact", "exactly", false],
  ])("%j vs %j is %s", (pattern, value, expected) => {
    expect(globMatches(pattern, value)).toBe(expected);
  });
});

describe("globMatches edges", () => {
  it.each([
    ["*a", "ba", true],
    ["*a", "*a", true],
    ["*a", "ab", false],
    ["a*", "ab", true],
    ["ab*", "axx", false],
    ["ab*", "xyz", false],
    ["ab*", "xbx", false],
    ["abc", "xbc", false],
    ["*mid*", "nothing", false],
    ["**", "anything", true],
    ["", "", true],
    ["", "x", false],
  ])("%j vs %j is %s", (pattern, value, expected) => {
    expect(globMatches(pattern, value)).toBe(expected);
  });
});

describe("checkParameters", () => {
  function permissions(rule: Omit<PathRule, "path" | "capabilities">): MergedPermissions {
    const acl = compileAcl([{ name: "p", rules: [{ path: "x", capabilities: ["create"], ...rule }] }]);
    const merged = acl.exact.get("x");
    if (!merged) throw new Error("no rule compiled");
    return merged;
  }

  it("without constraints every parameter passes, an empty allowed_parameters map included", () => {
    expect(checkParameters(permissions({}), { a: "1", b: ["2"] })).toBeUndefined();
    expect(checkParameters(permissions({ allowedParameters: {}, deniedParameters: {} }), { a: "1" })).toBeUndefined();
  });

  it("names a missing required parameter", () => {
    expect(checkParameters(permissions({ requiredParameters: ["Name"] }), { other: "1" })).toBe('required parameter "Name" is missing');
    expect(checkParameters(permissions({ requiredParameters: ["Name"] }), { name: "1" })).toBeUndefined();
  });

  it("says whether a parameter is denied outright or for its value", () => {
    expect(checkParameters(permissions({ deniedParameters: { y: [] } }), { y: "1" })).toBe('parameter "y" is denied');
    expect(checkParameters(permissions({ deniedParameters: { y: ["c"] } }), { y: "c" })).toBe('parameter "y" is denied for value "c"');
    expect(checkParameters(permissions({ deniedParameters: { "*": [] } }), { y: "1" })).toBe(
      'every parameter is denied ("*" in denied_parameters)',
    );
  });

  it("Vault checks list and comma-separated elements: any denied element denies, every element must be allowed", () => {
    const allowed = permissions({ allowedParameters: { x: ["a", "b"] } });
    expect(checkParameters(allowed, { x: ["a", "z"] })).toBe('value ["a","z"] of parameter "x" is not allowed');
    expect(checkParameters(allowed, { x: "a, z" })).toBe('value "a, z" of parameter "x" is not allowed');
    expect(checkParameters(allowed, { x: "b, a" })).toBeUndefined();
    expect(checkParameters(allowed, { x: "" })).toBeUndefined();
    const denied = permissions({ deniedParameters: { y: ["c"] } });
    expect(checkParameters(denied, { y: ["a", "c"] })).toBe('parameter "y" is denied for value ["a","c"]');
    expect(checkParameters(denied, { y: ["a", "b"] })).toBeUndefined();
  });

  it("a value that is neither string nor list matches no pattern", () => {
    expect(checkParameters(permissions({ allowedParameters: { n: ["5*"] } }), { n: 5 })).toBe('value 5 of parameter "n" is not allowed');
    expect(checkParameters(permissions({ allowedParameters: { n: ["5"] } }), { n: true })).toBe(
      'value true of parameter "n" is not allowed',
    );
    expect(checkParameters(permissions({ deniedParameters: { n: ["5*"] } }), { n: 5 })).toBeUndefined();
  });

  it('"*" in allowed_parameters lets unlisted parameters through, still checking listed ones', () => {
    const star = permissions({ allowedParameters: { "*": [], x: ["a"] } });
    expect(checkParameters(star, { other: "1" })).toBeUndefined();
    expect(checkParameters(star, { x: "b" })).toBe('value "b" of parameter "x" is not allowed');
    expect(checkParameters(permissions({ allowedParameters: { "*": [] } }), { other: "1" })).toBeUndefined();
  });

  it("whole-value matching (OpenBao) compares lists and comma strings as they are", () => {
    const allowed = permissions({ allowedParameters: { x: ["a", "b"] } });
    expect(checkParameters(allowed, { x: "b, a" }, "whole-value")).toBe('value "b, a" of parameter "x" is not allowed');
    expect(checkParameters(allowed, { x: "a" }, "whole-value")).toBeUndefined();
  });
});
