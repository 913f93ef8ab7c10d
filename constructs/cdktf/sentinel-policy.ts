/** Sentinel policies (Vault Enterprise): EGP bound to paths, RGP bound to tokens and identities. */
import { Construct } from "constructs";
import {
  sentinelPolicyDescriptor,
  sentinelPolicySchema,
  SentinelPolicyProps,
  sentinelInput,
  sentinelIssues,
} from "../../model/kinds/sentinel-policy";
import { VaultTarget, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";

export type { EnforcementLevel, SentinelPolicyProps } from "../../model/kinds/sentinel-policy";

/**
 * `vault_egp_policy` or `vault_rgp_policy`. Refused at synthesis unless the declared target is
 * Vault Enterprise.
 */
export class SentinelPolicy extends Construct {
  /** Policy name. */
  public readonly policyName: string;

  constructor(scope: Construct, id: string, props: SentinelPolicyProps) {
    super(scope, id);
    VaultTarget.require(this, "sentinel-policies");
    const spec = validateProps(this, sentinelPolicySchema, sentinelInput(props));
    throwIssues(this, sentinelIssues(spec));
    renderDescriptors(this, [sentinelPolicyDescriptor(spec, { owner: ownerOf(this), namespace: namespaceOf(this) })]);
    this.policyName = spec.name;
  }
}
