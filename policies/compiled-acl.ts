/**
 * A set of policies compiled the way Vault's `NewACL` compiles a token's policies: rules are
 * grouped by their exact pattern string into exact, prefix (`*` last) and segment-wildcard (`+`)
 * tables; the same pattern in several policies is merged (capabilities unioned, `deny` wins,
 * lower wrapping TTLs, parameter lists merged). Different patterns are never merged: lookup picks
 * one of them by Vault's priority order.
 */
import { Capability, PathRule, PolicyDocument } from "./policy-document";
import { IdentityContext, hasTemplate, resolveTemplate } from "./identity-template";
import { PolicyValidationError } from "./policy-error";
import { pathField } from "./path-rule-validation";

/** Which table a pattern lives in. */
export type RuleKind = "exact" | "prefix" | "segment";

/** One policy rule that contributed to a merged pattern. */
export interface RuleSource {
  /** Policy name. */
  readonly policy: string;
  /** The pattern as written in that policy (after template resolution). */
  readonly path: string;
  /** The capabilities that rule declared. */
  readonly capabilities: readonly Capability[];
}

/** The merged permissions of one pattern across all policies. */
export interface MergedPermissions {
  /** The pattern as written (with its trailing `*` when it has one). */
  readonly pattern: string;
  /** Exact, prefix or segment-wildcard. */
  readonly kind: RuleKind;
  /** Merged capabilities; exactly `["deny"]` when any contributing rule denies. */
  readonly capabilities: ReadonlySet<Capability>;
  /** Merged allowed parameters; undefined = never set (no constraint). Keys lower-cased. */
  readonly allowedParameters: ReadonlyMap<string, readonly string[]> | undefined;
  /** Merged denied parameters; undefined = never set. Keys lower-cased. */
  readonly deniedParameters: ReadonlyMap<string, readonly string[]> | undefined;
  /** Union of required parameters. */
  readonly requiredParameters: readonly string[];
  /** Lowest non-zero min wrapping TTL in seconds (0 = none). */
  readonly minWrappingTtlSeconds: number;
  /** Lowest non-zero max wrapping TTL in seconds (0 = none). */
  readonly maxWrappingTtlSeconds: number;
  /** Every rule merged into this pattern, in policy order. */
  readonly sources: readonly RuleSource[];
}

interface MutablePermissions {
  pattern: string;
  kind: RuleKind;
  capabilities: Set<Capability>;
  allowedParameters: Map<string, readonly string[]> | undefined;
  deniedParameters: Map<string, readonly string[]> | undefined;
  requiredParameters: string[];
  minWrappingTtlSeconds: number;
  maxWrappingTtlSeconds: number;
  sources: RuleSource[];
}

/** The compiled tables. */
export interface CompiledAcl {
  /** Exact patterns keyed by path. */
  readonly exact: ReadonlyMap<string, MergedPermissions>;
  /** Prefix patterns keyed by the prefix (pattern without its trailing `*`). */
  readonly prefix: ReadonlyMap<string, MergedPermissions>;
  /** Segment-wildcard patterns keyed by the full pattern. */
  readonly segment: ReadonlyMap<string, MergedPermissions>;
}

function paramMap(params: Readonly<Record<string, readonly string[]>> | undefined): Map<string, readonly string[]> | undefined {
  if (params === undefined) return undefined;
  const out = new Map<string, readonly string[]>();
  for (const [key, values] of Object.entries(params)) out.set(key.toLowerCase(), [...values]);
  return out;
}

function mergeParams(existing: Map<string, readonly string[]> | undefined, incoming: Map<string, readonly string[]> | undefined) {
  if (incoming === undefined || incoming.size === 0) return existing;
  if (existing === undefined) return new Map(incoming);
  for (const [key, values] of incoming) {
    const current = existing.get(key);
    if (values.length === 0 || (current !== undefined && current.length === 0)) existing.set(key, []);
    else existing.set(key, [...values, ...(current ?? [])]);
  }
  return existing;
}

/** Classify a pattern as Vault does (`parsePaths`): its table and its key in that table. */
export function classifyPattern(pattern: string): { kind: RuleKind; key: string } {
  const hasSegmentWildcards = pattern === "+" || pattern.includes("/+") || pattern.startsWith("+/");
  if (hasSegmentWildcards) return { kind: "segment", key: pattern };
  if (pattern.endsWith("*")) return { kind: "prefix", key: pattern.slice(0, -1) };
  return { kind: "exact", key: pattern };
}

/**
 * Compile `policies` for a requester with `identity`. Templated paths that do not resolve for
 * that identity are skipped (Vault's behaviour).
 */
export function compileAcl(policies: readonly PolicyDocument[], identity?: IdentityContext): CompiledAcl {
  const tables: Record<RuleKind, Map<string, MutablePermissions>> = { exact: new Map(), prefix: new Map(), segment: new Map() };
  for (const policy of policies) {
    for (const rule of policy.rules) {
      let written = rule.path;
      if (hasTemplate(written)) {
        const resolved = resolveTemplate(written, identity);
        if (resolved === undefined) continue;
        written = resolved;
      }
      if (written.startsWith("/")) written = written.slice(1);
      if (written.includes("+*")) {
        throw new PolicyValidationError(
          { file: `policy ${JSON.stringify(policy.name)}` },
          "invalid use of wildcards ('+*' is forbidden)",
          pathField(written),
        );
      }
      merge(tables, policy.name, { ...rule, path: written });
    }
  }
  return { exact: tables.exact, prefix: tables.prefix, segment: tables.segment };
}

function merge(tables: Record<RuleKind, Map<string, MutablePermissions>>, policy: string, rule: PathRule): void {
  const { kind, key } = classifyPattern(rule.path);
  const table = tables[kind];
  const isDeny = rule.capabilities.includes("deny");
  const source: RuleSource = { policy, path: rule.path, capabilities: rule.capabilities };
  const existing = table.get(key);
  if (!existing) {
    table.set(key, {
      pattern: rule.path,
      kind,
      capabilities: new Set(isDeny ? ["deny"] : rule.capabilities),
      allowedParameters: isDeny ? undefined : paramMap(rule.allowedParameters),
      deniedParameters: isDeny ? undefined : paramMap(rule.deniedParameters),
      requiredParameters: isDeny ? [] : [...(rule.requiredParameters ?? [])],
      minWrappingTtlSeconds: isDeny ? 0 : (rule.minWrappingTtlSeconds ?? 0),
      maxWrappingTtlSeconds: isDeny ? 0 : (rule.maxWrappingTtlSeconds ?? 0),
      sources: [source],
    });
    return;
  }
  existing.sources.push(source);
  if (existing.capabilities.has("deny")) return;
  if (isDeny) {
    existing.capabilities = new Set(["deny"]);
    existing.allowedParameters = undefined;
    existing.deniedParameters = undefined;
    return;
  }
  for (const cap of rule.capabilities) existing.capabilities.add(cap);
  const max = rule.maxWrappingTtlSeconds ?? 0;
  if (max > 0 && (existing.maxWrappingTtlSeconds === 0 || max < existing.maxWrappingTtlSeconds)) existing.maxWrappingTtlSeconds = max;
  const min = rule.minWrappingTtlSeconds ?? 0;
  if (min > 0 && (existing.minWrappingTtlSeconds === 0 || min < existing.minWrappingTtlSeconds)) existing.minWrappingTtlSeconds = min;
  existing.allowedParameters = mergeParams(existing.allowedParameters, paramMap(rule.allowedParameters));
  existing.deniedParameters = mergeParams(existing.deniedParameters, paramMap(rule.deniedParameters));
  for (const name of rule.requiredParameters ?? []) if (!existing.requiredParameters.includes(name)) existing.requiredParameters.push(name);
}
