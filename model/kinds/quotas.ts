/**
 * The quota kinds (rate limit, lease count): schema, graph descriptors and construct props.
 */
import { durationSeconds } from "../duration";
import { resourceName } from "../fields";
import { compact, FragmentOptions, ResourceDescriptor } from "../graph";
import { rootOnly } from "./root-namespace";
import { omitUndefined } from "../validation";
import { z } from "zod";

/** A rate-limit quota. */
export const rateLimitQuotaSchema = z.strictObject({
  name: resourceName,
  path: z.string().default(""),
  rate: z.number().positive(),
  interval: durationSeconds.optional(),
  blockInterval: durationSeconds.optional(),
  role: z.string().optional(),
  inheritable: z.boolean().optional(),
});

/** A lease-count quota (Vault Enterprise). */
export const leaseCountQuotaSchema = z.strictObject({
  name: resourceName,
  path: z.string().default(""),
  maxLeases: z.number().int().min(1),
  role: z.string().optional(),
  inheritable: z.boolean().optional(),
});

/** Canonical rate-limit quota. */
export type RateLimitQuotaSpec = z.output<typeof rateLimitQuotaSchema>;

/** Canonical lease-count quota. */
export type LeaseCountQuotaSpec = z.output<typeof leaseCountQuotaSchema>;

/** A rate-limit quota (root namespace; see {@link rootOnly}). */
export function rateLimitQuotaDescriptor(
  spec: RateLimitQuotaSpec,
  options: FragmentOptions,
  dependsOn: readonly string[] = [],
): ResourceDescriptor {
  const { id, ...order } = rootOnly(options, dependsOn);
  return {
    type: "vault_quota_rate_limit",
    id: `${id}.quota`,
    ...order,
    attributes: compact({
      name: spec.name,
      path: spec.path,
      rate: spec.rate,
      interval: spec.interval,
      block_interval: spec.blockInterval,
      role: spec.role,
      inheritable: spec.inheritable,
    }),
  };
}

/** A lease-count quota (Vault Enterprise; root namespace). */
export function leaseCountQuotaDescriptor(
  spec: LeaseCountQuotaSpec,
  options: FragmentOptions,
  dependsOn: readonly string[] = [],
): ResourceDescriptor {
  const { id, ...order } = rootOnly(options, dependsOn);
  return {
    type: "vault_quota_lease_count",
    id: `${id}.quota`,
    ...order,
    attributes: compact({
      name: spec.name,
      path: spec.path,
      max_leases: spec.maxLeases,
      role: spec.role,
      inheritable: spec.inheritable,
    }),
  };
}

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

/** Props of `RateLimitQuota`. */
export interface RateLimitQuotaProps extends QuotaCommonProps {
  /** Requests allowed per interval. */
  readonly rate: number;
  /** Interval. @default 1s */
  readonly interval?: string | number;
  /** Block clients that exceed the rate for this long. @default not blocked */
  readonly blockInterval?: string | number;
}

/** Props of `LeaseCountQuota`. */
export interface LeaseCountQuotaProps extends QuotaCommonProps {
  /** Leases allowed at once. */
  readonly maxLeases: number;
}

/** Model input of a quota (`quotaName` becomes `name`). */
export function quotaInput(props: QuotaCommonProps): Record<string, unknown> {
  return omitUndefined({ ...props, name: props.quotaName, quotaName: undefined });
}
