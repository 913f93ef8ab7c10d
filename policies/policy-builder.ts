/**
 * Build ACL policies in TypeScript. Every call is checked immediately with the rules Vault applies
 * when the policy is written, so a mistake fails where it was made, not at deploy time.
 *
 * ```ts
 * const doc = new PolicyBuilder("app-a")
 *   .allow("secret/data/app-a/*", ["read"])
 *   .allow("auth/token/lookup-self", ["read"])
 *   .deny("secret/data/app-a/admin")
 *   .build();
 * ```
 */
import { parseVaultDuration } from "./duration";
import { CAPABILITIES, Capability, PathRule, PolicyDocument } from "./policy-document";
import { PolicySourceLocation, PolicyValidationError } from "./policy-error";
import { validatePolicyName } from "./policy-name";
import { pathField, validatePathRule } from "./path-rule-validation";

/** A duration: seconds as a number, or a string Vault accepts (`"90s"`, `"1h"`, `"3600"`, `"1d"`). */
export type PolicyDuration = number | string;

/** Constraints that narrow an `allow` rule beyond its capabilities. */
export interface AllowOptions {
  /** Parameters that may be sent, each with its allowed values (empty list = any value). @default unconstrained */
  readonly allowedParameters?: Readonly<Record<string, readonly string[]>>;
  /** Parameters that must not be sent, or values refused (empty list = any value). @default none */
  readonly deniedParameters?: Readonly<Record<string, readonly string[]>>;
  /** Parameters that must be present. @default none */
  readonly requiredParameters?: readonly string[];
  /** Responses must be wrapped with at least this TTL. @default no lower bound */
  readonly minWrappingTtl?: PolicyDuration;
  /** Responses must be wrapped with at most this TTL. @default no upper bound */
  readonly maxWrappingTtl?: PolicyDuration;
}

/** Fluent, validating builder of one `PolicyDocument`. */
export class PolicyBuilder {
  /** The policy's name (lower-case, as Vault stores it). */
  public readonly name: string;
  private readonly rules: PathRule[] = [];
  private readonly at: PolicySourceLocation;

  /** Start a policy called `name`; throws when Vault would store it under a different name. */
  constructor(name: string) {
    this.at = { file: `PolicyBuilder(${JSON.stringify(name)})` };
    validatePolicyName(name, this.at);
    this.name = name;
  }

  /**
   * Grant `capabilities` on `path` (exact, `*` as last character for a prefix, `+` for one
   * segment). `deny` is not accepted here: use `deny(path)`.
   */
  public allow(path: string, capabilities: readonly Capability[], options: AllowOptions = {}): this {
    if (capabilities.length === 0) {
      throw new PolicyValidationError(this.at, "allow needs at least one capability", pathField(path, "capabilities"));
    }
    if (capabilities.includes("deny")) {
      throw new PolicyValidationError(this.at, "use deny(path) instead of a 'deny' capability in allow()", pathField(path, "capabilities"));
    }
    const rule: PathRule = {
      path,
      capabilities: canonicalCapabilities(capabilities),
      ...(options.allowedParameters ? { allowedParameters: copyParameters(options.allowedParameters) } : {}),
      ...(options.deniedParameters ? { deniedParameters: copyParameters(options.deniedParameters) } : {}),
      ...(options.requiredParameters ? { requiredParameters: [...options.requiredParameters] } : {}),
      ...(options.minWrappingTtl !== undefined
        ? { minWrappingTtlSeconds: this.duration(path, "min_wrapping_ttl", options.minWrappingTtl) }
        : {}),
      ...(options.maxWrappingTtl !== undefined
        ? { maxWrappingTtlSeconds: this.duration(path, "max_wrapping_ttl", options.maxWrappingTtl) }
        : {}),
    };
    return this.add(rule);
  }

  /** Deny everything on `path` (overrides any grant on the same pattern, in any policy). */
  public deny(path: string): this {
    return this.add({ path, capabilities: ["deny"] });
  }

  /** Add a rule as is (checked like the others). */
  public rule(rule: PathRule): this {
    return this.add({ ...rule, capabilities: canonicalCapabilities(rule.capabilities) });
  }

  /** The finished, immutable document. */
  public build(): PolicyDocument {
    return Object.freeze({ name: this.name, rules: Object.freeze([...this.rules]) });
  }

  private add(rule: PathRule): this {
    validatePathRule(rule, this.at);
    this.rules.push(Object.freeze(rule));
    return this;
  }

  private duration(path: string, field: string, value: PolicyDuration): number {
    let seconds: number;
    try {
      seconds = parseVaultDuration(value);
    } catch (error) {
      throw new PolicyValidationError(this.at, (error as Error).message, pathField(path, field));
    }
    if (seconds < 0)
      throw new PolicyValidationError(this.at, `must not be negative (got ${JSON.stringify(value)})`, pathField(path, field));
    return seconds;
  }
}

/** Deduplicate and sort capabilities in Vault's canonical order; `deny` alone if present. */
export function canonicalCapabilities(capabilities: readonly Capability[]): readonly Capability[] {
  if (capabilities.includes("deny")) return ["deny"];
  const present = new Set(capabilities);
  const known = CAPABILITIES.filter((cap) => present.has(cap));
  const unknown = [...present].filter((cap) => !CAPABILITIES.includes(cap));
  return [...known, ...unknown];
}

function copyParameters(params: Readonly<Record<string, readonly string[]>>): Readonly<Record<string, readonly string[]>> {
  const out: Record<string, readonly string[]> = {};
  for (const [key, values] of Object.entries(params)) out[key] = [...values];
  return out;
}
