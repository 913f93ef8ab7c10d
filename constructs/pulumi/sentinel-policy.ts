/** Sentinel policies (Vault Enterprise): EGP bound to paths, RGP bound to tokens and identities. */
import * as pulumi from "@pulumi/pulumi";
import {
  SentinelPolicyProps,
  sentinelInput,
  sentinelIssues,
  sentinelPolicyDescriptor,
  sentinelPolicySchema,
  ISentinelPolicy,
  importSentinelPolicy,
} from "../../model/kinds/sentinel-policy";
import { throwLabelled, validateLabelled } from "../../model/validation";
import { labelOf, requireTargetFeature } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { EnforcementLevel, ISentinelPolicy, SentinelPolicyProps } from "../../model/kinds/sentinel-policy";

/** Component `vaultsmith:policy:SentinelPolicy`: `vault_egp_policy` or `vault_rgp_policy`; refused unless the target is Vault Enterprise. */
export class SentinelPolicy extends VaultComponent implements ISentinelPolicy {
  /** Refer to an existing Sentinel policy by name (registers nothing). */
  public static fromPolicyName(policyName: string): ISentinelPolicy {
    return importSentinelPolicy(`SentinelPolicy.fromPolicyName(${policyName})`, policyName);
  }

  /** Policy name. */
  public readonly policyName: string;

  constructor(name: string, props: SentinelPolicyProps, opts?: pulumi.ComponentResourceOptions) {
    requireTargetFeature(name, opts?.parent, "sentinel-policies");
    const label = labelOf("SentinelPolicy", name, opts?.parent);
    const spec = validateLabelled(label, sentinelPolicySchema, sentinelInput(props));
    throwLabelled(label, sentinelIssues(spec));
    super("vaultsmith:policy:SentinelPolicy", name, opts);
    renderDescriptors(this, [sentinelPolicyDescriptor(spec, this.fragmentOptions(opts))]);
    this.policyName = spec.name;
    this.registerOutputs({ policyName: this.policyName });
  }
}
