/**
 * Request quotas: rate limits (every edition) and lease counts (Vault Enterprise). Vault keeps
 * quotas in the root namespace only: a quota's `path` names the namespace or mount it limits
 * (`tenant/`, `tenant/secret/`), and creating one inside a `Namespace` is refused.
 */
import { Construct, IConstruct } from "constructs";
import {
  leaseCountQuotaDescriptor,
  rateLimitQuotaDescriptor,
  leaseCountQuotaSchema,
  rateLimitQuotaSchema,
  LeaseCountQuotaProps,
  RateLimitQuotaProps,
  quotaInput,
} from "../../model/kinds/quotas";
import { VaultTarget, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors, renderedIdsOf } from "./graph-renderer";
import { rootNamespaceIssues } from "../../model/kinds/root-namespace";

export type { LeaseCountQuotaProps, QuotaCommonProps, RateLimitQuotaProps } from "../../model/kinds/quotas";

/** What a quota waits for. */
export interface QuotaOrderProps {
  /**
   * Constructs whose resources must exist first: the `Namespace` or mount the quota's `path`
   * names (Vault refuses a quota on a path that does not exist yet). @default none
   */
  readonly dependsOn?: readonly IConstruct[];
}

function dependencies(props: QuotaOrderProps): string[] {
  return (props.dependsOn ?? []).flatMap((c) => renderedIdsOf(c));
}

/** `vault_quota_rate_limit` (root namespace). */
export class RateLimitQuota extends Construct {
  /** Quota name. */
  public readonly quotaName: string;

  constructor(scope: Construct, id: string, props: RateLimitQuotaProps & QuotaOrderProps) {
    super(scope, id);
    const { dependsOn, ...quota } = props;
    throwIssues(this, rootNamespaceIssues("quotas", namespaceOf(this)));
    const spec = validateProps(this, rateLimitQuotaSchema, quotaInput(quota));
    renderDescriptors(this, [rateLimitQuotaDescriptor(spec, { owner: ownerOf(this) }, dependencies({ dependsOn }))]);
    this.quotaName = spec.name;
  }
}

/** `vault_quota_lease_count` (root namespace); refused at synthesis unless the target is Vault Enterprise. */
export class LeaseCountQuota extends Construct {
  /** Quota name. */
  public readonly quotaName: string;

  constructor(scope: Construct, id: string, props: LeaseCountQuotaProps & QuotaOrderProps) {
    super(scope, id);
    VaultTarget.require(this, "lease-count-quotas");
    const { dependsOn, ...quota } = props;
    throwIssues(this, rootNamespaceIssues("quotas", namespaceOf(this)));
    const spec = validateProps(this, leaseCountQuotaSchema, quotaInput(quota));
    renderDescriptors(this, [leaseCountQuotaDescriptor(spec, { owner: ownerOf(this) }, dependencies({ dependsOn }))]);
    this.quotaName = spec.name;
  }
}
