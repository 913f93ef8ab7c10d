/**
 * Request quotas: rate limits (every edition) and lease counts (Vault Enterprise). Vault keeps
 * quotas in the root namespace only: a quota's `path` names the namespace or mount it limits
 * (`tenant/`, `tenant/secret/`), and creating one inside a `Namespace` is refused.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  LeaseCountQuotaProps,
  RateLimitQuotaProps,
  quotaInput,
  leaseCountQuotaDescriptor,
  rateLimitQuotaDescriptor,
  leaseCountQuotaSchema,
  rateLimitQuotaSchema,
} from "../../model/kinds/quotas";
import { rootNamespaceIssues } from "../../model/kinds/root-namespace";
import { throwLabelled, validateLabelled } from "../../model/validation";
import { labelOf, namespaceOf, requireTargetFeature, scopeResources } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { LeaseCountQuotaProps, QuotaCommonProps, RateLimitQuotaProps } from "../../model/kinds/quotas";

/** What a quota waits for. */
export interface QuotaOrderProps {
  /**
   * vaultsmith components whose resources must exist first: the `Namespace` or mount the
   * quota's `path` names (Vault refuses a quota on a path that does not exist yet). @default none
   */
  readonly dependsOn?: readonly pulumi.Resource[];
}

function dependencies(props: QuotaOrderProps): string[] {
  return (props.dependsOn ?? []).flatMap((c) => [...scopeResources(c).keys()]);
}

function label(className: string, name: string, opts: pulumi.ComponentResourceOptions | undefined): string {
  const at = labelOf(className, name, opts?.parent);
  throwLabelled(at, rootNamespaceIssues("quotas", namespaceOf(opts?.parent)));
  return at;
}

/** Component `vaultsmith:quota:RateLimitQuota`: `vault_quota_rate_limit` (root namespace). */
export class RateLimitQuota extends VaultComponent {
  /** Quota name. */
  public readonly quotaName: string;

  constructor(name: string, props: RateLimitQuotaProps & QuotaOrderProps, opts?: pulumi.ComponentResourceOptions) {
    const { dependsOn, ...quota } = props;
    const spec = validateLabelled(label("RateLimitQuota", name, opts), rateLimitQuotaSchema, quotaInput(quota));
    super("vaultsmith:quota:RateLimitQuota", name, opts);
    renderDescriptors(
      this,
      [rateLimitQuotaDescriptor(spec, { owner: this.fragmentOptions(opts).owner }, dependencies({ dependsOn }))],
      dependsOn ?? [],
    );
    this.quotaName = spec.name;
    this.registerOutputs({ quotaName: this.quotaName });
  }
}

/** Component `vaultsmith:quota:LeaseCountQuota`: `vault_quota_lease_count` (root namespace); refused unless the target is Vault Enterprise. */
export class LeaseCountQuota extends VaultComponent {
  /** Quota name. */
  public readonly quotaName: string;

  constructor(name: string, props: LeaseCountQuotaProps & QuotaOrderProps, opts?: pulumi.ComponentResourceOptions) {
    requireTargetFeature(name, opts?.parent, "lease-count-quotas");
    const { dependsOn, ...quota } = props;
    const spec = validateLabelled(label("LeaseCountQuota", name, opts), leaseCountQuotaSchema, quotaInput(quota));
    super("vaultsmith:quota:LeaseCountQuota", name, opts);
    renderDescriptors(
      this,
      [leaseCountQuotaDescriptor(spec, { owner: this.fragmentOptions(opts).owner }, dependencies({ dependsOn }))],
      dependsOn ?? [],
    );
    this.quotaName = spec.name;
    this.registerOutputs({ quotaName: this.quotaName });
  }
}
