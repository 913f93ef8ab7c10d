/**
 * Grants as shared objects: each kind's `*Grants` class (in its kind module) holds the one
 * implementation of its `grant*` methods; the constructs of both engines delegate to it. A grant
 * adds path rules to a policy and returns them, so a caller (or a test) sees exactly what it gave.
 */
import { PathRule } from "../policies/policy-document";

/** Something ACL rules can be granted to: an `AclPolicy` of either engine. */
export interface PolicyGrantee {
  /** The policy name as Vault stores it. */
  readonly policyName: string;
  /** Append rules to the policy (rendered at synthesis, so later grants are included). */
  addRules(...rules: PathRule[]): void;
}

/** Add `rules` to `policy` and return them: what a grant gave. */
export function grantRules(policy: PolicyGrantee, rules: PathRule[]): PathRule[] {
  policy.addRules(...rules);
  return rules;
}
