/**
 * One namespace per tenant, each with its own KV v2 store, optional transit keys, an admin and a
 * reader policy, and an AppRole whose `app` role reads the tenant's secrets; optionally a
 * rate-limit quota on the tenant's namespace. Namespaces need a target that has them
 * (OpenBao, Vault Enterprise): on Vault CE the stack is refused at synthesis.
 */
import { Construct } from "constructs";
import { AclPolicy } from "../constructs/cdktf/acl-policy";
import { AppRoleAuth } from "../constructs/cdktf/approle-auth";
import { KvV2Store } from "../constructs/cdktf/kv-v2-store";
import { Namespace } from "../constructs/cdktf/namespace";
import { RateLimitQuota } from "../constructs/cdktf/quotas";
import { TransitEngine } from "../constructs/cdktf/transit-engine";
import { VaultStack, VaultStackProps } from "../constructs/cdktf/vault-stack";
import { validateSpec } from "../model/validation";
import { parseYaml } from "../model/yaml-loader";
import { TenantOptions, tenantListSchema, tenantsFileSchema, grantTenantPolicies, tenantPartProps } from "./tenant-spec";

export { tenantListSchema, tenantSchema, tenantsFileSchema } from "./tenant-spec";
export type { TenantOptions } from "./tenant-spec";

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
    validateSpec(tenantListSchema, props.tenants, { pathPrefix: ["tenants"] }).forEach((t) => {
      const p = tenantPartProps(t);
      const namespace = new Namespace(this, `tenant-${t.name}`, p.namespace);
      const kv = new KvV2Store(namespace, "kv", p.kv);
      const transit = p.transit ? new TransitEngine(namespace, "transit", p.transit) : undefined;
      const adminPolicy = new AclPolicy(namespace, "admin-policy", { policyName: p.adminPolicyName });
      const readerPolicy = new AclPolicy(namespace, "reader-policy", { policyName: p.readerPolicyName });
      grantTenantPolicies(t, { kv, transit, adminPolicy, readerPolicy });
      const appRole = new AppRoleAuth(namespace, "approle", { roles: [{ name: "app", policies: [readerPolicy], ...p.appToken }] });
      // The quota lives in the root namespace and names the tenant's: Vault refuses it until the namespace exists.
      if (p.rateLimit) new RateLimitQuota(this, `tenant-${t.name}-rate-limit`, { ...p.rateLimit, dependsOn: [namespace] });
      tenants.set(t.name, { namespace, kv, transit, adminPolicy, readerPolicy, appRole });
    });
    this.tenants = tenants;
  }
}
