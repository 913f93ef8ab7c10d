/**
 * zod fields every kind shares: resource and policy names, mount paths, URLs, deploy-time secret inputs.
 */
import { z } from "zod";

/** A resource name inside a mount (role, key, connection): lower-case, as Vault paths are case-sensitive. */
export const resourceName = z.string().regex(/^[a-z0-9]([a-z0-9_.-]*[a-z0-9])?$/, "expected lower-case letters, digits, '-', '_' or '.'");

/** A Vault policy name: Vault lower-cases names silently, so upper case is refused. */
export const policyName = z
  .string()
  .min(1)
  .refine((s) => s === s.toLowerCase(), "policy names must be lower-case (Vault lower-cases them silently)")
  .refine((s) => /^[a-z0-9][a-z0-9_.\-/]*$/.test(s), "policy name may hold only a-z, 0-9, '-', '_', '.', '/'");

/** A mount path: surrounding `/` removed, so `/pki/` and `pki` are one mount. */
export const mountPathField = z
  .string()
  .min(1)
  .transform((s) => s.replace(/^\/+|\/+$/g, ""))
  .refine((s) => /^[A-Za-z0-9_.\-/]+$/.test(s), "mount path may hold only letters, digits, '-', '_', '.', '/'");

/** The policies a role or group grants (default none). */
export const policyList = z.array(policyName).default([]);

/** An http(s) or ldap(s) URL. */
export const urlField = z.string().regex(/^(https?|ldaps?):\/\/\S+$/, "expected an http(s):// or ldap(s):// URL");

/** A reference to a secret that must never land in configuration: a variable supplied at deploy time. */
export const secretInputSchema = z.strictObject({
  /** Name of the deploy-time input (a sensitive Terraform variable / Pulumi secret config key). */
  variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an identifier"),
  /** Bump to push a new value through a write-only attribute. */
  version: z.number().int().min(1).default(1),
});

/** A deploy-time secret input. */
export type SecretInputSpec = z.output<typeof secretInputSchema>;

/** Mount path of an imported KV v2 store (surrounding `/` removed). */
export function trimMountPath(mountPath: string): string {
  return mountPath.replace(/^\/+|\/+$/g, "");
}
