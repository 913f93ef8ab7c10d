/**
 * One namespace per tenant, each with its own KV v2 store, optional transit keys, an admin and a
 * reader policy, and an AppRole whose `app` role reads the tenant's secrets; optionally a
 * rate-limit quota on the tenant's namespace. Namespaces need a target that has them
 * (OpenBao, Vault Enterprise): on Vault CE the stack is refused at synthesis.
 */
import { Construct } from "constructs";
import { z } from "zod";
import { AclPolicy } from "../constructs/cdktf/acl-policy";
import { AppRoleAuth } from "../constructs/cdktf/approle-auth";
import { KvV2Store } from "../constructs/cdktf/kv-v2-store";
import { Namespace } from "../constructs/cdktf/namespace";
import { RateLimitQuota } from "../constructs/cdktf/quotas";
import { TransitEngine } from "../constructs/cdktf/transit-engine";
import { VaultStack, VaultStackProps } from "../constructs/cdktf/vault-stack";
import { durationSeconds } from "../constructs/model/duration";
import { validateSpec } from "../constructs/model/rules";
import { targetSchema } from "../constructs/model/target";
import { parseYaml } from "../constructs/model/yaml-loader";

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

/** Props of {@link TenantStack}. */
export interface TenantStackProps extends VaultStackProps {
  /** Tenants. */
  readonly tenants: readonly TenantOptions[];
}

/** What was created for one tenant. */
export interface TenantResources {
  /** The tenant's namespace. */
  readonly namespace: Namespace;
  /** Its KV v2 store. */
  readonly kv: KvV2Store;
  /** Its transit engine, when it has keys. */
  readonly transit?: TransitEngine;
  /** `<tenant>-admin`: full use of the tenant's mounts. */
  readonly adminPolicy: AclPolicy;
  /** `<tenant>-reader`: read the tenant's secrets. */
  readonly readerPolicy: AclPolicy;
  /** AppRole with role `app` (reader policy). */
  readonly appRole: AppRoleAuth;
}

/** A VaultStack provisioning one namespace per tenant. */
export class TenantStack extends VaultStack {
  /**
   * Build from YAML (`target:` and `tenants:`).
   * @throws ModelValidationError with file, line and field for bad input.
   */
  public static fromYaml(
    scope: Construct,
    id: string,
    text: string,
    options: { file?: string } & Omit<VaultStackProps, "target"> = {},
  ): TenantStack {
    const { file = "tenants.yaml", ...props } = options;
    const { data, locate } = parseYaml(text, file);
    const parsed = validateSpec(tenantsFileSchema, data, { file, locate });
    return new TenantStack(scope, id, { ...props, target: parsed.target, tenants: parsed.tenants });
  }

  /** Resources per tenant name. */
  public readonly tenants: ReadonlyMap<string, TenantResources>;

  constructor(scope: Construct, id: string, props: TenantStackProps) {
    super(scope, id, props);
    const tenants = new Map<string, TenantResources>();
    props.tenants.forEach((input, i) => {
      const t = validateSpec(tenantSchema, input, { pathPrefix: ["tenants", i] });
      if (tenants.has(t.name)) throw new Error(`TenantStack: tenants[${i}].name: tenant "${t.name}" is declared twice`);
      const namespace = new Namespace(this, `tenant-${t.name}`, { path: t.name });
      const kv = new KvV2Store(namespace, "kv", { mountPath: t.kvMount, maxVersions: t.kvMaxVersions });
      const transit =
        t.transitKeys.length > 0 ? new TransitEngine(namespace, "transit", { keys: t.transitKeys.map((name) => ({ name })) }) : undefined;
      const adminPolicy = new AclPolicy(namespace, "admin-policy", { policyName: `${t.name}-admin` });
      kv.grantReadWrite(adminPolicy);
      kv.grantDelete(adminPolicy);
      kv.grantDestroy(adminPolicy);
      for (const key of t.transitKeys) transit?.grantEncryptDecrypt(adminPolicy, key);
      const readerPolicy = new AclPolicy(namespace, "reader-policy", { policyName: `${t.name}-reader` });
      kv.grantRead(readerPolicy);
      const appRole = new AppRoleAuth(namespace, "approle", {
        roles: [{ name: "app", policies: [readerPolicy], tokenTtl: t.appTokenTtl, tokenMaxTtl: t.appTokenTtl * 4 }],
      });
      if (t.requestsPerSecond !== undefined) {
        new RateLimitQuota(this, `tenant-${t.name}-rate-limit`, {
          quotaName: `${t.name}-requests`,
          path: `${t.name}/`,
          rate: t.requestsPerSecond,
        });
      }
      tenants.set(t.name, { namespace, kv, transit, adminPolicy, readerPolicy, appRole });
    });
    this.tenants = tenants;
  }
}
