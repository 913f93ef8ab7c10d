/** A KV v2 mount with its engine settings and `grant*` methods covering `data/` and `metadata/`. */
import { KvSecretBackendV2 } from "@cdktf/provider-vault/lib/kv-secret-backend-v2";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { Construct } from "constructs";
import { PathRule } from "../../policies/policy-document";
import { kvV2Fragment, kvSchema, KvV2StoreProps, IKvV2Store, KvV2Grants, kvInput } from "../../model/kinds/kv-v2";
import { IPolicyGrantee, namespaceOf, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { trimMountPath } from "../../model/fields";

export type { KvV2StoreProps } from "../../model/kinds/kv-v2";

/** A KV v2 store, created here or imported (the shape both engines share). */
export type { IKvV2Store } from "../../model/kinds/kv-v2";

/** Created and imported stores: one construct each, the grants delegated to {@link KvV2Grants}. */
export abstract class KvV2StoreBase extends Construct implements IKvV2Store {
  /** Mount path as a literal. */
  public abstract readonly mountPath: string;

  private get grants(): KvV2Grants {
    return new KvV2Grants(this.mountPath);
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

class ImportedKvV2Store extends KvV2StoreBase {
  constructor(
    scope: Construct,
    id: string,
    public readonly mountPath: string,
  ) {
    super(scope, id);
  }
}

/**
 * `vault_mount` (type kv, `options.version = "2"`) and `vault_kv_secret_backend_v2` (max versions,
 * CAS required, delete-version-after in seconds). Secret values are not managed here: the
 * provider cannot detect drift in KV data and would keep values in state.
 */
export class KvV2Store extends KvV2StoreBase {
  /** Use an existing KV v2 mount. */
  public static fromMountPath(scope: Construct, id: string, mountPath: string): IKvV2Store {
    return new ImportedKvV2Store(scope, id, trimMountPath(mountPath));
  }

  /** Mount path as a literal. */
  public readonly mountPath: string;
  /** The mount (escape hatch). */
  public readonly mount: Mount;
  /** The engine configuration (escape hatch). */
  public readonly config: KvSecretBackendV2;

  constructor(scope: Construct, id: string, props: KvV2StoreProps = {}) {
    super(scope, id);
    const spec = validateProps(this, kvSchema, kvInput(props));
    const fragment = kvV2Fragment(spec, { owner: ownerOf(this), namespace: namespaceOf(this) });
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.ids.mount) as Mount;
    this.config = rendered.get(fragment.ids.config) as KvSecretBackendV2;
    this.mountPath = spec.mount;
  }
}
