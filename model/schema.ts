/**
 * zod schemas of the estate model: what the constructs take and what the resource graph is
 * compiled from. Durations come out as integer seconds, policy names are checked lower-case,
 * unknown keys are rejected everywhere. Cross-field rules live in `rules.ts`.
 */
import { aclPolicySchema } from "./kinds/acl-policy";
import { auditDeviceSchema } from "./kinds/audit-device";
import { appRoleAuthSchema } from "./kinds/auth/approle";
import { certAuthSchema } from "./kinds/auth/cert";
import { jwtAuthSchema } from "./kinds/auth/jwt-oidc";
import { kubernetesAuthSchema } from "./kinds/auth/kubernetes";
import { ldapAuthSchema } from "./kinds/auth/ldap";
import { databaseSchema } from "./kinds/database";
import { kvSchema } from "./kinds/kv-v2";
import { namespaceSchema } from "./kinds/namespace";
import { pkiSchema } from "./kinds/pki";
import { leaseCountQuotaSchema, rateLimitQuotaSchema } from "./kinds/quotas";
import { sentinelPolicySchema } from "./kinds/sentinel-policy";
import { sshSchema } from "./kinds/ssh";
import { transitSchema } from "./kinds/transit";
import { targetSchema } from "./target";
import { z } from "zod";

/** A whole estate. */
export const estateSchema = z.strictObject({
  target: targetSchema,
  /**
   * Namespace every resource of the estate is created in (relative to the provider's), except
   * quotas and audit devices, which Vault keeps in the root namespace only.
   */
  namespace: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, "expected namespace path segments separated by '/'")
    .optional(),
  /**
   * Create `namespace` (its last segment, inside the rest, which must exist) instead of expecting
   * it to exist: every resource then refers to it, so Terraform creates it first and destroys it last.
   */
  createNamespace: z.boolean().default(false),
  pki: pkiSchema.optional(),
  kv: z.array(kvSchema).default([]),
  transit: z.array(transitSchema).default([]),
  database: z.array(databaseSchema).default([]),
  ssh: z.array(sshSchema).default([]),
  auth: z
    .strictObject({
      appRole: appRoleAuthSchema.optional(),
      kubernetes: kubernetesAuthSchema.optional(),
      ldap: ldapAuthSchema.optional(),
      jwt: jwtAuthSchema.optional(),
      cert: certAuthSchema.optional(),
    })
    .default({}),
  policies: z.array(aclPolicySchema).default([]),
  sentinelPolicies: z.array(sentinelPolicySchema).default([]),
  namespaces: z.array(namespaceSchema).default([]),
  rateLimitQuotas: z.array(rateLimitQuotaSchema).default([]),
  leaseCountQuotas: z.array(leaseCountQuotaSchema).default([]),
  audit: z.array(auditDeviceSchema).default([]),
});

/** A validated, canonical estate. */
export type Estate = z.output<typeof estateSchema>;

/** Estate input as written (durations as strings, defaults omitted). */
export type EstateInput = z.input<typeof estateSchema>;
