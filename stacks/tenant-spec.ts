/** Tenants of a `TenantStack` (either engine): their schema, defaults and YAML file shape. */
import { z } from "zod";
import { durationSeconds } from "../model/duration";
import { targetSchema } from "../model/target";
import { PathRule } from "../policies/policy-document";
import { PolicyGrantee } from "../model/grants";
import { KvV2StoreProps } from "../model/kinds/kv-v2";
import { TransitEngineProps } from "../model/kinds/transit";

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

/** A canonical tenant. */
export type TenantSpec = z.output<typeof tenantSchema>;

/** The construct props of a tenant's parts, the same for either engine. */
export interface TenantPartProps {
  /** The tenant's namespace. */
  readonly namespace: { readonly path: string };
  /** Its KV v2 store. */
  readonly kv: KvV2StoreProps;
  /** Its transit engine, when it has keys. */
  readonly transit?: TransitEngineProps;
  /** Policy names of the admin and the reader. */
  readonly adminPolicyName: string;
  /** See {@link TenantPartProps.adminPolicyName}. */
  readonly readerPolicyName: string;
  /** Token TTLs of its AppRole role `app` (max: four times the TTL). */
  readonly appToken: { readonly tokenTtl: number; readonly tokenMaxTtl: number };
  /** Its rate-limit quota (root namespace, path naming the tenant's), when it has one. */
  readonly rateLimit?: { readonly quotaName: string; readonly path: string; readonly rate: number };
}

/** What each tenant gets, as props (the engines' `TenantStack`s create the constructs). */
export function tenantPartProps(t: TenantSpec): TenantPartProps {
  return {
    namespace: { path: t.name },
    kv: { mountPath: t.kvMount, maxVersions: t.kvMaxVersions },
    ...(t.transitKeys.length > 0
      ? { transit: { keys: t.transitKeys.map((name) => ({ name, deletionAllowed: t.transitKeyDeletionAllowed })) } }
      : {}),
    adminPolicyName: `${t.name}-admin`,
    readerPolicyName: `${t.name}-reader`,
    appToken: { tokenTtl: t.appTokenTtl, tokenMaxTtl: t.appTokenTtl * 4 },
    ...(t.requestsPerSecond !== undefined
      ? { rateLimit: { quotaName: `${t.name}-requests`, path: `${t.name}/`, rate: t.requestsPerSecond } }
      : {}),
  };
}

/** The grants a tenant's parts need (structural: either engine's constructs fit). */
export interface TenantGrantTargets {
  /** The tenant's KV store. */
  readonly kv: {
    grantRead(p: PolicyGrantee): PathRule[];
    grantReadWrite(p: PolicyGrantee): PathRule[];
    grantDelete(p: PolicyGrantee): PathRule[];
    grantDestroy(p: PolicyGrantee): PathRule[];
  };
  /** The tenant's transit engine, if any. */
  readonly transit?: { grantEncryptDecrypt(p: PolicyGrantee, key: string): PathRule[] };
  /** The admin policy. */
  readonly adminPolicy: PolicyGrantee;
  /** The reader policy. */
  readonly readerPolicy: PolicyGrantee;
}

/** The admin manages the KV store and uses every transit key; the reader reads the KV store. */
export function grantTenantPolicies(t: TenantSpec, parts: TenantGrantTargets): void {
  parts.kv.grantReadWrite(parts.adminPolicy);
  parts.kv.grantDelete(parts.adminPolicy);
  parts.kv.grantDestroy(parts.adminPolicy);
  for (const key of t.transitKeys) parts.transit?.grantEncryptDecrypt(parts.adminPolicy, key);
  parts.kv.grantRead(parts.readerPolicy);
}
