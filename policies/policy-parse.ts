/**
 * Read existing policy files: HCL through HashiCorp's own parser (`@cdktf/hcl2json`) or JSON
 * (which Vault also accepts), then apply the checks Vault applies when the policy is written.
 * Every error names the file and line.
 */
import { parse as parseHcl2Json } from "@cdktf/hcl2json";
import { parseVaultDuration } from "./duration";
import { canonicalCapabilities } from "./policy-builder";
import { Capability, PathRule, PolicyDocument } from "./policy-document";
import { PolicySourceLocation, PolicyValidationError } from "./policy-error";
import { validatePolicyName } from "./policy-name";
import { isCapability, pathField, validateParameterKey, validatePathPattern, validatePathRule } from "./path-rule-validation";
import { PATH_BLOCK_KEYS, PolicyServerFlavor, SERVER_CAPABILITIES, UNMODELLED_KEYS } from "./server-flavor";
import { LocatedBlock, lineAndColumn, locatePathBlocks } from "./source-locator";

/** How to read a policy file. */
export interface ParsePolicyOptions {
  /** Policy name (lower-case); defaults to the file's base name without extension. */
  readonly name?: string;
  /** File name used in error messages. @default "policy.hcl" */
  readonly file?: string;
  /** Server whose rules apply (path-block keys and capabilities differ). @default "vault" */
  readonly flavor?: PolicyServerFlavor;
}

/** Legacy `policy = "..."` values and the capabilities Vault maps them to. */
const LEGACY_POLICIES: Readonly<Record<string, readonly Capability[]>> = {
  deny: ["deny"],
  read: ["read", "list"],
  write: ["create", "read", "update", "delete", "list"],
  sudo: ["create", "read", "update", "delete", "list", "sudo"],
};

/** Parse HCL or JSON policy text (JSON when the first non-blank character is `{`). */
export async function parsePolicy(text: string, options: ParsePolicyOptions = {}): Promise<PolicyDocument> {
  const file = options.file ?? "policy.hcl";
  const raw = text.trimStart().startsWith("{") ? parseJsonText(text, file) : await parseHclText(text, file);
  return decodePolicy(raw, text, { ...options, file });
}

/** Parse HCL policy text. */
export async function parsePolicyHcl(text: string, options: ParsePolicyOptions = {}): Promise<PolicyDocument> {
  const file = options.file ?? "policy.hcl";
  return decodePolicy(await parseHclText(text, file), text, { ...options, file });
}

/** Parse JSON policy text (`{"path": {"secret/*": {"capabilities": ["read"]}}}`). */
export function parsePolicyJson(text: string, options: ParsePolicyOptions = {}): PolicyDocument {
  const file = options.file ?? "policy.json";
  return decodePolicy(parseJsonText(text, file), text, { ...options, file });
}

async function parseHclText(text: string, file: string): Promise<unknown> {
  try {
    return await parseHcl2Json(file, text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // hcl2json's errors all read "parse config: [file:L,C-C2: text]". (Four mutants of this pattern survive, equivalent for such
    // messages: the file name is not read, the end column is always there and has no comma part, the message always ends in "]".)
    const match = /([^\s[]+):(\d+),(\d+)(?:-\d+(?:,\d+)?)?: (.*?)\]?$/s.exec(message);
    // Stryker disable next-line ConditionalExpression: equivalent when true: every such message matches.
    if (match) {
      // Stryker disable next-line MethodExpression: equivalent: the text has no surrounding blanks to trim.
      throw new PolicyValidationError({ file, line: Number(match[2]), column: Number(match[3]) }, `HCL syntax: ${match[4].trim()}`);
    }
    // Stryker disable next-line ObjectLiteral,StringLiteral: unreachable with hcl2json's messages (kept for one that names no position).
    throw new PolicyValidationError({ file }, `HCL syntax: ${message}`);
  }
}

function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const at: PolicySourceLocation = position ? { file, ...lineAndColumn(text, Number(position[1])) } : { file };
    throw new PolicyValidationError(at, `JSON syntax: ${message}`);
  }
}

interface DecodeContext extends ParsePolicyOptions {
  readonly file: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function defaultName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.(hcl|json)$/i, "");
}

function decodePolicy(raw: unknown, text: string, ctx: DecodeContext): PolicyDocument {
  const located = locatePathBlocks(text);
  const fileAt: PolicySourceLocation = { file: ctx.file };
  const name = ctx.name ?? defaultName(ctx.file);
  validatePolicyName(name, fileAt);
  if (!isRecord(raw)) throw new PolicyValidationError(fileAt, "does not contain a root object");
  for (const key of Object.keys(raw)) {
    if (key !== "name" && key !== "path") {
      throw new PolicyValidationError({ file: ctx.file, line: findKeyLine(text, key) }, `invalid key ${JSON.stringify(key)}`);
    }
  }
  const blocks = collectBlocks(raw.path, fileAt);
  // Source order: hcl2json groups blocks by pattern; the locator knows where each one was written.
  const seen = new Map<string, number>();
  const ordered = blocks
    .map((block) => {
      const n = seen.get(block.path) ?? 0;
      seen.set(block.path, n + 1);
      const where = located.filter((l) => l.path === block.path)[n];
      return { ...block, where };
    })
    .sort((a, b) => (a.where?.line ?? Number.MAX_SAFE_INTEGER) - (b.where?.line ?? Number.MAX_SAFE_INTEGER));
  const rules = ordered.map((block) => decodeBlock(block.path, block.body, block.where, ctx));
  return { name, rules };
}

function collectBlocks(value: unknown, at: PolicySourceLocation): { path: string; body: unknown }[] {
  if (value === undefined) return [];
  const out: { path: string; body: unknown }[] = [];
  const entries = Array.isArray(value) ? value : [value];
  for (const entry of entries) {
    if (!isRecord(entry)) throw new PolicyValidationError(at, 'a path block needs exactly one label: path "<pattern>" { ... }');
    for (const [path, body] of Object.entries(entry)) {
      const bodies = Array.isArray(body) ? body : [body];
      for (const b of bodies) out.push({ path, body: b });
    }
  }
  return out;
}

function findKeyLine(text: string, key: string): number | undefined {
  const index = text.search(new RegExp(`(^|[\\s{,"])${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"?\\s*[=:{]`, "m"));
  return index < 0 ? undefined : lineAndColumn(text, index + 1).line;
}

function decodeBlock(path: string, body: unknown, where: LocatedBlock | undefined, ctx: DecodeContext): PathRule {
  const blockAt: PolicySourceLocation = { file: ctx.file, line: where?.line };
  const keyAt = (key: string): PolicySourceLocation => ({ file: ctx.file, line: where?.keyLines.get(key) ?? where?.line });
  if (!isRecord(body)) {
    throw new PolicyValidationError(blockAt, 'a path block needs exactly one label and a body: path "<pattern>" { ... }', pathField(path));
  }
  const flavor = ctx.flavor ?? "vault";
  const allowedKeys = PATH_BLOCK_KEYS[flavor];
  for (const key of Object.keys(body)) {
    if (!allowedKeys.includes(key)) throw new PolicyValidationError(keyAt(key), `invalid key ${JSON.stringify(key)}`, pathField(path));
    if (UNMODELLED_KEYS.has(key)) {
      throw new PolicyValidationError(
        keyAt(key),
        `${key} is valid for ${flavor} but not supported by vaultsmith's policy model`,
        pathField(path),
      );
    }
  }
  // Vault strips one leading slash.
  const pattern = path.startsWith("/") ? path.slice(1) : path;
  validatePathPattern(pattern, blockAt);

  let capabilities: string[] = [];
  if (body.capabilities !== undefined) capabilities = stringList(body.capabilities, path, "capabilities", keyAt("capabilities"));
  if (body.policy !== undefined) {
    const legacy = typeof body.policy === "string" ? LEGACY_POLICIES[body.policy] : undefined;
    if (!legacy) throw new PolicyValidationError(keyAt("policy"), `invalid policy ${JSON.stringify(body.policy)}`, pathField(path));
    // Stryker disable next-line StringLiteral: equivalent: a "deny" added to the others still makes the rule exactly ["deny"] (canonicalCapabilities).
    capabilities = legacy.includes("deny") ? ["deny"] : [...capabilities, ...legacy];
  }
  const supported = SERVER_CAPABILITIES[flavor];
  for (const cap of capabilities) {
    if (cap === "deny") break;
    if (!isCapability(cap) || !supported.includes(cap)) {
      throw new PolicyValidationError(keyAt("capabilities"), `invalid capability ${JSON.stringify(cap)}`, pathField(path, "capabilities"));
    }
  }
  const rule: { -readonly [K in keyof PathRule]: PathRule[K] } = {
    path: pattern,
    // Stryker disable next-line MethodExpression: equivalent: an unknown capability can only follow "deny" here, and a rule with deny is exactly ["deny"].
    capabilities: canonicalCapabilities(capabilities.filter(isCapability)),
  };
  if (rule.capabilities.includes("deny")) return rule;
  if (body.allowed_parameters !== undefined)
    rule.allowedParameters = parameters(body.allowed_parameters, pattern, "allowed_parameters", keyAt("allowed_parameters"));
  if (body.denied_parameters !== undefined)
    rule.deniedParameters = parameters(body.denied_parameters, pattern, "denied_parameters", keyAt("denied_parameters"));
  if (body.required_parameters !== undefined) {
    const required = stringList(body.required_parameters, pattern, "required_parameters", keyAt("required_parameters"));
    if (required.length > 0) rule.requiredParameters = required;
  }
  if (body.min_wrapping_ttl !== undefined)
    rule.minWrappingTtlSeconds = duration(body.min_wrapping_ttl, pattern, "min_wrapping_ttl", keyAt("min_wrapping_ttl"));
  if (body.max_wrapping_ttl !== undefined)
    rule.maxWrappingTtlSeconds = duration(body.max_wrapping_ttl, pattern, "max_wrapping_ttl", keyAt("max_wrapping_ttl"));
  const min = rule.minWrappingTtlSeconds ?? 0;
  const max = rule.maxWrappingTtlSeconds ?? 0;
  // Stryker disable next-line ConditionalExpression: `min !== 0` → true is equivalent: with min 0, max < min is false.
  if (min !== 0 && max !== 0 && max < min) {
    throw new PolicyValidationError(
      keyAt("max_wrapping_ttl"),
      "max_wrapping_ttl cannot be less than min_wrapping_ttl",
      pathField(pattern, "max_wrapping_ttl"),
    );
  }
  validatePathRule(rule, blockAt);
  return rule;
}

function stringList(value: unknown, path: string, field: string, at: PolicySourceLocation): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new PolicyValidationError(at, `must be a list of strings, got ${JSON.stringify(value)}`, pathField(path, field));
  }
  return value as string[];
}

function parameters(value: unknown, path: string, field: string, at: PolicySourceLocation): Record<string, readonly string[]> {
  const maps = Array.isArray(value) ? value : [value];
  const out: Record<string, readonly string[]> = {};
  for (const map of maps) {
    if (!isRecord(map)) throw new PolicyValidationError(at, `must be a map of parameter name to list of values`, pathField(path, field));
    for (const [key, values] of Object.entries(map)) {
      validateParameterKey(path, field, key, at, true);
      if (!Array.isArray(values))
        throw new PolicyValidationError(at, `parameter ${JSON.stringify(key)} must map to a list`, pathField(path, field));
      if (values.some((v) => typeof v !== "string")) {
        throw new PolicyValidationError(
          at,
          `parameter ${JSON.stringify(key)}: only string values are supported by vaultsmith (got ${JSON.stringify(values)})`,
          pathField(path, field),
        );
      }
      out[key] = values as string[];
    }
  }
  return out;
}

function duration(value: unknown, path: string, field: string, at: PolicySourceLocation): number {
  if (typeof value !== "string" && typeof value !== "number") {
    throw new PolicyValidationError(
      at,
      `error parsing ${field}: expected a duration, got ${JSON.stringify(value)}`,
      pathField(path, field),
    );
  }
  try {
    return parseVaultDuration(value);
  } catch (error) {
    throw new PolicyValidationError(at, `error parsing ${field}: ${(error as Error).message}`, pathField(path, field));
  }
}
