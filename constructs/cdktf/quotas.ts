/** Request quotas: rate limits (every edition) and lease counts (Vault Enterprise). */
import { Construct } from "constructs";
import { leaseCountQuotaDescriptor, rateLimitQuotaDescriptor } from "../model/graph-governance";
import { leaseCountQuotaSchema, rateLimitQuotaSchema } from "../model/schema";
import { VaultTarget, namespaceOf, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { LeaseCountQuotaProps, RateLimitQuotaProps, quotaInput } from "../common/governance-common";

export type { LeaseCountQuotaProps, QuotaCommonProps, RateLimitQuotaProps } from "../common/governance-common";

/** `vault_quota_rate_limit`. */
export class RateLimitQuota extends Construct {
  /** Quota name. */
  public readonly quotaName: string;

  constructor(scope: Construct, id: string, props: RateLimitQuotaProps) {
    super(scope, id);
    const spec = validateProps(this, rateLimitQuotaSchema, quotaInput(props));
    renderDescriptors(this, [rateLimitQuotaDescriptor(spec, { owner: ownerOf(this), namespace: namespaceOf(this) })]);
    this.quotaName = spec.name;
  }
}

/** `vault_quota_lease_count`; refused at synthesis unless the target is Vault Enterprise. */
export class LeaseCountQuota extends Construct {
  /** Quota name. */
  public readonly quotaName: string;

  constructor(scope: Construct, id: string, props: LeaseCountQuotaProps) {
    super(scope, id);
    VaultTarget.require(this, "lease-count-quotas");
    const spec = validateProps(this, leaseCountQuotaSchema, quotaInput(props));
    renderDescriptors(this, [leaseCountQuotaDescriptor(spec, { owner: ownerOf(this), namespace: namespaceOf(this) })]);
    this.quotaName = spec.name;
  }
}
