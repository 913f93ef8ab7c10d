/** Tenants of a `TenantStack` (either engine): their schema, defaults and YAML file shape. */
import { z } from "zod";
import { durationSeconds } from "../constructs/model/duration";
import { targetSchema } from "../constructs/model/target";

/** zod schema of one tenant. */
export const tenantSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "tenant names are lower-case letters, digits and '-' (they become namespace paths)"),
  kvMount: z.string().default("secret"),
  kvMaxVersions: z.number().int().min(0).default(10),
  transitKeys: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/)).default([]),
  requestsPerSecond: z.number().positive().optional(),
  appTokenTtl: durationSeconds.default(3600),
});

/** zod schema of a tenants file. */
export const tenantsFileSchema = z.strictObject({ target: targetSchema, tenants: z.array(tenantSchema).min(1) });

/** One tenant (input form). */
export type TenantOptions = z.input<typeof tenantSchema>;
