/** Request quotas: rate limits (every edition) and lease counts (Vault Enterprise). */
import * as pulumi from "@pulumi/pulumi";
import { LeaseCountQuotaProps, RateLimitQuotaProps, quotaInput } from "../common/governance-common";
import { validateLabelled } from "../common/validation";
import { leaseCountQuotaDescriptor, rateLimitQuotaDescriptor } from "../model/graph-governance";
import { leaseCountQuotaSchema, rateLimitQuotaSchema } from "../model/schema";
import { labelOf, requireTargetFeature } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { LeaseCountQuotaProps, QuotaCommonProps, RateLimitQuotaProps } from "../common/governance-common";

/** Component `vaultsmith:quota:RateLimitQuota`: `vault_quota_rate_limit`. */
export class RateLimitQuota extends VaultComponent {
  /** Quota name. */
  public readonly quotaName: string;

  constructor(name: string, props: RateLimitQuotaProps, opts?: pulumi.ComponentResourceOptions) {
    const spec = validateLabelled(labelOf("RateLimitQuota", name, opts?.parent), rateLimitQuotaSchema, quotaInput(props));
    super("vaultsmith:quota:RateLimitQuota", name, opts);
    renderDescriptors(this, [rateLimitQuotaDescriptor(spec, this.fragmentOptions(opts))]);
    this.quotaName = spec.name;
    this.registerOutputs({ quotaName: this.quotaName });
  }
}

/** Component `vaultsmith:quota:LeaseCountQuota`: `vault_quota_lease_count`; refused unless the target is Vault Enterprise. */
export class LeaseCountQuota extends VaultComponent {
  /** Quota name. */
  public readonly quotaName: string;

  constructor(name: string, props: LeaseCountQuotaProps, opts?: pulumi.ComponentResourceOptions) {
    requireTargetFeature(name, opts?.parent, "lease-count-quotas");
    const spec = validateLabelled(labelOf("LeaseCountQuota", name, opts?.parent), leaseCountQuotaSchema, quotaInput(props));
    super("vaultsmith:quota:LeaseCountQuota", name, opts);
    renderDescriptors(this, [leaseCountQuotaDescriptor(spec, this.fragmentOptions(opts))]);
    this.quotaName = spec.name;
    this.registerOutputs({ quotaName: this.quotaName });
  }
}
