import { globMatches } from "../../../policies/parameter-constraints";

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
