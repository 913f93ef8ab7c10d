/** A KV v2 mount with its engine settings and `grant*` methods covering `data/` and `metadata/`. */
import { KvSecretBackendV2 } from "@cdktf/provider-vault/lib/kv-secret-backend-v2";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { Construct, IConstruct } from "constructs";
import { Capability } from "../../policies/policy-document";
import { kvV2Fragment } from "../model/graph-secrets";
import { kvSchema } from "../model/schema";
import { IPolicyGrantee, namespaceOf, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { defined } from "./pki-common";

/** Props of {@link KvV2Store}. */
export interface KvV2StoreProps {
  /** Mount path. @default "secret" */
  readonly mountPath?: string;
  /** Mount description. @default none */
  readonly description?: string;
  /** Versions kept per secret (0 = Vault's default of 10). @default 0 */
  readonly maxVersions?: number;
  /** Require check-and-set on every write. @default false */
  readonly casRequired?: boolean;
  /** Delete versions this long after they are written (`0` = never). @default 0 */
  readonly deleteVersionAfter?: string | number;
}

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

function checkPattern(pattern: string): string {
  if (pattern.startsWith("/")) throw new Error(`KV grant pattern "${pattern}" must be relative to the mount (no leading "/")`);
  if (/^(data|metadata|delete|undelete|destroy)(\/|$)/.test(pattern)) {
    throw new Error(`KV grant pattern "${pattern}" must not start with a KV v2 API prefix: grants add data/, metadata/, ... themselves`);
  }
  return pattern;
}

abstract class KvV2StoreBase extends Construct implements IKvV2Store {
  /** Mount path as a literal. */
  public abstract readonly mountPath: string;

  /** Grant `capabilities` on `<mount>/<prefix>/<pattern>` for each prefix. */
  private grantOn(policy: IPolicyGrantee, pattern: string, entries: readonly [string, readonly Capability[]][]): void {
    const p = checkPattern(pattern);
    policy.addRules(...entries.map(([prefix, capabilities]) => ({ path: `${this.mountPath}/${prefix}/${p}`, capabilities })));
  }

  /** Grant `read` on `data/<pattern>` and `read`, `list` on `metadata/<pattern>`. @default pattern "*" */
  public grantRead(policy: IPolicyGrantee, pattern = "*"): void {
    this.grantOn(policy, pattern, [
      ["data", ["read"]],
      ["metadata", ["read", "list"]],
    ]);
  }

  /** Grant `create`, `update`, `patch` on `data/<pattern>` and `read` on `metadata/<pattern>` (for check-and-set). */
  public grantWrite(policy: IPolicyGrantee, pattern = "*"): void {
    this.grantOn(policy, pattern, [
      ["data", ["create", "update", "patch"]],
      ["metadata", ["read"]],
    ]);
  }

  /** {@link grantRead} and {@link grantWrite} together. */
  public grantReadWrite(policy: IPolicyGrantee, pattern = "*"): void {
    this.grantOn(policy, pattern, [
      ["data", ["create", "read", "update", "patch"]],
      ["metadata", ["read", "list"]],
    ]);
  }

  /** Grant soft delete and undelete: `delete` on `data/`, `update` on `delete/` and `undelete/`. */
  public grantDelete(policy: IPolicyGrantee, pattern = "*"): void {
    this.grantOn(policy, pattern, [
      ["data", ["delete"]],
      ["delete", ["update"]],
      ["undelete", ["update"]],
    ]);
  }

  /** Grant permanent destruction: `update` on `destroy/`, `delete` on `metadata/` (all versions). */
  public grantDestroy(policy: IPolicyGrantee, pattern = "*"): void {
    this.grantOn(policy, pattern, [
      ["destroy", ["update"]],
      ["metadata", ["delete"]],
    ]);
  }

  /** Grant `list` on `metadata/<pattern>` (key names only, no values). */
  public grantList(policy: IPolicyGrantee, pattern = "*"): void {
    this.grantOn(policy, pattern, [["metadata", ["list"]]]);
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
    return new ImportedKvV2Store(scope, id, mountPath.replace(/^\/+|\/+$/g, ""));
  }

  /** Mount path as a literal. */
  public readonly mountPath: string;
  /** The mount (escape hatch). */
  public readonly mount: Mount;
  /** The engine configuration (escape hatch). */
  public readonly config: KvSecretBackendV2;

  constructor(scope: Construct, id: string, props: KvV2StoreProps = {}) {
    super(scope, id);
    const spec = validateProps(this, kvSchema, defined({ ...props, mount: props.mountPath ?? "secret", mountPath: undefined }));
    const fragment = kvV2Fragment(spec, { owner: ownerOf(this), namespace: namespaceOf(this) });
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.resources[0].id) as Mount;
    this.config = rendered.get(fragment.resources[1].id) as KvSecretBackendV2;
    this.mountPath = spec.mount;
  }
}
