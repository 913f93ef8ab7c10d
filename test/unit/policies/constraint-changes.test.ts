import { compileAcl } from "../../../policies/compiled-acl";
import { compareConstraints } from "../../../policies/constraint-changes";
import { PathRule } from "../../../policies/policy-document";

function perms(rule: Omit<PathRule, "path" | "capabilities">) {
  const acl = compileAcl([{ name: "p", rules: [{ path: "x", capabilities: ["create"], ...rule }] }]);
  const merged = acl.exact.get("x");
  if (!merged) throw new Error("not compiled");
  return merged;
}

describe("compareConstraints", () => {
  it("classifies parameter changes as loosening or tightening", () => {
    expect(compareConstraints(perms({ allowedParameters: { a: ["1"] } }), perms({}))).toEqual({
      loosened: ["allowed_parameters removed"],
      tightened: [],
    });
    expect(compareConstraints(perms({}), perms({ allowedParameters: { a: [] } }))).toEqual({
      loosened: [],
      tightened: ["allowed_parameters added"],
    });
    expect(compareConstraints(perms({ allowedParameters: { a: ["1"] } }), perms({ allowedParameters: { a: ["1", "2"], b: [] } }))).toEqual({
      loosened: ['allowed_parameters "a" adds 2', 'allowed_parameters adds "b"'],
      tightened: [],
    });
    expect(compareConstraints(perms({ deniedParameters: { a: [] } }), perms({ deniedParameters: { a: ["x"] } }))).toEqual({
      loosened: ['denied_parameters "a" drops any value'],
      tightened: ['denied_parameters "a" adds x'],
    });
    expect(compareConstraints(perms({ requiredParameters: ["a"] }), perms({ requiredParameters: ["b"] }))).toEqual({
      loosened: ['required parameter "a" dropped'],
      tightened: ['required parameter "b" added'],
    });
  });

  it("classifies wrapping TTL bound changes", () => {
    expect(compareConstraints(perms({ maxWrappingTtlSeconds: 60 }), perms({ maxWrappingTtlSeconds: 120 })).loosened).toEqual([
      "max_wrapping_ttl 60s → 120s",
    ]);
    expect(compareConstraints(perms({ minWrappingTtlSeconds: 60 }), perms({})).loosened).toEqual(["min_wrapping_ttl 60s → none"]);
    expect(compareConstraints(perms({}), perms({ minWrappingTtlSeconds: 1 })).tightened).toEqual(["min_wrapping_ttl none → 1s"]);
  });
});
