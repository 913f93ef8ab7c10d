/** Tenants of a `TenantStack` (either engine): their schema, defaults and YAML file shape. */
import { z } from "zod";
import { durationSeconds } from "../model/duration";
import { targetSchema } from "../model/target";

/** zod schema of one tenant. */
export const tenantSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "tenant names are lower-case letters, digits and '-' (they become namespace paths)"),
  kvMount: z.string().default("secret"),
  kvMaxVersions: z.number().int().min(0).default(10),
  transitKeys: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/)).default([]),
  /**
   * Let the tenant's transit keys be deleted (`deletion_allowed`, no `prevent_destroy`), so the
   * tenant can be destroyed. Data encrypted with a deleted key is lost for good. @default false
   */
  transitKeyDeletionAllowed: z.boolean().default(false),
  requestsPerSecond: z.number().positive().optional(),
  appTokenTtl: durationSeconds.default(3600),
});

/** Tenant lists: at least one, each name once (a second one would be a namespace declared twice). */
export const tenantListSchema = z
  .array(tenantSchema)
  .min(1)
  .superRefine((tenants, ctx) => {
    const seen = new Set<string>();
    tenants.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `tenant "${t.name}" is declared twice` });
      seen.add(t.name);
    });
  });

/** zod schema of a tenants file. */
export const tenantsFileSchema = z.strictObject({ target: targetSchema, tenants: tenantListSchema });

/** One tenant (input form). */
export type TenantOptions = z.input<typeof tenantSchema>;
