/**
 * One namespace per tenant as a Pulumi component (`vaultsmith:stacks:TenantStack`): the same
 * tenants schema and YAML as the CDKTF `TenantStack`, built from the Pulumi components.
 */
import * as pulumi from "@pulumi/pulumi";
import { AclPolicy } from "../../constructs/pulumi/acl-policy";
import { AppRoleAuth } from "../../constructs/pulumi/approle-auth";
import { KvV2Store } from "../../constructs/pulumi/kv-v2-store";
import { Namespace } from "../../constructs/pulumi/namespace";
import { RateLimitQuota } from "../../constructs/pulumi/quotas";
import { TransitEngine } from "../../constructs/pulumi/transit-engine";
import { VaultStack, VaultStackProps } from "../../constructs/pulumi/vault-stack";
import { validateSpec } from "../../model/validation";
import { parseYaml } from "../../model/yaml-loader";
import { TenantOptions, tenantListSchema, tenantsFileSchema, grantTenantPolicies, tenantPartProps } from "../tenant-spec";

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

/** A VaultStack component provisioning one namespace per tenant. */
export class TenantStack extends VaultStack {
  /** Type token of the component. */
  public static override readonly TYPE: string = "vaultsmith:stacks:TenantStack";

  /**
   * Build from YAML (`target:` and `tenants:`).
   * @throws ModelValidationError with file, line and field for bad input.
   */
  public static fromYaml(
    name: string,
    text: string,
    options: { file?: string } & Omit<VaultStackProps, "target"> = {},
    opts?: pulumi.ComponentResourceOptions,
  ): TenantStack {
    const { file = "tenants.yaml", ...props } = options;
    const { data, locate } = parseYaml(text, file);
    const parsed = validateSpec(tenantsFileSchema, data, { file, locate });
    return new TenantStack(name, { ...props, target: parsed.target, tenants: parsed.tenants }, opts);
  }

  /** Resources per tenant name. */
  public readonly tenants: ReadonlyMap<string, TenantResources>;

  constructor(name: string, props: TenantStackProps, opts?: pulumi.ComponentResourceOptions) {
    const specs = validateSpec(tenantListSchema, props.tenants, { pathPrefix: ["tenants"] });
    super(name, props, opts);
    const tenants = new Map<string, TenantResources>();
    for (const t of specs) {
      const p = tenantPartProps(t);
      const namespace = new Namespace(`${name}-tenant-${t.name}`, p.namespace, { parent: this });
      const inNamespace = (id: string): string => `${namespace.componentName}-${id}`;
      const child = { parent: namespace };
      const kv = new KvV2Store(inNamespace("kv"), p.kv, child);
      const transit = p.transit ? new TransitEngine(inNamespace("transit"), p.transit, child) : undefined;
      const adminPolicy = new AclPolicy(inNamespace("admin-policy"), { policyName: p.adminPolicyName }, child);
      const readerPolicy = new AclPolicy(inNamespace("reader-policy"), { policyName: p.readerPolicyName }, child);
      grantTenantPolicies(t, { kv, transit, adminPolicy, readerPolicy });
      const appRole = new AppRoleAuth(inNamespace("approle"), { roles: [{ name: "app", policies: [readerPolicy], ...p.appToken }] }, child);
      // The quota lives in the root namespace and names the tenant's: Vault refuses it until the namespace exists.
      if (p.rateLimit)
        new RateLimitQuota(`${name}-tenant-${t.name}-rate-limit`, { ...p.rateLimit, dependsOn: [namespace] }, { parent: this });
      tenants.set(t.name, { namespace, kv, transit, adminPolicy, readerPolicy, appRole });
    }
    this.tenants = tenants;
    this.registerOutputs({ tenants: [...tenants.keys()] });
  }
}
