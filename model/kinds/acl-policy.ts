/**
 * The ACL policy kind: schema, graph descriptor (HCL rendered at synthesis) and construct props.
 */
import { policyName } from "../fields";
import { compact, FragmentOptions, LazyValue, namespaceField, ownerId, ResourceDescriptor } from "../graph";
import { renderHcl } from "../../policies/hcl-render";
import { CAPABILITIES, Capability, PathRule, PolicyDocument } from "../../policies/policy-document";
import { z } from "zod";
import { validateLabelled } from "../validation";

const capability = z.enum(CAPABILITIES as readonly [Capability, ...Capability[]]);

/** One ACL path rule (the shape of `PathRule` in `policies/policy-document.ts`). */
export const pathRuleSchema = z.strictObject({
  path: z.string().min(1),
  capabilities: z.array(capability).min(1),
  allowedParameters: z.record(z.string(), z.array(z.string())).optional(),
  deniedParameters: z.record(z.string(), z.array(z.string())).optional(),
  requiredParameters: z.array(z.string()).optional(),
  minWrappingTtlSeconds: z.number().int().min(0).optional(),
  maxWrappingTtlSeconds: z.number().int().min(0).optional(),
});

/** An ACL policy. */
export const aclPolicySchema = z.strictObject({ name: policyName, rules: z.array(pathRuleSchema).default([]) });

/** Canonical ACL policy. */
export type AclPolicySpec = z.output<typeof aclPolicySchema>;

/**
 * An ACL policy. `document` may be a function so rules added later (by `grant*`) are included:
 * the HCL is rendered when the engine synthesizes, by the shared canonical renderer.
 */
export function aclPolicyDescriptor(
  name: string,
  document: PolicyDocument | (() => PolicyDocument),
  options: FragmentOptions,
): ResourceDescriptor {
  const produce = typeof document === "function" ? document : () => document;
  return {
    type: "vault_policy",
    id: `${ownerId(options.owner)}.policy`,
    attributes: compact({ name, policy: new LazyValue(() => renderHcl(produce())), ...namespaceField(options) }),
  };
}

/** Props of `AclPolicy`. */
export interface AclPolicyProps {
  /** Policy name; must be lower-case (Vault lower-cases names silently). */
  readonly policyName: string;
  /** Initial rules. @default none (add with `allow`, `deny`, `addRules` or a construct's `grant*`) */
  readonly rules?: readonly PathRule[];
}

/** The message both engines give for a policy that has no rules when it is rendered. */
export function emptyPolicyMessage(policyName: string): string {
  return `ACL policy "${policyName}" has no rules; Vault refuses an empty policy`;
}

/**
 * Validate the name of an imported ACL policy (lower-case: Vault lower-cases names silently, so a
 * mixed-case reference would attach nothing).
 * @throws ModelValidationError naming `label`
 */
export function importAclPolicy(label: string, name: string): { readonly policyName: string } {
  return { policyName: validateLabelled(label, z.strictObject({ policyName }), { policyName: name }).policyName };
}
