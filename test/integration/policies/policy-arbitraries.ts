/**
 * fast-check generators of policy sets and request paths over a deliberately small alphabet, so
 * generated patterns overlap often: exact, prefix (`*` last, also mid-segment), segment (`+`)
 * patterns, trailing slashes, leading slashes, empty segments, `deny`, the same pattern in
 * several policies.
 */
import fc from "fast-check";
import { Capability, PathRule, PolicyDocument } from "../../../policies/policy-document";

/** Segments patterns and paths are built from. */
export const SEGMENTS = ["a", "b", "ab", "ba", "x", "a*"] as const;

const segment = fc.constantFrom(...SEGMENTS);

/** A path pattern Vault accepts (never `+*`). */
export function patternArbitrary(): fc.Arbitrary<string> {
  // "+a" is not a whole-segment wildcard, yet Vault files every pattern containing "/+" as a segment-wildcard rule.
  const part = fc.oneof(
    { weight: 8, arbitrary: segment },
    { weight: 4, arbitrary: fc.constant("+") },
    { weight: 2, arbitrary: fc.constant("") },
    { weight: 1, arbitrary: fc.constant("+a") },
  );
  return fc
    .record({
      parts: fc.array(part, { minLength: 1, maxLength: 4 }),
      ending: fc.constantFrom("", "", "*", "/", "/*", "b*"),
      leading: fc.constantFrom("", "", "", "", "/"),
    })
    .map(({ parts, ending, leading }) => {
      let body = parts.join("/");
      if (ending === "b*") body = `${body}/b*`;
      else body = `${body}${ending}`;
      return `${leading}${body}`;
    })
    .filter((p) => !p.includes("+*") && p.replace(/^\//, "") !== "");
}

/** A rule: some capabilities of `caps`, deny, or nothing at all. */
export function ruleArbitrary(caps: readonly Capability[]): fc.Arbitrary<PathRule> {
  const grants = caps.filter((c) => c !== "deny");
  return fc.record({
    path: patternArbitrary(),
    capabilities: fc.oneof(
      { weight: 5, arbitrary: fc.subarray([...grants], { minLength: 1 }) },
      { weight: 1, arbitrary: fc.constant<Capability[]>(["deny"]) },
      // A rule granting nothing still wins the lookup and so denies what a lower rule grants.
      { weight: 1, arbitrary: fc.constant<Capability[]>([]) },
    ),
  });
}

/** One to three policies of one to six rules; names are assigned by the caller. */
export function policySetArbitrary(caps: readonly Capability[]): fc.Arbitrary<PolicyDocument[]> {
  return fc
    .array(fc.array(ruleArbitrary(caps), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 })
    .map((sets) => sets.map((rules, i) => ({ name: `p${i}`, rules })));
}

/** Request paths, partly derived from the patterns so many of them match something. */
export function pathsArbitrary(count: number): fc.Arbitrary<string[]> {
  const free = fc
    .record({
      parts: fc.array(
        fc.oneof(
          { weight: 12, arbitrary: segment },
          { weight: 2, arbitrary: fc.constant("") },
          { weight: 2, arbitrary: fc.constant("abx") },
          { weight: 1, arbitrary: fc.constant("+a") },
        ),
        {
          minLength: 1,
          maxLength: 5,
        },
      ),
      slash: fc.constantFrom("", "", "/"),
    })
    .map(({ parts, slash }) => `${parts.join("/")}${slash}`)
    .filter((p) => p !== "" && p !== "/");
  return fc.array(free, { minLength: count, maxLength: count });
}

/** Concrete paths near each pattern: `+` replaced, `*` stripped or extended, slash toggled. */
export function pathsNearPatterns(policies: readonly PolicyDocument[]): string[] {
  const out = new Set<string>();
  for (const rule of policies.flatMap((p) => p.rules)) {
    const base = rule.path.replace(/^\//, "");
    const filled = base.replace(/(^|\/)\+(?=\/|$|\*)/g, "$1ab");
    const stem = filled.endsWith("*") ? filled.slice(0, -1) : filled;
    for (const p of [stem, `${stem}/`, `${stem}x`, `${stem}x/b`, stem.replace(/\/$/, ""), `${stem}/a/`])
      if (p !== "" && p !== "/") out.add(p);
  }
  return [...out];
}
