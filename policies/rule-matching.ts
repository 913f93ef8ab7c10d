/**
 * Which merged pattern decides a request path, following Vault's `AllowOperation` and
 * `CheckAllowedFromNonExactPaths`: an exact pattern wins; otherwise the longest prefix pattern
 * and every matching segment-wildcard pattern compete by Vault's priority order.
 */
import { CompiledAcl, MergedPermissions } from "./compiled-acl";

/** How the deciding pattern was found. */
export type MatchStep = "exact" | "exact-without-trailing-slash" | "non-exact-without-trailing-slash" | "non-exact";

/** The pattern that decides a path, and how it was reached. */
export interface RuleMatch {
  /** The merged permissions of the deciding pattern. */
  readonly permissions: MergedPermissions;
  /** Which lookup step found it. */
  readonly step: MatchStep;
  /** Every non-exact candidate that matched, highest priority first (empty for exact matches). */
  readonly candidates: readonly MergedPermissions[];
}

interface Candidate {
  readonly firstWildcard: number;
  readonly isPrefix: boolean;
  readonly wildcards: number;
  readonly stem: string;
  readonly permissions: MergedPermissions;
}

/** Vault's priority order: negative when `a` is lower priority than `b`. */
// Stryker disable EqualityOperator: equivalent: each comparison runs only after `!==` found the two values different, where `<` and `<=` (or `>` and `>=`) agree.
function comparePriority(a: Candidate, b: Candidate): number {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard < b.firstWildcard ? -1 : 1;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix ? -1 : 1;
  if (a.wildcards !== b.wildcards) return a.wildcards > b.wildcards ? -1 : 1;
  if (a.stem.length !== b.stem.length) return a.stem.length < b.stem.length ? -1 : 1;
  // Stryker disable next-line ConditionalExpression: equivalent: two candidates never share a stem (prefix stems hold no "+", segment stems do).
  if (a.stem !== b.stem) return a.stem < b.stem ? -1 : 1;
  return 0;
}
// Stryker restore EqualityOperator

function longestPrefix(acl: CompiledAcl, path: string): { prefix: string; permissions: MergedPermissions } | undefined {
  let best: { prefix: string; permissions: MergedPermissions } | undefined;
  for (const [prefix, permissions] of acl.prefix) {
    // Stryker disable next-line EqualityOperator: `>=` is equivalent: two different prefixes of one path never have the same length.
    if (path.startsWith(prefix) && (!best || prefix.length > best.prefix.length)) best = { prefix, permissions };
  }
  return best;
}

function segmentCandidate(pattern: string, permissions: MergedPermissions, pathParts: readonly string[]): Candidate | undefined {
  const isPrefix = pattern.endsWith("*");
  const stem = isPrefix ? pattern.slice(0, -1) : pattern;
  const parts = stem.split("/");
  if (pathParts.length < parts.length) return undefined;
  if (!isPrefix && parts.length !== pathParts.length) return undefined;
  let wildcards = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === "+") wildcards++;
    else if (part === pathParts[i]) continue;
    else if (isPrefix && i === parts.length - 1 && pathParts[i].startsWith(part)) continue;
    else return undefined;
  }
  return { firstWildcard: pattern.indexOf("+"), isPrefix, wildcards, stem, permissions };
}

/** Non-exact lookup (`CheckAllowedFromNonExactPaths`): candidates sorted highest priority first. */
export function nonExactCandidates(acl: CompiledAcl, path: string): MergedPermissions[] {
  const candidates: Candidate[] = [];
  const prefix = longestPrefix(acl, path);
  if (prefix) {
    // Stryker disable next-line ConditionalExpression: equivalent when false: without segment patterns the code below returns the same single candidate (this skips the sort).
    if (acl.segment.size === 0) return [prefix.permissions];
    candidates.push({
      firstWildcard: prefix.prefix.length,
      isPrefix: true,
      wildcards: 0,
      stem: prefix.prefix,
      permissions: prefix.permissions,
    });
  }
  const pathParts = path.split("/");
  for (const [pattern, permissions] of acl.segment) {
    const candidate = segmentCandidate(pattern, permissions, pathParts);
    if (candidate) candidates.push(candidate);
  }
  return candidates.sort((a, b) => comparePriority(b, a)).map((c) => c.permissions);
}

/**
 * Where the LIST lookup tries the path without its trailing slash among the non-exact patterns:
 * HashiCorp Vault 1.21 tries it before the path as given (VAULT-3825); OpenBao 2.6 tries the
 * path as given first and the path without the slash only when nothing matched (measured against
 * the real servers by the differential test).
 */
export type ListFallbackOrder = "trimmed-first" | "trimmed-last";

/**
 * Find the pattern deciding `path` for an operation (`isList` enables the LIST fallbacks: exact
 * match without the trailing slash, then a non-exact match without it, in `order`).
 */
export function matchRule(
  acl: CompiledAcl,
  rawPath: string,
  isList: boolean,
  order: ListFallbackOrder = "trimmed-first",
): RuleMatch | undefined {
  const path = rawPath.replace(/^\/+/, "");
  const exact = acl.exact.get(path);
  if (exact) return { permissions: exact, step: "exact", candidates: [] };
  const trimmed = path.endsWith("/") ? path.slice(0, -1) : path;
  if (isList) {
    const exactTrimmed = acl.exact.get(trimmed);
    if (exactTrimmed) return { permissions: exactTrimmed, step: "exact-without-trailing-slash", candidates: [] };
    if (path.endsWith("/") && order === "trimmed-first") {
      const candidates = nonExactCandidates(acl, trimmed);
      if (candidates.length > 0) return { permissions: candidates[0], step: "non-exact-without-trailing-slash", candidates };
    }
  }
  const candidates = nonExactCandidates(acl, path);
  if (candidates.length > 0) return { permissions: candidates[0], step: "non-exact", candidates };
  // Stryker disable next-line StringLiteral,ConditionalExpression: equivalent: without a trailing slash, or in trimmed-first order, the trimmed path was already tried.
  if (isList && path.endsWith("/") && order === "trimmed-last") {
    const fallback = nonExactCandidates(acl, trimmed);
    if (fallback.length > 0) return { permissions: fallback[0], step: "non-exact-without-trailing-slash", candidates: fallback };
  }
  return undefined;
}
