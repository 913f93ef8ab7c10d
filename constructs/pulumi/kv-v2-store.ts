/** A KV v2 mount with its engine settings and `grant*` methods covering `data/` and `metadata/`. */
import * as pulumi from "@pulumi/pulumi";
import { PathRule } from "../../policies/policy-document";
import { trimMountPath } from "../../model/fields";
import { IKvV2Store, KvV2Grants, KvV2StoreProps, kvInput, kvV2Fragment, kvSchema } from "../../model/kinds/kv-v2";
import { validateLabelled } from "../../model/validation";
import { IPolicyGrantee, labelOf } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { KvV2StoreProps } from "../../model/kinds/kv-v2";

/** A KV v2 store, created here or imported (the shape both engines share). */
export type { IKvV2Store } from "../../model/kinds/kv-v2";

/**
 * `vault_mount` (type kv, `options.version = "2"`) and `vault_kv_secret_backend_v2`, as the
 * component `vaultsmith:kv:KvV2Store`. Secret values are not managed here.
 */
export class KvV2Store extends VaultComponent implements IKvV2Store {
  /** Use an existing KV v2 mount (no resource is created; grants only). */
  public static fromMountPath(mountPath: string): IKvV2Store {
    return new KvV2Grants(trimMountPath(mountPath));
  }

  /** Mount path as a literal. */
  public readonly mountPath: string;
  /** The mount (escape hatch). */
  public readonly mount: pulumi.CustomResource;
  /** The engine configuration (escape hatch). */
  public readonly config: pulumi.CustomResource;
  private readonly grants: KvV2Grants;

  constructor(name: string, props: KvV2StoreProps = {}, opts?: pulumi.ComponentResourceOptions) {
    const spec = validateLabelled(labelOf("KvV2Store", name, opts?.parent), kvSchema, kvInput(props));
    super("vaultsmith:kv:KvV2Store", name, opts);
    const fragment = kvV2Fragment(spec, this.fragmentOptions(opts));
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.ids.mount) as pulumi.CustomResource;
    this.config = rendered.get(fragment.ids.config) as pulumi.CustomResource;
    this.mountPath = spec.mount;
    this.grants = new KvV2Grants(spec.mount);
    this.registerOutputs({ mountPath: this.mountPath });
  }

  /** @inheritdoc */
  public grantRead(policy: IPolicyGrantee, pattern = "*"): PathRule[] {
    return this.grants.grantRead(policy, pattern);
  }

  /** @inheritdoc */
  public grantWrite(policy: IPolicyGrantee, pattern = "*"): PathRule[] {
    return this.grants.grantWrite(policy, pattern);
  }

  /** @inheritdoc */
  public grantReadWrite(policy: IPolicyGrantee, pattern = "*"): PathRule[] {
    return this.grants.grantReadWrite(policy, pattern);
  }

  /** @inheritdoc */
  public grantDelete(policy: IPolicyGrantee, pattern = "*"): PathRule[] {
    return this.grants.grantDelete(policy, pattern);
  }

  /** @inheritdoc */
  public grantDestroy(policy: IPolicyGrantee, pattern = "*"): PathRule[] {
    return this.grants.grantDestroy(policy, pattern);
  }

  /** @inheritdoc */
  public grantList(policy: IPolicyGrantee, pattern = "*"): PathRule[] {
    return this.grants.grantList(policy, pattern);
  }
}
