/**
 * How the request constraints of a path changed between two versions (parameters, wrapping TTL
 * bounds): each difference is classified as loosening (more requests pass) or tightening.
 */
import { MergedPermissions } from "./compiled-acl";

/** Loosened and tightened constraints, as short phrases. */
export interface ConstraintChanges {
  /** Changes that let more requests through. */
  readonly loosened: readonly string[];
  /** Changes that let fewer requests through. */
  readonly tightened: readonly string[];
}

type Params = ReadonlyMap<string, readonly string[]> | undefined;

function constrained(params: Params): params is ReadonlyMap<string, readonly string[]> {
  return params !== undefined && params.size > 0;
}

function compareLists(
  name: string,
  before: readonly string[],
  after: readonly string[],
  widerWhenMore: boolean,
  out: { loosened: string[]; tightened: string[] },
) {
  const anyBefore = before.length === 0;
  const anyAfter = after.length === 0;
  if (anyBefore && anyAfter) return;
  const added = anyAfter ? ["any value"] : after.filter((v) => anyBefore || !before.includes(v));
  const removed = anyBefore ? ["any value"] : before.filter((v) => anyAfter || !after.includes(v));
  if (added.length) (widerWhenMore ? out.loosened : out.tightened).push(`${name} adds ${added.join(", ")}`);
  if (removed.length) (widerWhenMore ? out.tightened : out.loosened).push(`${name} drops ${removed.join(", ")}`);
}

function compareParams(label: string, before: Params, after: Params, allowList: boolean, out: { loosened: string[]; tightened: string[] }) {
  if (!constrained(before) && !constrained(after)) return;
  if (!constrained(after)) {
    out.loosened.push(`${label} removed`);
    return;
  }
  if (!constrained(before)) {
    out.tightened.push(`${label} added`);
    return;
  }
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    if (b === undefined && a !== undefined) (allowList ? out.loosened : out.tightened).push(`${label} adds ${JSON.stringify(key)}`);
    else if (b !== undefined && a === undefined) (allowList ? out.tightened : out.loosened).push(`${label} drops ${JSON.stringify(key)}`);
    else if (a !== undefined && b !== undefined) compareLists(`${label} ${JSON.stringify(key)}`, b, a, allowList, out);
  }
}

/** Compare the constraints of the pattern deciding a path before and after a change. */
export function compareConstraints(before: MergedPermissions, after: MergedPermissions): ConstraintChanges {
  const out = { loosened: [] as string[], tightened: [] as string[] };
  compareParams("allowed_parameters", before.allowedParameters, after.allowedParameters, true, out);
  compareParams("denied_parameters", before.deniedParameters, after.deniedParameters, false, out);
  for (const name of before.requiredParameters)
    if (!after.requiredParameters.includes(name)) out.loosened.push(`required parameter ${JSON.stringify(name)} dropped`);
  for (const name of after.requiredParameters)
    if (!before.requiredParameters.includes(name)) out.tightened.push(`required parameter ${JSON.stringify(name)} added`);
  const bound = (label: string, b: number, a: number, looserWhenHigher: boolean) => {
    if (a === b) return;
    const looser = a === 0 || (b !== 0 && (looserWhenHigher ? a > b : a < b));
    (looser ? out.loosened : out.tightened).push(`${label} ${b === 0 ? "none" : `${b}s`} → ${a === 0 ? "none" : `${a}s`}`);
  };
  bound("min_wrapping_ttl", before.minWrappingTtlSeconds, after.minWrappingTtlSeconds, false);
  bound("max_wrapping_ttl", before.maxWrappingTtlSeconds, after.maxWrappingTtlSeconds, true);
  return out;
}
