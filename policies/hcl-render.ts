/**
 * Canonical HCL for a policy: the same document always renders to the same bytes. Rules keep
 * their declaration order; inside a rule the keys come in a fixed order, capabilities in Vault's
 * canonical order, parameter names sorted; two-space indent, one blank line between blocks.
 */
import { canonicalCapabilities } from "./policy-builder";
import { PathRule, PolicyDocument } from "./policy-document";
import { formatVaultDuration } from "./duration";
import { validatePathRule } from "./path-rule-validation";

/** Quote `value` as an HCL string literal (JSON escapes are valid HCL escapes). */
export function hclString(value: string): string {
  return JSON.stringify(value);
}

function hclList(values: readonly string[]): string {
  return `[${values.map(hclString).join(", ")}]`;
}

function renderParameters(key: string, params: Readonly<Record<string, readonly string[]>>): string[] {
  const names = Object.keys(params).sort();
  if (names.length === 0) return [`  ${key} = {}`];
  return [`  ${key} = {`, ...names.map((name) => `    ${hclString(name)} = ${hclList(params[name])}`), "  }"];
}

function renderRule(rule: PathRule): string {
  const lines = [`path ${hclString(rule.path)} {`, `  capabilities = ${hclList(canonicalCapabilities(rule.capabilities))}`];
  if (rule.allowedParameters) lines.push(...renderParameters("allowed_parameters", rule.allowedParameters));
  if (rule.deniedParameters) lines.push(...renderParameters("denied_parameters", rule.deniedParameters));
  if (rule.requiredParameters) lines.push(`  required_parameters = ${hclList(rule.requiredParameters)}`);
  if (rule.minWrappingTtlSeconds !== undefined)
    lines.push(`  min_wrapping_ttl = ${hclString(formatVaultDuration(rule.minWrappingTtlSeconds))}`);
  if (rule.maxWrappingTtlSeconds !== undefined)
    lines.push(`  max_wrapping_ttl = ${hclString(formatVaultDuration(rule.maxWrappingTtlSeconds))}`);
  lines.push("}");
  return lines.join("\n");
}

/**
 * Render `doc` as canonical HCL that Vault (and `vault policy fmt`) accepts. Throws a
 * `PolicyValidationError` if a rule is one Vault would refuse.
 */
export function renderHcl(doc: PolicyDocument): string {
  for (const rule of doc.rules) validatePathRule(rule, { file: `policy ${JSON.stringify(doc.name)}` });
  if (doc.rules.length === 0) return "";
  return `${doc.rules.map(renderRule).join("\n\n")}\n`;
}
