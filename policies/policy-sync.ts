/**
 * Push a policy set to a server: create, update and (with `prune`) delete ACL policies so the
 * server matches the set. Dry-run by default. Every written policy starts with a version stamp
 * comment (`# vaultsmith-version: <stamp>`) so the running policy can be traced to a commit.
 */
import { inspect } from "node:util";
import { POLICIES, Requester } from "../runtime/transport/requester";
import { renderHcl } from "./hcl-render";
import { PolicyValidationError } from "./policy-error";
import { PolicyDocument } from "./policy-document";
import { parsePolicy } from "./policy-parse";
import { PolicyServerFlavor } from "./server-flavor";

/** The stamp comment's prefix. */
export const VERSION_STAMP_PREFIX = "# vaultsmith-version: ";

/** Policies the server owns and that sync never deletes. */
const BUILT_IN = new Set(["root", "default"]);

/** What sync needs from a server. */
export interface PolicyStore {
  /** Names of the ACL policies on the server. */
  list(): Promise<string[]>;
  /** The stored text of a policy, or undefined when it does not exist. */
  read(name: string): Promise<string | undefined>;
  /** Create or replace a policy. */
  write(name: string, text: string): Promise<void>;
  /** Delete a policy. */
  delete(name: string): Promise<void>;
}

/** One planned change. */
export interface SyncAction {
  /** What happens. */
  readonly kind: "create" | "update" | "delete" | "unchanged";
  /** Policy name. */
  readonly name: string;
  /** The stamp on the server before the change, if it had one. */
  readonly previousStamp?: string;
}

/** Sync options. */
export interface SyncOptions {
  /** Write the changes; without it only the plan is computed. @default false */
  readonly apply?: boolean;
  /** Delete server policies that are not in the set (never `root` or `default`). @default false */
  readonly prune?: boolean;
  /** Version stamp written into each policy, e.g. a commit id. */
  readonly stamp: string;
  /** Server semantics for reading the stored policies. @default "vault" */
  readonly flavor?: PolicyServerFlavor;
}

/** The stamp of a stored policy text, if any. */
export function readVersionStamp(text: string): string | undefined {
  const first = text.split("\n", 1)[0];
  return first.startsWith(VERSION_STAMP_PREFIX) ? first.slice(VERSION_STAMP_PREFIX.length).trim() : undefined;
}

/** The text sync writes for `doc`: the stamp line, then canonical HCL. */
export function stampedHcl(doc: PolicyDocument, stamp: string): string {
  if (/[\r\n]/.test(stamp)) throw new Error(`version stamp must be one line, got ${JSON.stringify(stamp)}`);
  return `${VERSION_STAMP_PREFIX}${stamp}\n${renderHcl(doc)}`;
}

async function canonical(text: string, name: string, flavor: PolicyServerFlavor | undefined): Promise<string | undefined> {
  try {
    return renderHcl(await parsePolicy(text, { name, file: `server policy ${name}`, flavor }));
  } catch {
    return undefined;
  }
}

/** Plan (and with `apply`, perform) the changes that make `store` hold exactly `policies`. */
export async function syncPolicies(store: PolicyStore, policies: readonly PolicyDocument[], options: SyncOptions): Promise<SyncAction[]> {
  const remote = new Set(await store.list());
  const actions: SyncAction[] = [];
  for (const doc of [...policies].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!remote.has(doc.name)) {
      actions.push({ kind: "create", name: doc.name });
      continue;
    }
    const current = (await store.read(doc.name)) ?? "";
    const same = (await canonical(current, doc.name, options.flavor)) === renderHcl(doc);
    actions.push({ kind: same ? "unchanged" : "update", name: doc.name, previousStamp: readVersionStamp(current) });
  }
  if (options.prune) {
    if (policies.length === 0) {
      throw new PolicyValidationError(
        { file: "--prune" },
        "refusing to prune with no local policies: that would delete every policy on the server",
      );
    }
    const local = new Set(policies.map((p) => p.name));
    for (const name of [...remote].sort()) {
      if (!local.has(name) && !BUILT_IN.has(name))
        actions.push({ kind: "delete", name, previousStamp: readVersionStamp((await store.read(name)) ?? "") });
    }
  }
  if (options.apply) {
    for (const action of actions) {
      const doc = policies.find((p) => p.name === action.name);
      if ((action.kind === "create" || action.kind === "update") && doc) await store.write(doc.name, stampedHcl(doc, options.stamp));
      if (action.kind === "delete") await store.delete(action.name);
    }
  }
  return actions;
}

/** Plain-text plan. */
export function formatSyncPlan(actions: readonly SyncAction[], applied: boolean): string {
  const verb = (kind: SyncAction["kind"]) =>
    (applied
      ? { create: "created", update: "updated", delete: "deleted", unchanged: "unchanged" }
      : { create: "create", update: "update", delete: "delete", unchanged: "unchanged" })[kind];
  const lines = actions.map((a) => `${verb(a.kind).padEnd(9)} ${a.name}${a.previousStamp ? ` (was ${a.previousStamp})` : ""}`);
  const changes = actions.filter((a) => a.kind !== "unchanged").length;
  return `${lines.join("\n")}${lines.length ? "\n" : ""}${applied ? `${changes} change(s) applied` : `${changes} change(s) planned (dry run; use --apply to write)`}\n`;
}

/**
 * A `PolicyStore` over Vault's HTTP API (`sys/policies/acl`), sent through a runtime requester —
 * a `VaultClient`'s gives failover to the active node, retries and metrics. The caller owns the
 * requester (and closes its client).
 */
export class HttpPolicyStore implements PolicyStore {
  readonly #requester: Requester;
  readonly #server: string;

  /** Work through `requester`; `server` names it in what the store shows of itself (an address, never a token). */
  constructor(requester: Requester, server: string) {
    this.#requester = requester;
    this.#server = server;
  }

  /** What `util.inspect` shows: the server only. */
  [inspect.custom](): string {
    return `HttpPolicyStore(${this.#server})`;
  }

  /** What `JSON.stringify` shows: the server only. */
  toJSON(): { server: string } {
    return { server: this.#server };
  }

  /** {@inheritDoc PolicyStore.list} */
  public async list(): Promise<string[]> {
    const res = await this.call<{ data?: { keys?: string[] } }>("GET", "sys/policies/acl?list=true");
    return res.status === 404 ? [] : (res.body.data?.keys ?? []);
  }

  /** {@inheritDoc PolicyStore.read} */
  public async read(name: string): Promise<string | undefined> {
    const res = await this.call<{ data?: { policy?: string } }>("GET", `sys/policies/acl/${encodeURIComponent(name)}`);
    return res.status === 404 ? undefined : res.body.data?.policy;
  }

  /** {@inheritDoc PolicyStore.write} */
  public async write(name: string, text: string): Promise<void> {
    await this.call("PUT", `sys/policies/acl/${encodeURIComponent(name)}`, { policy: text });
  }

  /** {@inheritDoc PolicyStore.delete} */
  public async delete(name: string): Promise<void> {
    await this.call("DELETE", `sys/policies/acl/${encodeURIComponent(name)}`);
  }

  private async call<T>(method: "GET" | "PUT" | "DELETE", path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const [route, query] = path.split("?");
    // Writing a policy's text or deleting it is harmless to repeat, so it is retried freely too.
    const res = await this.#requester.request<T>(
      { method, path: route, query: query ? Object.fromEntries(new URLSearchParams(query)) : undefined, body, acceptStatus: [404] },
      method === "GET" ? POLICIES.read : POLICIES.idempotentWrite,
    );
    return { status: res.status, body: (res.body ?? {}) as T };
  }
}
