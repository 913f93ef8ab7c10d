/** A KV v2 mount with its engine settings and `grant*` methods covering `data/` and `metadata/`. */
import * as pulumi from "@pulumi/pulumi";
import { trimMountPath } from "../../model/fields";
import { KvGrant, KvV2StoreProps, kvGrantRules, kvInput } from "../../model/kinds/kv-v2";
import { validateLabelled } from "../../model/validation";
import { kvV2Fragment } from "../../model/kinds/kv-v2";
import { kvSchema } from "../../model/kinds/kv-v2";
import { IPolicyGrantee, labelOf } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { KvV2StoreProps } from "../../model/kinds/kv-v2";

/** A KV v2 store, created here or imported. */
export interface IKvV2Store {
  /** Mount path as a literal. */
  readonly mountPath: string;
  /** Grant `read` on `data/<pattern>` and `read`, `list` on `metadata/<pattern>`. */
  grantRead(policy: IPolicyGrantee, pattern?: string): void;
  /** Grant `create`, `update`, `patch` on `data/<pattern>` and `read` on `metadata/<pattern>`. */
  grantWrite(policy: IPolicyGrantee, pattern?: string): void;
  /** Grant reading and writing. */
  grantReadWrite(policy: IPolicyGrantee, pattern?: string): void;
  /** Grant soft delete and undelete. */
  grantDelete(policy: IPolicyGrantee, pattern?: string): void;
  /** Grant permanent destruction. */
  grantDestroy(policy: IPolicyGrantee, pattern?: string): void;
  /** Grant listing (key names only). */
  grantList(policy: IPolicyGrantee, pattern?: string): void;
}

/** The grants of a KV v2 mount (shared by created and imported stores). */
class KvGrants implements IKvV2Store {
  constructor(public readonly mountPath: string) {}

  private grant(policy: IPolicyGrantee, kind: KvGrant, pattern: string): void {
    policy.addRules(...kvGrantRules(this.mountPath, kind, pattern));
  }

  /** @inheritdoc */
  public grantRead(policy: IPolicyGrantee, pattern = "*"): void {
    this.grant(policy, "read", pattern);
  }

  /** @inheritdoc */
  public grantWrite(policy: IPolicyGrantee, pattern = "*"): void {
    this.grant(policy, "write", pattern);
  }

  /** @inheritdoc */
  public grantReadWrite(policy: IPolicyGrantee, pattern = "*"): void {
    this.grant(policy, "read-write", pattern);
  }

  /** @inheritdoc */
  public grantDelete(policy: IPolicyGrantee, pattern = "*"): void {
    this.grant(policy, "delete", pattern);
  }

  /** @inheritdoc */
  public grantDestroy(policy: IPolicyGrantee, pattern = "*"): void {
    this.grant(policy, "destroy", pattern);
  }

  /** @inheritdoc */
  public grantList(policy: IPolicyGrantee, pattern = "*"): void {
    this.grant(policy, "list", pattern);
  }
}

/**
 * `vault_mount` (type kv, `options.version = "2"`) and `vault_kv_secret_backend_v2`, as the
 * component `vaultsmith:kv:KvV2Store`. Secret values are not managed here.
 */
export class KvV2Store extends VaultComponent implements IKvV2Store {
  /** Use an existing KV v2 mount (no resource is created; grants only). */
  public static fromMountPath(mountPath: string): IKvV2Store {
    return new KvGrants(trimMountPath(mountPath));
  }

  /** Mount path as a literal. */
  public readonly mountPath: string;
  /** The mount (escape hatch). */
  public readonly mount: pulumi.CustomResource;
  /** The engine configuration (escape hatch). */
  public readonly config: pulumi.CustomResource;
  private readonly grants: KvGrants;

  constructor(name: string, props: KvV2StoreProps = {}, opts?: pulumi.ComponentResourceOptions) {
    const spec = validateLabelled(labelOf("KvV2Store", name, opts?.parent), kvSchema, kvInput(props));
    super("vaultsmith:kv:KvV2Store", name, opts);
    const fragment = kvV2Fragment(spec, this.fragmentOptions(opts));
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.ids.mount) as pulumi.CustomResource;
    this.config = rendered.get(fragment.ids.config) as pulumi.CustomResource;
    this.mountPath = spec.mount;
    this.grants = new KvGrants(spec.mount);
    this.registerOutputs({ mountPath: this.mountPath });
  }

  /** @inheritdoc */
  public grantRead(policy: IPolicyGrantee, pattern = "*"): void {
    this.grants.grantRead(policy, pattern);
  }

  /** @inheritdoc */
  public grantWrite(policy: IPolicyGrantee, pattern = "*"): void {
    this.grants.grantWrite(policy, pattern);
  }

  /** @inheritdoc */
  public grantReadWrite(policy: IPolicyGrantee, pattern = "*"): void {
    this.grants.grantReadWrite(policy, pattern);
  }

  /** @inheritdoc */
  public grantDelete(policy: IPolicyGrantee, pattern = "*"): void {
    this.grants.grantDelete(policy, pattern);
  }

  /** @inheritdoc */
  public grantDestroy(policy: IPolicyGrantee, pattern = "*"): void {
    this.grants.grantDestroy(policy, pattern);
  }

  /** @inheritdoc */
  public grantList(policy: IPolicyGrantee, pattern = "*"): void {
    this.grants.grantList(policy, pattern);
  }
}
