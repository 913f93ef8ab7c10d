/**
 * Concrete request paths that stand for a pattern ("witnesses"): the lint and the diff evaluate
 * policies on them, because an ACL can only be compared on concrete paths.
 */
import { classifyPattern } from "./compiled-acl";

/** A segment name that no real pattern is expected to use. */
const FILLER = "_";

/**
 * Witness paths of `pattern`: `+` segments filled, a trailing `*` replaced by nothing and by a
 * deeper path, and the LIST form (trailing slash) of each.
 */
export function patternWitnesses(pattern: string): string[] {
  const p = pattern.replace(/^\//, "");
  const { kind } = classifyPattern(p);
  const filled = p.replace(/(^|\/)\+(?=\/|$|\*)/g, `$1${FILLER}`);
  const out = new Set<string>();
  if (kind === "exact") out.add(filled);
  else if (filled.endsWith("*")) {
    const stem = filled.slice(0, -1);
    out.add(`${stem}${FILLER}`);
    out.add(stem);
    out.add(`${stem}${FILLER}/${FILLER}`);
  } else out.add(filled);
  return [...out].filter((w) => w !== "");
}

/** True when `pattern` alone decides `path` (it matches it). */
export function patternMatches(pattern: string, path: string): boolean {
  const p = pattern.replace(/^\//, "");
  const { kind, key } = classifyPattern(p);
  if (kind === "exact") return path === key;
  if (kind === "prefix") return path.startsWith(key);
  const isPrefix = p.endsWith("*");
  const parts = (isPrefix ? p.slice(0, -1) : p).split("/");
  const pathParts = path.split("/");
  if (pathParts.length < parts.length || (!isPrefix && parts.length !== pathParts.length)) return false;
  return parts.every(
    (part, i) => part === "+" || part === pathParts[i] || (isPrefix && i === parts.length - 1 && pathParts[i].startsWith(part)),
  );
}
