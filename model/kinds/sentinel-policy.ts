/**
 * The Sentinel policy kind (EGP / RGP): schema, rules, graph descriptor and construct props.
 */
import { policyName } from "../fields";
import { compact, FragmentOptions, namespaceField, ownerId, ResourceDescriptor, sortedSet } from "../graph";
import { omitUndefined, RawIssue, validateLabelled } from "../validation";
import { z } from "zod";

/** Sentinel enforcement levels. */
export const ENFORCEMENT_LEVELS = ["advisory", "soft-mandatory", "hard-mandatory"] as const;

/** A Sentinel policy: EGP (bound to paths) or RGP (bound to tokens/identities). */
export const sentinelPolicySchema = z.strictObject({
  name: policyName,
  kind: z.enum(["egp", "rgp"]),
  paths: z.array(z.string().min(1)).default([]),
  enforcementLevel: z.enum(ENFORCEMENT_LEVELS),
  policy: z.string().min(1),
});

/** Canonical Sentinel policy. */
export type SentinelPolicySpec = z.output<typeof sentinelPolicySchema>;

/** An EGP (with paths) or RGP Sentinel policy. */
export function sentinelPolicyDescriptor(spec: SentinelPolicySpec, options: FragmentOptions): ResourceDescriptor {
  return {
    type: spec.kind === "egp" ? "vault_egp_policy" : "vault_rgp_policy",
    id: `${ownerId(options.owner)}.policy`,
    attributes: compact({
      name: spec.name,
      paths: spec.kind === "egp" ? sortedSet(spec.paths) : undefined,
      enforcement_level: spec.enforcementLevel,
      policy: spec.policy,
      ...namespaceField(options),
    }),
  };
}

/** How a Sentinel policy failure is handled. */
export type EnforcementLevel = "advisory" | "soft-mandatory" | "hard-mandatory";

/** Props of `SentinelPolicy`. */
export interface SentinelPolicyProps {
  /** Policy name (lower-case; an RGP shares its name space with ACL policies). */
  readonly policyName: string;
  /** `egp` (endpoint governing, bound to paths) or `rgp` (role governing, bound to tokens). */
  readonly kind: "egp" | "rgp";
  /** Paths an EGP applies to (`*` only as the last character). @default none (required for EGP) */
  readonly paths?: readonly string[];
  /** Enforcement level. */
  readonly enforcementLevel: EnforcementLevel;
  /** Sentinel source code. */
  readonly policy: string;
}

/** Model input of a Sentinel policy. */
export function sentinelInput(props: SentinelPolicyProps): Record<string, unknown> {
  return omitUndefined({ ...props, name: props.policyName, policyName: undefined });
}

/** EGP/RGP binding rules: an EGP needs paths, an RGP has none, `*` only last. */
export function sentinelIssues(spec: SentinelPolicySpec): RawIssue[] {
  const issues: RawIssue[] = [];
  if (spec.kind === "egp" && spec.paths.length === 0) issues.push({ path: ["paths"], message: "an EGP needs at least one path" });
  if (spec.kind === "rgp" && spec.paths.length > 0)
    issues.push({ path: ["paths"], message: "an RGP is bound to tokens, not paths: remove paths" });
  spec.paths.forEach((p, i) => {
    if (p.slice(0, -1).includes("*")) issues.push({ path: ["paths", i], message: `"${p}": "*" is only allowed as the last character` });
  });
  return issues;
}

/** A Sentinel policy, created here or imported: referenced by name. */
export interface ISentinelPolicy {
  /** Policy name. */
  readonly policyName: string;
}

/**
 * Validate the name of an imported Sentinel policy (an RGP is attached to tokens and identities
 * by name, like an ACL policy).
 * @throws ModelValidationError naming `label`
 */
export function importSentinelPolicy(label: string, name: string): ISentinelPolicy {
  return { policyName: validateLabelled(label, z.strictObject({ policyName }), { policyName: name }).policyName };
}
