/**
 * The KV v2 kind: schema, graph fragment, construct props and the grants over `data/` and `metadata/`.
 */
import { durationSeconds } from "../duration";
import { mountPathField } from "../fields";
import { AttrRef, compact, FragmentOptions, namespaceField, ownerId, ResourceDescriptor } from "../graph";
import { omitUndefined } from "../validation";
import { PolicyGrantee, grantRules } from "../grants";
import { Capability, PathRule } from "../../policies/policy-document";
import { z } from "zod";

/** A KV v2 mount. */
export const kvSchema = z.strictObject({
  mount: mountPathField,
  description: z.string().optional(),
  maxVersions: z.number().int().min(0).default(0),
  casRequired: z.boolean().default(false),
  deleteVersionAfter: durationSeconds.default(0),
});

/** Canonical KV v2 mount. */
export type KvSpec = z.output<typeof kvSchema>;

/** Logical ids of a KV v2 fragment's resources, by role (constructs look them up by name, not position). */
export interface KvV2Ids {
  readonly mount: string;
  readonly config: string;
}

/** A KV v2 mount (`vault_mount` with `options.version = "2"`) and its engine configuration. */
export function kvV2Fragment(
  spec: KvSpec,
  options: FragmentOptions,
): { resources: ResourceDescriptor[]; mountPath: AttrRef; ids: KvV2Ids } {
  const owner = ownerId(options.owner);
  const mount: ResourceDescriptor = {
    type: "vault_mount",
    id: `${owner}.mount`,
    attributes: compact({
      path: spec.mount,
      type: "kv",
      options: { version: "2" },
      description: spec.description,
      ...namespaceField(options),
    }),
  };
  const mountPath = new AttrRef(mount.id, "path");
  const config: ResourceDescriptor = {
    type: "vault_kv_secret_backend_v2",
    id: `${owner}.config`,
    attributes: compact({
      mount: mountPath,
      max_versions: spec.maxVersions,
      cas_required: spec.casRequired,
      delete_version_after: spec.deleteVersionAfter,
      ...namespaceField(options),
    }),
  };
  return { resources: [mount, config], mountPath, ids: { mount: mount.id, config: config.id } };
}

/** Props of `KvV2Store`. */
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

/** Model input of a KV v2 store. */
export function kvInput(props: KvV2StoreProps): Record<string, unknown> {
  return omitUndefined({ ...props, mount: props.mountPath ?? "secret", mountPath: undefined });
}

/** What a KV v2 grant covers. */
export type KvGrant = "read" | "write" | "read-write" | "delete" | "destroy" | "list";

const KV_GRANTS: Readonly<Record<KvGrant, readonly [string, readonly Capability[]][]>> = {
  read: [
    ["data", ["read"]],
    ["metadata", ["read", "list"]],
  ],
  write: [
    ["data", ["create", "update", "patch"]],
    ["metadata", ["read"]],
  ],
  "read-write": [
    ["data", ["create", "read", "update", "patch"]],
    ["metadata", ["read", "list"]],
  ],
  delete: [
    ["data", ["delete"]],
    ["delete", ["update"]],
    ["undelete", ["update"]],
  ],
  destroy: [
    ["destroy", ["update"]],
    ["metadata", ["delete"]],
  ],
  list: [["metadata", ["list"]]],
};

/** The rules of KV v2 grant `kind` on `<mount>/<prefix>/<pattern>` (pattern relative to the mount). */
export function kvGrantRules(mountPath: string, kind: KvGrant, pattern: string): PathRule[] {
  if (pattern.startsWith("/")) throw new Error(`KV grant pattern "${pattern}" must be relative to the mount (no leading "/")`);
  if (/^(data|metadata|delete|undelete|destroy)(\/|$)/.test(pattern)) {
    throw new Error(`KV grant pattern "${pattern}" must not start with a KV v2 API prefix: grants add data/, metadata/, ... themselves`);
  }
  return KV_GRANTS[kind].map(([prefix, capabilities]) => ({ path: `${mountPath}/${prefix}/${pattern}`, capabilities }));
}

/** A KV v2 store, created in this stack or imported: its mount path and its grants. */
export interface IKvV2Store {
  /** Mount path as a literal. */
  readonly mountPath: string;
  /** Grant `read` on `data/<pattern>` and `read`, `list` on `metadata/<pattern>`. @default pattern "*" */
  grantRead(policy: PolicyGrantee, pattern?: string): PathRule[];
  /** Grant `create`, `update`, `patch` on `data/<pattern>` and `read` on `metadata/<pattern>` (for check-and-set). */
  grantWrite(policy: PolicyGrantee, pattern?: string): PathRule[];
  /** {@link IKvV2Store.grantRead} and {@link IKvV2Store.grantWrite} together. */
  grantReadWrite(policy: PolicyGrantee, pattern?: string): PathRule[];
  /** Grant soft delete and undelete: `delete` on `data/`, `update` on `delete/` and `undelete/`. */
  grantDelete(policy: PolicyGrantee, pattern?: string): PathRule[];
  /** Grant permanent destruction: `update` on `destroy/`, `delete` on `metadata/` (all versions). */
  grantDestroy(policy: PolicyGrantee, pattern?: string): PathRule[];
  /** Grant `list` on `metadata/<pattern>` (key names only, no values). */
  grantList(policy: PolicyGrantee, pattern?: string): PathRule[];
}

/** The one implementation of the KV v2 grants, used by created and imported stores of both engines. */
export class KvV2Grants implements IKvV2Store {
  constructor(public readonly mountPath: string) {}

  /** @inheritdoc */
  public grantRead(policy: PolicyGrantee, pattern = "*"): PathRule[] {
    return grantRules(policy, kvGrantRules(this.mountPath, "read", pattern));
  }

  /** @inheritdoc */
  public grantWrite(policy: PolicyGrantee, pattern = "*"): PathRule[] {
    return grantRules(policy, kvGrantRules(this.mountPath, "write", pattern));
  }

  /** @inheritdoc */
  public grantReadWrite(policy: PolicyGrantee, pattern = "*"): PathRule[] {
    return grantRules(policy, kvGrantRules(this.mountPath, "read-write", pattern));
  }

  /** @inheritdoc */
  public grantDelete(policy: PolicyGrantee, pattern = "*"): PathRule[] {
    return grantRules(policy, kvGrantRules(this.mountPath, "delete", pattern));
  }

  /** @inheritdoc */
  public grantDestroy(policy: PolicyGrantee, pattern = "*"): PathRule[] {
    return grantRules(policy, kvGrantRules(this.mountPath, "destroy", pattern));
  }

  /** @inheritdoc */
  public grantList(policy: PolicyGrantee, pattern = "*"): PathRule[] {
    return grantRules(policy, kvGrantRules(this.mountPath, "list", pattern));
  }
}
