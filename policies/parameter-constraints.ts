/**
 * Request-parameter checks of Vault's `AllowOperation`: required parameters, denied parameters
 * (values may use a leading or trailing `*` glob), then allowed parameters. How list values and
 * comma-separated strings are matched depends on the server: HashiCorp Vault 1.21 checks each
 * element (any denied element denies, every element must be allowed); OpenBao 2.6 (like Vault
 * 1.20 and earlier) only compares the whole value.
 */
import { MergedPermissions } from "./compiled-acl";

/** Request body values as a JSON request would carry them. */
export type RequestValue = string | number | boolean | null | readonly RequestValue[] | { readonly [key: string]: RequestValue };

/** `elements`: lists and comma-separated strings are checked element by element; `whole-value`: not. */
export type ParameterValueMatching = "elements" | "whole-value";

/** Why parameters were refused, or undefined when they pass. */
export type ParameterVerdict = undefined | string;

/** Vault's glob: `*x` suffix match, `x*` prefix match, `*x*` substring, otherwise equality. */
export function globMatches(pattern: string, value: string): boolean {
  if (pattern.length < 2) return pattern === value;
  const starts = pattern.startsWith("*");
  const ends = pattern.endsWith("*");
  if (starts && ends) return value.includes(pattern.slice(1, -1));
  if (starts) return value.endsWith(pattern.slice(1));
  if (ends) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}

function inList(value: RequestValue, list: readonly string[]): boolean {
  return typeof value === "string" && list.some((pattern) => globMatches(pattern, value));
}

/** Split a string the way Vault's comma-string-slice decoding does (trimmed; "" is no elements). */
function commaElements(value: string): string[] {
  if (value === "") return [];
  return value.split(",").map((s) => s.trim());
}

function valueAllowed(value: RequestValue, list: readonly string[], matching: ParameterValueMatching): boolean {
  if (list.length === 0 || inList(value, list)) return true;
  if (matching === "whole-value") return false;
  if (Array.isArray(value)) return value.every((v: RequestValue) => inList(v, list));
  if (typeof value === "string") return commaElements(value).every((v) => inList(v, list));
  return false;
}

function valueDenied(value: RequestValue, list: readonly string[], matching: ParameterValueMatching): boolean {
  if (list.length === 0 || inList(value, list)) return true;
  if (matching === "whole-value") return false;
  if (Array.isArray(value)) return value.some((v: RequestValue) => inList(v, list));
  if (typeof value === "string") return commaElements(value).some((v) => inList(v, list));
  return false;
}

/** Check request `data` against the parameter constraints of `permissions`. */
export function checkParameters(
  permissions: MergedPermissions,
  data: Readonly<Record<string, RequestValue>>,
  // Stryker disable next-line StringLiteral: equivalent: only "whole-value" is tested for, so any other default string means element matching.
  matching: ParameterValueMatching = "elements",
): ParameterVerdict {
  for (const name of permissions.requiredParameters) {
    if (!Object.prototype.hasOwnProperty.call(data, name.toLowerCase())) return `required parameter ${JSON.stringify(name)} is missing`;
  }
  const entries = Object.entries(data);
  if (entries.length === 0) return undefined;
  const denied = permissions.deniedParameters;
  // Stryker disable next-line EqualityOperator: `>=` is equivalent: an empty map has no "*" and no entry for any name.
  // Stryker disable next-line ConditionalExpression: `denied.size > 0` → true is equivalent: an empty map has no "*" and no entry for any name.
  if (denied && denied.size > 0) {
    if (denied.has("*")) return `every parameter is denied ("*" in denied_parameters)`;
    for (const [name, value] of entries) {
      const list = denied.get(name.toLowerCase());
      if (list && valueDenied(value, list, matching))
        return `parameter ${JSON.stringify(name)} is denied${list.length ? ` for value ${JSON.stringify(value)}` : ""}`;
    }
  }
  const allowed = permissions.allowedParameters;
  if (!allowed || allowed.size === 0) return undefined;
  const allowAll = allowed.has("*");
  // Stryker disable next-line ConditionalExpression: equivalent when false: with "*" as the only key the loop below lets every parameter through.
  if (allowed.size === 1 && allowAll) return undefined;
  for (const [name, value] of entries) {
    const list = allowed.get(name.toLowerCase());
    if (list === undefined && !allowAll) return `parameter ${JSON.stringify(name)} is not in allowed_parameters`;
    if (list !== undefined && !valueAllowed(value, list, matching))
      return `value ${JSON.stringify(value)} of parameter ${JSON.stringify(name)} is not allowed`;
  }
  return undefined;
}
