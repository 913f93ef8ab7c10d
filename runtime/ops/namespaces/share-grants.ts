/**
 * Controlled cross-namespace sharing. Namespaces isolate tenants: a token of one is refused in
 * another. A grant opens exactly one secret to exactly one other tenant, explicitly and visibly:
 * in the owner's namespace a policy `share-<id>` allows `read` on that secret only, and a token
 * with only that policy (display name `share-<grantee>`, metadata naming the grant) is handed over
 * response-wrapped, so only the first unwrapper holds it. Every read through the grant is in the
 * owner's audit trail under that display name; revoking removes the token and the policy. The
 * grant's record is the policy itself (a `# vaultsmith-share {…}` header line), so listing grants
 * needs nothing besides the namespace.
 */
import { OpsInputError } from "../ops-input-error";
import { randomBytes } from "node:crypto";
import { POLICIES, Requester } from "../../transport/requester";
import { listPolicies, readPolicy } from "../estate/estate-checksums";
import { inNamespace, normalizeNamespace } from "../estate/namespaced";
import { NamespaceAdmin } from "./namespace-admin";

/** A grant. */
export interface ShareGrant {
  /** Grant id (policy `share-<id>`). */
  readonly id: string;
  /** Namespace holding the secret. */
  readonly owner: string;
  /** Namespace the grant is for. */
  readonly grantee: string;
  /** KV v2 mount and secret path. */
  readonly mount: string;
  /** Secret path in the mount. */
  readonly path: string;
  /** Accessor of the grant's token (to revoke it; not a credential). */
  readonly accessor: string;
  /** When the token expires (ISO 8601). */
  readonly expiresAt: string;
}

/** A new grant and the wrapped token to hand to the grantee. */
export interface IssuedShareGrant {
  /** The record. */
  readonly grant: ShareGrant;
  /** Response-wrapping token: the grantee unwraps it in the owner's namespace (`sys/wrapping/unwrap`), once. */
  readonly wrappingToken: string;
}

const HEADER = "# vaultsmith-share ";

/** Open `mount/path` of `owner` to `grantee` for `ttlSeconds`. Both namespaces must exist. */
export async function createShareGrant(
  requester: Requester,
  options: { owner: string; grantee: string; mount: string; path: string; ttlSeconds: number; wrapTtlSeconds?: number },
): Promise<IssuedShareGrant> {
  const admin = new NamespaceAdmin(requester);
  const owner = (await admin.read(options.owner)).path;
  const grantee = (await admin.read(options.grantee)).path;
  if (owner === grantee) throw new OpsInputError(`a grant shares across namespaces; owner and grantee are both "${owner}"`);
  if (!(Number.isInteger(options.ttlSeconds) && options.ttlSeconds > 0)) throw new RangeError("ttlSeconds must be a positive whole number");
  const path = options.path.replace(/^\/+|\/+$/g, "");
  if (path === "" || path.includes("*") || path.includes("+")) throw new OpsInputError(`a grant names one secret, got "${options.path}"`);
  const ns = inNamespace(requester, owner);
  const id = randomBytes(6).toString("hex");
  const policy = `share-${id}`;
  const expiresAt = new Date(Date.now() + options.ttlSeconds * 1000).toISOString();
  const record = { id, owner, grantee, mount: options.mount, path, accessor: "", expiresAt };
  const rules = `path "${options.mount}/data/${path}" { capabilities = ["read"] }\n`;
  await ns.request(
    { method: "PUT", path: `sys/policies/acl/${policy}`, body: { policy: `${HEADER}${JSON.stringify(record)}\n${rules}` } },
    POLICIES.idempotentWrite,
  );
  const created = await ns.request<{ auth: { client_token: string; accessor: string } }>(
    {
      method: "POST",
      path: "auth/token/create",
      body: {
        policies: [policy],
        no_default_policy: true,
        no_parent: true,
        renewable: false,
        ttl: `${options.ttlSeconds}s`,
        display_name: `share-${grantee.replace(/\//g, "-")}`,
        meta: { grant_id: id, grantee_namespace: grantee },
      },
    },
    POLICIES.creatingWrite,
  );
  const token = created.body?.auth.client_token ?? "";
  const grant = { ...record, accessor: created.body?.auth.accessor ?? "" };
  await ns.request(
    { method: "PUT", path: `sys/policies/acl/${policy}`, body: { policy: `${HEADER}${JSON.stringify(grant)}\n${rules}` } },
    POLICIES.idempotentWrite,
  );
  const wrapped = await ns.request<{ wrap_info: { token: string } }>(
    { method: "POST", path: "sys/wrapping/wrap", body: { token }, headers: { "X-Vault-Wrap-TTL": `${options.wrapTtlSeconds ?? 600}s` } },
    POLICIES.creatingWrite,
  );
  return { grant, wrappingToken: wrapped.body?.wrap_info.token ?? "" };
}

/** The grants of `owner` (from its `share-*` policies). */
export async function listShareGrants(requester: Requester, owner: string): Promise<ShareGrant[]> {
  const ns = inNamespace(requester, (await new NamespaceAdmin(requester).read(owner)).path);
  const out: ShareGrant[] = [];
  for (const name of (await listPolicies(ns)).filter((p) => p.startsWith("share-"))) {
    const text = await readPolicy(ns, name);
    const line = text?.split("\n").find((l) => l.startsWith(HEADER));
    if (line) out.push(JSON.parse(line.slice(HEADER.length)) as ShareGrant);
  }
  return out;
}

/** Revoke a grant: its token, then its policy. Throws when `owner` has no grant `id`. */
export async function revokeShareGrant(requester: Requester, owner: string, id: string): Promise<void> {
  const grant = (await listShareGrants(requester, owner)).find((g) => g.id === id);
  if (!grant) throw new Error(`namespace "${normalizeNamespace(owner)}" has no share grant "${id}"`);
  const ns = inNamespace(requester, grant.owner);
  await ns.request(
    { method: "POST", path: "auth/token/revoke-accessor", body: { accessor: grant.accessor }, acceptStatus: [400] },
    POLICIES.idempotentWrite,
  );
  await ns.request({ method: "DELETE", path: `sys/policies/acl/share-${id}` }, POLICIES.idempotentWrite);
}
