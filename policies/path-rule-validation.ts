/**
 * The checks Vault applies to one `path` block when a policy is written (`parsePaths` in Vault's
 * `vault/policy.go`), shared by the builder and the parsers so both refuse exactly what the
 * server refuses, with the same reason.
 */
import { PolicyValidationError, PolicySourceLocation } from "./policy-error";
import { CAPABILITIES, Capability, PathRule } from "./policy-document";
import { templateSyntaxError } from "./identity-template";

/** The capabilities every supported server accepts in a policy. */
const KNOWN_CAPABILITIES: ReadonlySet<string> = new Set<string>(CAPABILITIES);

/** True when `value` is a capability name this toolkit knows. */
export function isCapability(value: string): value is Capability {
  return KNOWN_CAPABILITIES.has(value);
}

/** Field label used in messages: `path "secret/*"`. */
export function pathField(path: string, key?: string): string {
  return key ? `path ${JSON.stringify(path)}.${key}` : `path ${JSON.stringify(path)}`;
}

/**
 * Check a path pattern the way Vault does: `+*` is refused ("invalid use of wildcards").
 * Also refuses what cannot be written as HCL portably (`${`, `%{` template sequences, empty path).
 */
export function validatePathPattern(path: string, at: PolicySourceLocation): void {
  if (path.includes("+*")) {
    throw new PolicyValidationError(at, "invalid use of wildcards ('+*' is forbidden)", pathField(path));
  }
  const templateError = templateSyntaxError(path);
  if (templateError) throw new PolicyValidationError(at, templateError, pathField(path));
  if (path.includes("${") || path.includes("%{")) {
    throw new PolicyValidationError(at, "template sequences '${' and '%{' are not allowed in a policy path", pathField(path));
  }
}

/**
 * Check a parameter key as Vault does: `*` alone, or a JSON-pointer key (`/a/b`) that may end in
 * `/*`; no other wildcards.
 */
export function validateParameterKey(path: string, field: string, key: string, at: PolicySourceLocation, wildcardPermitted: boolean): void {
  if (key.startsWith("/") && /~[^01]|~$/.test(key)) {
    throw new PolicyValidationError(at, `parameter key ${JSON.stringify(key)}: invalid path syntax`, pathField(path, field));
  }
  if (!key.includes("*")) return;
  if (!wildcardPermitted) {
    throw new PolicyValidationError(at, `parameter key ${JSON.stringify(key)}: wildcard is not permitted here`, pathField(path, field));
  }
  if (key === "*") return;
  if (key.startsWith("/") && key.endsWith("/*") && !key.slice(0, -2).includes("*")) return;
  throw new PolicyValidationError(at, `parameter key ${JSON.stringify(key)} cannot contain non-tail wildcards`, pathField(path, field));
}

/** Check every field of a rule as Vault does when it stores the policy. */
export function validatePathRule(rule: PathRule, at: PolicySourceLocation): void {
  validatePathPattern(rule.path, at);
  for (const cap of rule.capabilities) {
    if (!isCapability(cap)) {
      throw new PolicyValidationError(at, `invalid capability ${JSON.stringify(cap)}`, pathField(rule.path, "capabilities"));
    }
  }
  for (const [field, params] of [
    ["allowed_parameters", rule.allowedParameters],
    ["denied_parameters", rule.deniedParameters],
  ] as const) {
    const seen = new Map<string, string>();
    for (const key of Object.keys(params ?? {})) {
      validateParameterKey(rule.path, field, key, at, true);
      const other = seen.get(key.toLowerCase());
      if (other !== undefined) {
        throw new PolicyValidationError(
          at,
          `parameter keys ${JSON.stringify(other)} and ${JSON.stringify(key)} are the same to Vault (it lower-cases them) and it would keep only one of them, at random`,
          pathField(rule.path, field),
        );
      }
      seen.set(key.toLowerCase(), key);
    }
  }
  const min = rule.minWrappingTtlSeconds ?? 0;
  const max = rule.maxWrappingTtlSeconds ?? 0;
  if (min !== 0 && max !== 0 && max < min) {
    throw new PolicyValidationError(at, "max_wrapping_ttl cannot be less than min_wrapping_ttl", pathField(rule.path, "max_wrapping_ttl"));
  }
}
