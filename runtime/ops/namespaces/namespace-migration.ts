/**
 * Export, restore and migration of a namespace's KV v2 data and ACL policies. An export holds the
 * latest version of every secret of the chosen KV v2 mounts and every non-built-in policy, plus
 * the checksum inventory taken at export time. A restore or migration writes into a target that
 * must be empty of both (otherwise it is refused before the first write) and is verified by
 * comparing the target's inventory with the export's: every secret and policy bit-identical.
 * Auth methods, tokens and leases are not carried: they belong to the namespace they were made in.
 */
import { OpsInputError } from "../ops-input-error";
import { Kv2Api, SecretData } from "../../engines/kv2";
import { POLICIES, Requester } from "../../transport/requester";
import {
  EstateDiff,
  EstateInventory,
  diffInventories,
  inventoryEstate,
  isIdentical,
  listKvPaths,
  listPolicies,
  readPolicy,
} from "../estate/estate-checksums";
import { inNamespace } from "../estate/namespaced";
import { waitForKvMount } from "./kv-mount-ready";
import { NamespaceAdmin } from "./namespace-admin";

/** Format tag of {@link NamespaceExport}. */
export const NAMESPACE_EXPORT_FORMAT = "vaultsmith-namespace-export/1";

/** A namespace's KV data and policies. Holds secrets in plaintext: keep it in memory or encrypt it. */
export interface NamespaceExport {
  /** {@link NAMESPACE_EXPORT_FORMAT}. */
  readonly format: typeof NAMESPACE_EXPORT_FORMAT;
  /** Source namespace. */
  readonly namespace: string;
  /** When (ISO 8601). */
  readonly exportedAt: string;
  /** KV v2 mounts with their secrets. */
  readonly mounts: readonly { readonly path: string; readonly secrets: readonly { readonly path: string; readonly data: SecretData }[] }[];
  /** Policies. */
  readonly policies: readonly { readonly name: string; readonly policy: string }[];
  /** Checksums at export time. */
  readonly inventory: EstateInventory;
}

/** The target already holds data or policies; nothing was written. */
export class MigrationTargetNotEmptyError extends Error {
  /** What is in the way (`policy:x`, `kv:secret/a`). */
  public readonly conflicts: readonly string[];
  /** @internal */
  constructor(target: string, conflicts: readonly string[]) {
    super(
      `namespace "${target}" is not empty (${conflicts.slice(0, 5).join(", ")}${conflicts.length > 5 ? `, … ${conflicts.length} in all` : ""}): restore and migration only write into an empty namespace`,
    );
    this.name = "MigrationTargetNotEmptyError";
    this.conflicts = conflicts;
  }
}

/** The KV v2 mounts of a namespace. */
export async function kvV2Mounts(requester: Requester, namespace: string): Promise<string[]> {
  const res = await inNamespace(requester, namespace).request<{
    data: Record<string, { type: string; options: Record<string, string> | null }>;
  }>({ method: "GET", path: "sys/mounts" }, POLICIES.read);
  return Object.entries(res.body?.data ?? {})
    .filter(([, m]) => m.type === "kv" && m.options?.version === "2")
    .map(([p]) => p.replace(/\/$/, ""))
    .sort();
}

/** Export `namespace` (all its KV v2 mounts unless `kvMounts` names some). */
export async function exportNamespace(
  requester: Requester,
  namespace: string,
  options: { kvMounts?: readonly string[] } = {},
): Promise<NamespaceExport> {
  const ns = (await new NamespaceAdmin(requester).read(namespace)).path;
  const scoped = inNamespace(requester, ns);
  const mountPaths = options.kvMounts ?? (await kvV2Mounts(requester, ns));
  const mounts = [];
  for (const path of mountPaths) {
    const kv = new Kv2Api(scoped, path);
    const secrets = [];
    for (const p of await listKvPaths(kv)) {
      const s = await kv.read(p);
      if (s) secrets.push({ path: p, data: s.data });
    }
    mounts.push({ path, secrets });
  }
  const policies = [];
  for (const name of await listPolicies(scoped)) {
    const policy = await readPolicy(scoped, name);
    if (policy !== undefined) policies.push({ name, policy });
  }
  return {
    format: NAMESPACE_EXPORT_FORMAT,
    namespace: ns,
    exportedAt: new Date().toISOString(),
    mounts,
    policies,
    inventory: await inventoryEstate(requester, { namespace: ns, kvMounts: mountPaths }),
  };
}

/** What a restore wrote and found. */
export interface RestoreReport {
  /** Target namespace. */
  readonly namespace: string;
  /** Secrets and policies written. */
  readonly written: { readonly secrets: number; readonly policies: number };
  /** Inventory digest of the export and of the target afterwards. */
  readonly digests: { readonly expected: string; readonly actual: string };
  /** Whether the target matches the export item for item. */
  readonly identical: boolean;
  /** Differences (empty on success). */
  readonly diff: EstateDiff;
}

/**
 * Restore an export into `target` (created when `createNamespace` and missing). Refused with
 * {@link MigrationTargetNotEmptyError} when the target has any non-built-in policy or any secret
 * in a mount the export brings.
 */
export async function restoreNamespace(
  requester: Requester,
  target: string,
  data: NamespaceExport,
  options: { createNamespace?: boolean } = {},
): Promise<RestoreReport> {
  const admin = new NamespaceAdmin(requester);
  const existing = await admin.find(target);
  if (!existing && !options.createNamespace) await admin.read(target);
  const ns = existing ? existing.path : (await admin.create(target, { "restored-from": data.namespace })).path;
  const scoped = inNamespace(requester, ns);
  const present = await kvV2Mounts(requester, ns);
  const mountsRes = await scoped.request<{ data: Record<string, { type: string }> }>({ method: "GET", path: "sys/mounts" }, POLICIES.read);
  const conflicts = (await listPolicies(scoped)).map((p) => `policy:${p}`);
  for (const m of data.mounts) {
    const other = mountsRes.body?.data[`${m.path}/`];
    if (other && !present.includes(m.path)) conflicts.push(`mount:${m.path} (${other.type}, not KV v2)`);
    if (present.includes(m.path)) for (const p of await listKvPaths(new Kv2Api(scoped, m.path))) conflicts.push(`kv:${m.path}/${p}`);
  }
  if (conflicts.length > 0) throw new MigrationTargetNotEmptyError(ns, conflicts);
  let secrets = 0;
  for (const m of data.mounts) {
    if (!present.includes(m.path)) {
      await scoped.request(
        { method: "POST", path: `sys/mounts/${m.path}`, body: { type: "kv", options: { version: "2" } } },
        POLICIES.idempotentWrite,
      );
      await waitForKvMount(scoped, m.path);
    }
    const kv = new Kv2Api(scoped, m.path);
    for (const s of m.secrets) {
      await kv.write(s.path, s.data);
      secrets++;
    }
  }
  for (const p of data.policies)
    await scoped.request({ method: "PUT", path: `sys/policies/acl/${p.name}`, body: { policy: p.policy } }, POLICIES.idempotentWrite);
  const after = await inventoryEstate(requester, { namespace: ns, kvMounts: data.mounts.map((m) => m.path) });
  const diff = diffInventories(data.inventory, after);
  return {
    namespace: ns,
    written: { secrets, policies: data.policies.length },
    digests: { expected: data.inventory.digest, actual: after.digest },
    identical: isIdentical(diff),
    diff,
  };
}

/** A migration's outcome. */
export interface MigrationReport extends RestoreReport {
  /** Source namespace. */
  readonly source: string;
  /** Whether the source was deleted (only after a verified, identical copy). */
  readonly sourceDeleted: boolean;
}

/**
 * Move a tenant's KV data and policies from `source` to `target` (created when missing), verify by
 * checksums, and delete the source only when asked and only when the copy is identical.
 */
export async function migrateNamespace(
  requester: Requester,
  source: string,
  target: string,
  options: { deleteSource?: boolean } = {},
): Promise<MigrationReport> {
  const data = await exportNamespace(requester, source);
  const report = await restoreNamespace(requester, target, data, { createNamespace: true });
  let sourceDeleted = false;
  if (options.deleteSource && report.identical) {
    await new NamespaceAdmin(requester).delete(data.namespace);
    sourceDeleted = true;
  }
  return { ...report, source: data.namespace, sourceDeleted };
}

/** Parse an export document; throws `TypeError` naming what is wrong. */
export function parseNamespaceExport(value: unknown, source = "export"): NamespaceExport {
  const doc = value as Partial<NamespaceExport> | null;
  if (doc === null || typeof doc !== "object") throw new OpsInputError(`${source} is not a JSON object`);
  if (doc.format !== NAMESPACE_EXPORT_FORMAT)
    throw new OpsInputError(`${source}: format is ${JSON.stringify(doc.format)}, expected "${NAMESPACE_EXPORT_FORMAT}"`);
  if (!Array.isArray(doc.mounts) || !Array.isArray(doc.policies) || !doc.inventory || !Array.isArray(doc.inventory.entries)) {
    throw new OpsInputError(`${source}: mounts, policies and inventory are required`);
  }
  return doc as NamespaceExport;
}
