/**
 * A checksum inventory of what a recovery or a migration must carry over intact: every KV v2
 * secret (latest version) of the given mounts and every ACL policy, each as a SHA-256 of a
 * canonical form. Two inventories compare entry by entry, so a drill or a migration reports
 * exactly which secret or policy differs — by path and hash, never by value.
 */
import { createHash } from "node:crypto";
import { Kv2Api } from "../../engines/kv2";
import { POLICIES, Requester } from "../../transport/requester";
import { inNamespace } from "./namespaced";

/** One inventoried item. */
export interface EstateEntry {
  /** `kv` (a secret's latest version) or `policy` (an ACL policy's text). */
  readonly kind: "kv" | "policy";
  /** `mount/path` of a secret, or the policy name. */
  readonly name: string;
  /** SHA-256 (hex) of the canonical JSON of the secret's data, or of the policy text. */
  readonly sha256: string;
}

/** The inventory of one namespace. */
export interface EstateInventory {
  /** Namespace inventoried (`""` = root). */
  readonly namespace: string;
  /** Entries sorted by kind, then name. */
  readonly entries: readonly EstateEntry[];
  /** SHA-256 over all entries: equal digests mean equal estates. */
  readonly digest: string;
}

/** How two inventories differ. */
export interface EstateDiff {
  /** In the expected inventory, absent from the actual one. */
  readonly missing: readonly string[];
  /** Present in both with different hashes. */
  readonly changed: readonly string[];
  /** Only in the actual inventory. */
  readonly extra: readonly string[];
}

/** Policies every namespace has and no migration or restore carries (`root` cannot be read). */
export const BUILTIN_POLICIES: readonly string[] = ["root", "default"];

/** JSON with object keys sorted at every level: equal data, equal bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 hex of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Every secret path below `prefix` of a KV v2 mount, depth first, sorted. */
export async function listKvPaths(kv: Kv2Api, prefix = ""): Promise<string[]> {
  const clean = prefix.replace(/^\/+|\/+$/g, "");
  const base = clean === "" ? "" : `${clean}/`;
  const out: string[] = [];
  for (const key of await kv.list(clean)) {
    if (key.endsWith("/")) out.push(...(await listKvPaths(kv, `${base}${key}`)));
    else out.push(`${base}${key}`);
  }
  return out.sort();
}

/** The ACL policy names of a namespace (the requester's), without {@link BUILTIN_POLICIES} unless asked. */
export async function listPolicies(requester: Requester, options: { includeBuiltin?: boolean } = {}): Promise<string[]> {
  const res = await requester.request<{ data: { keys: string[] } }>(
    { method: "LIST", path: "sys/policies/acl", acceptStatus: [404] },
    POLICIES.read,
  );
  const keys = res.status === 404 ? [] : (res.body?.data.keys ?? []);
  return keys.filter((k) => options.includeBuiltin || !BUILTIN_POLICIES.includes(k)).sort();
}

/** An ACL policy's text; `undefined` when it does not exist. */
export async function readPolicy(requester: Requester, name: string): Promise<string | undefined> {
  const res = await requester.request<{ data: { policy: string } }>(
    { method: "GET", path: `sys/policies/acl/${encodeURIComponent(name)}`, acceptStatus: [404] },
    POLICIES.read,
  );
  return res.status === 404 ? undefined : res.body?.data.policy;
}

/**
 * Inventory `kvMounts` (KV v2) and the ACL policies of `namespace` over `requester`. Secrets whose
 * latest version is deleted are left out (they have no data to compare).
 */
export async function inventoryEstate(
  requester: Requester,
  options: { kvMounts: readonly string[]; namespace?: string; includeBuiltinPolicies?: boolean },
): Promise<EstateInventory> {
  const scoped = inNamespace(requester, options.namespace);
  const entries: EstateEntry[] = [];
  for (const mount of options.kvMounts) {
    const kv = new Kv2Api(scoped, mount);
    for (const path of await listKvPaths(kv)) {
      const secret = await kv.read(path);
      if (secret) entries.push({ kind: "kv", name: `${mount}/${path}`, sha256: sha256Hex(canonicalJson(secret.data)) });
    }
  }
  for (const name of await listPolicies(scoped, { includeBuiltin: options.includeBuiltinPolicies })) {
    const text = await readPolicy(scoped, name);
    if (text !== undefined) entries.push({ kind: "policy", name, sha256: sha256Hex(text) });
  }
  entries.sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind < b.kind ? -1 : 1));
  return { namespace: options.namespace ?? "", entries, digest: sha256Hex(canonicalJson(entries)) };
}

/** Compare an expected inventory with an actual one, by kind:name. */
export function diffInventories(
  expected: EstateInventory,
  actual: EstateInventory,
  rename: (name: string) => string = (n) => n,
): EstateDiff {
  const key = (e: EstateEntry, name = e.name): string => `${e.kind}:${name}`;
  const have = new Map(actual.entries.map((e) => [key(e), e.sha256]));
  const want = new Map(expected.entries.map((e) => [key(e, rename(e.name)), e.sha256]));
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [k, sha] of want) {
    const got = have.get(k);
    if (got === undefined) missing.push(k);
    else if (got !== sha) changed.push(k);
  }
  const extra = [...have.keys()].filter((k) => !want.has(k));
  return { missing, changed, extra };
}

/** Whether a diff is empty. */
export function isIdentical(diff: EstateDiff): boolean {
  return diff.missing.length === 0 && diff.changed.length === 0 && diff.extra.length === 0;
}
