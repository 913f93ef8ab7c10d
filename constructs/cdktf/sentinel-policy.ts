/** Sentinel policies (Vault Enterprise): EGP bound to paths, RGP bound to tokens and identities. */
import { Construct } from "constructs";
import {
  sentinelPolicyDescriptor,
  sentinelPolicySchema,
  SentinelPolicyProps,
  sentinelInput,
  sentinelIssues,
  ISentinelPolicy,
  importSentinelPolicy,
} from "../../model/kinds/sentinel-policy";
import { VaultTarget, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";

export type { EnforcementLevel, ISentinelPolicy, SentinelPolicyProps } from "../../model/kinds/sentinel-policy";

/** An existing Sentinel policy, referenced by name. */
class ImportedSentinelPolicy extends Construct implements ISentinelPolicy {
  /** Policy name. */
  public readonly policyName: string;
  constructor(scope: Construct, id: string, name: string) {
    super(scope, id);
    this.policyName = importSentinelPolicy(`SentinelPolicy.fromPolicyName(${this.node.path})`, name).policyName;
  }
}

/**
 * `vault_egp_policy` or `vault_rgp_policy`. Refused at synthesis unless the declared target is
 * Vault Enterprise.
 */
export class SentinelPolicy extends Construct implements ISentinelPolicy {
  /** Refer to an existing Sentinel policy by name (an RGP can then be attached like an ACL policy). */
  public static fromPolicyName(scope: Construct, id: string, policyName: string): ISentinelPolicy {
    return new ImportedSentinelPolicy(scope, id, policyName);
  }

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
