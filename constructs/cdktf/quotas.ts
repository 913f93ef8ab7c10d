/** Request quotas: rate limits (every edition) and lease counts (Vault Enterprise). */
import { Construct } from "constructs";
import { leaseCountQuotaDescriptor, rateLimitQuotaDescriptor } from "../model/graph-governance";
import { leaseCountQuotaSchema, rateLimitQuotaSchema } from "../model/schema";
import { VaultTarget, namespaceOf, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { defined } from "./pki-common";

/** Props both quotas share. */
export interface QuotaCommonProps {
  /** Quota name. */
  readonly quotaName: string;
  /** Path the quota applies to (`""` = everything in the namespace, `auth/approle/`, a mount, ...). @default "" */
  readonly path?: string;
  /** Login role the quota applies to (auth paths only). @default none */
  readonly role?: string;
  /** Apply to child namespaces too. @default provider default */
  readonly inheritable?: boolean;
}

/** Props of {@link RateLimitQuota}. */
export interface RateLimitQuotaProps extends QuotaCommonProps {
  /** Requests allowed per interval. */
  readonly rate: number;
  /** Interval. @default 1s */
  readonly interval?: string | number;
  /** Block clients that exceed the rate for this long. @default not blocked */
  readonly blockInterval?: string | number;
}

/** `vault_quota_rate_limit`. */
export class RateLimitQuota extends Construct {
  /** Quota name. */
  public readonly quotaName: string;

  constructor(scope: Construct, id: string, props: RateLimitQuotaProps) {
    super(scope, id);
    const spec = validateProps(this, rateLimitQuotaSchema, defined({ ...props, name: props.quotaName, quotaName: undefined }));
    renderDescriptors(this, [rateLimitQuotaDescriptor(spec, { owner: ownerOf(this), namespace: namespaceOf(this) })]);
    this.quotaName = spec.name;
  }
}

/** Props of {@link LeaseCountQuota}. */
export interface LeaseCountQuotaProps extends QuotaCommonProps {
  /** Leases allowed at once. */
  readonly maxLeases: number;
}

/** `vault_quota_lease_count`; refused at synthesis unless the target is Vault Enterprise. */
export class LeaseCountQuota extends Construct {
  /** Quota name. */
  public readonly quotaName: string;

  constructor(scope: Construct, id: string, props: LeaseCountQuotaProps) {
    super(scope, id);
    VaultTarget.require(this, "lease-count-quotas");
    const spec = validateProps(this, leaseCountQuotaSchema, defined({ ...props, name: props.quotaName, quotaName: undefined }));
    renderDescriptors(this, [leaseCountQuotaDescriptor(spec, { owner: ownerOf(this), namespace: namespaceOf(this) })]);
    this.quotaName = spec.name;
  }
}
