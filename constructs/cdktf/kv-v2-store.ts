/** A KV v2 mount with its engine settings and `grant*` methods covering `data/` and `metadata/`. */
import { KvSecretBackendV2 } from "@cdktf/provider-vault/lib/kv-secret-backend-v2";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { Construct, IConstruct } from "constructs";
import { kvV2Fragment } from "../../model/kinds/kv-v2";
import { kvSchema } from "../../model/kinds/kv-v2";
import { IPolicyGrantee, namespaceOf, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { trimMountPath } from "../../model/fields";
import { KvV2StoreProps, kvGrantRules, kvInput } from "../../model/kinds/kv-v2";

export type { KvV2StoreProps } from "../../model/kinds/kv-v2";

/** A KV v2 store, created here or imported. */
export interface IKvV2Store extends IConstruct {
  /** Mount path as a literal. */
  readonly mountPath: string;
  /** Grant reading secrets under `pattern` (see {@link KvV2Store.grantRead}). */
  grantRead(policy: IPolicyGrantee, pattern?: string): void;
  /** Grant writing secrets under `pattern` (see {@link KvV2Store.grantWrite}). */
  grantWrite(policy: IPolicyGrantee, pattern?: string): void;
  /** Grant reading and writing (see {@link KvV2Store.grantReadWrite}). */
  grantReadWrite(policy: IPolicyGrantee, pattern?: string): void;
  /** Grant soft delete and undelete (see {@link KvV2Store.grantDelete}). */
  grantDelete(policy: IPolicyGrantee, pattern?: string): void;
  /** Grant permanent destruction (see {@link KvV2Store.grantDestroy}). */
  grantDestroy(policy: IPolicyGrantee, pattern?: string): void;
  /** Grant listing (see {@link KvV2Store.grantList}). */
  grantList(policy: IPolicyGrantee, pattern?: string): void;
}

abstract class KvV2StoreBase extends Construct implements IKvV2Store {
  /** Mount path as a literal. */
  public abstract readonly mountPath: string;

  /** Grant `read` on `data/<pattern>` and `read`, `list` on `metadata/<pattern>`. @default pattern "*" */
  public grantRead(policy: IPolicyGrantee, pattern = "*"): void {
    policy.addRules(...kvGrantRules(this.mountPath, "read", pattern));
  }

  /** Grant `create`, `update`, `patch` on `data/<pattern>` and `read` on `metadata/<pattern>` (for check-and-set). */
  public grantWrite(policy: IPolicyGrantee, pattern = "*"): void {
    policy.addRules(...kvGrantRules(this.mountPath, "write", pattern));
  }

  /** {@link grantRead} and {@link grantWrite} together. */
  public grantReadWrite(policy: IPolicyGrantee, pattern = "*"): void {
    policy.addRules(...kvGrantRules(this.mountPath, "read-write", pattern));
  }

  /** Grant soft delete and undelete: `delete` on `data/`, `update` on `delete/` and `undelete/`. */
  public grantDelete(policy: IPolicyGrantee, pattern = "*"): void {
    policy.addRules(...kvGrantRules(this.mountPath, "delete", pattern));
  }

  /** Grant permanent destruction: `update` on `destroy/`, `delete` on `metadata/` (all versions). */
  public grantDestroy(policy: IPolicyGrantee, pattern = "*"): void {
    policy.addRules(...kvGrantRules(this.mountPath, "destroy", pattern));
  }

  /** Grant `list` on `metadata/<pattern>` (key names only, no values). */
  public grantList(policy: IPolicyGrantee, pattern = "*"): void {
    policy.addRules(...kvGrantRules(this.mountPath, "list", pattern));
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
