/**
 * Namespaces (OpenBao, Vault Enterprise): create, list, read, inspect (mounts, auth methods,
 * policies, children, quotas naming it) and delete. Paths are full paths from the root (`a/b`);
 * a child is created from its parent's context, as the API requires. A namespace that does not
 * exist is a {@link NamespaceNotFoundError} — OpenBao answers a read with a bare 404 and a delete
 * with a warning only, and both would otherwise pass for success.
 */
import { OpsInputError } from "../ops-input-error";
import { VaultHttpError } from "../../core/errors";
import { POLICIES, Requester } from "../../transport/requester";
import { listPolicies } from "../estate/estate-checksums";
import { inNamespace, normalizeNamespace } from "../estate/namespaced";

/** A namespace as the server describes it. */
export interface NamespaceInfo {
  /** Full path without the trailing slash (`tenant-a`, `org/team`). */
  readonly path: string;
  /** Server-side id (the audit log's `namespace.id`). */
  readonly id: string;
  /** User metadata. */
  readonly customMetadata: Readonly<Record<string, string>>;
}

/** What lives in a namespace. */
export interface NamespaceInspection extends NamespaceInfo {
  /** Secret engine mounts: path → type (system mounts left out). */
  readonly mounts: Readonly<Record<string, string>>;
  /** Auth methods: path → type (`token/` left out). */
  readonly authMethods: Readonly<Record<string, string>>;
  /** ACL policies (built-ins left out). */
  readonly policies: readonly string[];
  /** Direct children (full paths). */
  readonly children: readonly string[];
  /** Rate-limit quotas (root namespace) whose path is this namespace or below. */
  readonly quotas: readonly { readonly name: string; readonly path: string; readonly rate: number }[];
}

/** The namespace does not exist. */
export class NamespaceNotFoundError extends Error {
  /** The path asked for. */
  public readonly namespace: string;
  /** @internal */
  constructor(namespace: string) {
    super(`namespace "${namespace}" does not exist`);
    this.name = "NamespaceNotFoundError";
    this.namespace = namespace;
  }
}

/** The namespace already exists (provisioning refuses to adopt one it did not create). */
export class NamespaceExistsError extends Error {
  /** @internal */
  constructor(namespace: string) {
    super(`namespace "${namespace}" already exists`);
    this.name = "NamespaceExistsError";
  }
}

interface RawNamespace {
  readonly id: string;
  readonly path: string;
  readonly custom_metadata?: Record<string, string> | null;
}

const SYSTEM_MOUNTS = new Set(["sys/", "identity/", "cubbyhole/"]);

function split(path: string): { parent: string; name: string } {
  const clean = normalizeNamespace(path);
  if (clean === "") throw new OpsInputError("the root namespace cannot be created, read or deleted as a namespace");
  const i = clean.lastIndexOf("/");
  return i < 0 ? { parent: "", name: clean } : { parent: clean.slice(0, i), name: clean.slice(i + 1) };
}

function info(raw: RawNamespace): NamespaceInfo {
  return { path: raw.path.replace(/\/+$/, ""), id: raw.id, customMetadata: raw.custom_metadata ?? {} };
}

/** Namespace administration over a root-namespace requester. */
export class NamespaceAdmin {
  /** @param requester a requester whose token may manage namespaces (root namespace) */
  constructor(private readonly requester: Requester) {}

  /** Create `path` (its parent must exist); throws {@link NamespaceExistsError} when it does already. */
  async create(path: string, customMetadata: Readonly<Record<string, string>> = {}): Promise<NamespaceInfo> {
    const { parent, name } = split(path);
    if (parent !== "") await this.read(parent);
    if (await this.find(path)) throw new NamespaceExistsError(normalizeNamespace(path));
    const res = await inNamespace(this.requester, parent).request<{ data: RawNamespace }>(
      { method: "POST", path: `sys/namespaces/${name}`, body: { custom_metadata: customMetadata } },
      POLICIES.idempotentWrite,
    );
    if (!res.body) throw new Error(`creating namespace ${path} returned no data`);
    return info(res.body.data);
  }

  /** The namespace at `path`, or `undefined`. */
  async find(path: string): Promise<NamespaceInfo | undefined> {
    const { parent, name } = split(path);
    try {
      const res = await inNamespace(this.requester, parent).request<{ data: RawNamespace }>(
        { method: "GET", path: `sys/namespaces/${name}`, acceptStatus: [404] },
        POLICIES.read,
      );
      return res.status === 404 || !res.body ? undefined : info(res.body.data);
    } catch (error) {
      // The parent itself is missing: the server refuses the namespace header.
      if (error instanceof VaultHttpError && error.errors.some((e) => /namespace not found/i.test(e))) return undefined;
      throw error;
    }
  }

  /** The namespace at `path`; throws {@link NamespaceNotFoundError}. */
  async read(path: string): Promise<NamespaceInfo> {
    const found = await this.find(path);
    if (!found) throw new NamespaceNotFoundError(normalizeNamespace(path));
    return found;
  }

  /** Direct children of `parent` (root by default), full paths, sorted. */
  async list(parent = ""): Promise<NamespaceInfo[]> {
    if (normalizeNamespace(parent) !== "") await this.read(parent);
    const res = await inNamespace(this.requester, parent).request<{ data: { key_info: Record<string, RawNamespace> } }>(
      { method: "LIST", path: "sys/namespaces", acceptStatus: [404] },
      POLICIES.read,
    );
    if (res.status === 404 || !res.body) return [];
    return Object.values(res.body.data.key_info)
      .map(info)
      .sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** Everything {@link NamespaceInspection} lists. */
  async inspect(path: string): Promise<NamespaceInspection> {
    const ns = await this.read(path);
    const scoped = inNamespace(this.requester, ns.path);
    const mounts = await scoped.request<{ data: Record<string, { type: string }> }>({ method: "GET", path: "sys/mounts" }, POLICIES.read);
    const auth = await scoped.request<{ data: Record<string, { type: string }> }>({ method: "GET", path: "sys/auth" }, POLICIES.read);
    const quotas = await this.quotasFor(ns.path);
    return {
      ...ns,
      mounts: Object.fromEntries(
        Object.entries(mounts.body?.data ?? {})
          .filter(([p]) => !SYSTEM_MOUNTS.has(p))
          .map(([p, m]) => [p.replace(/\/$/, ""), m.type]),
      ),
      authMethods: Object.fromEntries(
        Object.entries(auth.body?.data ?? {})
          .filter(([p]) => p !== "token/")
          .map(([p, m]) => [p.replace(/\/$/, ""), m.type]),
      ),
      policies: await listPolicies(scoped),
      children: (await this.list(ns.path)).map((c) => c.path),
      quotas,
    };
  }

  private async quotasFor(path: string): Promise<{ name: string; path: string; rate: number }[]> {
    const res = await this.requester.request<{ data: { keys: string[] } }>(
      { method: "LIST", path: "sys/quotas/rate-limit", acceptStatus: [404] },
      POLICIES.read,
    );
    const out: { name: string; path: string; rate: number }[] = [];
    for (const name of res.status === 404 ? [] : (res.body?.data.keys ?? [])) {
      const q = await this.requester.request<{ data: { path: string; rate: number } }>(
        { method: "GET", path: `sys/quotas/rate-limit/${name}` },
        POLICIES.read,
      );
      const qp = (q.body?.data.path ?? "").replace(/\/+$/, "");
      if (qp === path || qp.startsWith(`${path}/`)) out.push({ name, path: qp, rate: q.body?.data.rate ?? 0 });
    }
    return out;
  }

  /**
   * Delete `path` and wait until it is gone (the server removes its mounts in the background).
   * Throws {@link NamespaceNotFoundError} when there is nothing to delete; the server refuses a
   * namespace that still has children.
   */
  async delete(path: string, options: { timeoutMs?: number } = {}): Promise<void> {
    const ns = await this.read(path);
    const { parent, name } = split(ns.path);
    await inNamespace(this.requester, parent).request({ method: "DELETE", path: `sys/namespaces/${name}` }, POLICIES.idempotentWrite);
    const end = Date.now() + (options.timeoutMs ?? 30_000);
    while (await this.find(ns.path)) {
      if (Date.now() > end) throw new Error(`namespace "${ns.path}" is still being deleted after ${options.timeoutMs ?? 30_000} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
