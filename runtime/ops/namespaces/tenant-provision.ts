/**
 * Provision a tenant's namespace with everything it needs to run: a KV v2 mount, optional transit
 * keys, an admin and a reader policy, an AppRole whose `app` role reads the tenant's secrets, and
 * optionally a rate limit. This is the live counterpart of the IaC `TenantStack` (same fields and
 * names, so a tenant declared for one can be provisioned by the other); the runtime does not
 * import the stacks, so the CLI maps a tenants file to {@link TenantSpec}.
 */
import { POLICIES, Requester } from "../../transport/requester";
import { inNamespace } from "../estate/namespaced";
import { waitForKvMount } from "./kv-mount-ready";
import { NamespaceAdmin } from "./namespace-admin";
import { setNamespaceRateLimit } from "./namespace-quotas";

/** One tenant (the fields of `TenantStack`'s tenant schema). */
export interface TenantSpec {
  /** Namespace path; lower-case letters, digits and `-`. */
  readonly name: string;
  /** KV v2 mount. @default "secret" */
  readonly kvMount?: string;
  /** Versions kept per secret. @default 10 */
  readonly kvMaxVersions?: number;
  /** Transit keys (a `transit` mount is created when there are any). @default none */
  readonly transitKeys?: readonly string[];
  /** Rate limit of the namespace, requests per second. @default none */
  readonly requestsPerSecond?: number;
  /** TTL of the app role's tokens, in seconds (max TTL four times that). @default 3600 */
  readonly appTokenTtlSeconds?: number;
}

/** What was provisioned. */
export interface ProvisionedTenant {
  /** Namespace path. */
  readonly namespace: string;
  /** KV v2 mount. */
  readonly kvMount: string;
  /** `<name>-admin` and `<name>-reader`. */
  readonly policies: readonly string[];
  /** AppRole role id of the `app` role (not a secret; the secret id is issued separately). */
  readonly appRoleId: string;
  /** Rate-limit quota name, when one was set. */
  readonly quota: string | undefined;
}

/** A tenant spec that cannot be provisioned; `field` names the bad field. */
export class TenantSpecError extends Error {
  /** The field at fault. */
  public readonly field: string;
  /** @internal */
  constructor(field: string, message: string) {
    super(`tenant ${field}: ${message}`);
    this.name = "TenantSpecError";
    this.field = field;
  }
}

/** Check a spec before anything is created. */
export function checkTenantSpec(spec: TenantSpec): void {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(spec.name))
    throw new TenantSpecError("name", `"${spec.name}" must be lower-case letters, digits and '-'`);
  if (spec.kvMount !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(spec.kvMount))
    throw new TenantSpecError("kvMount", `"${spec.kvMount}" is not a mount path`);
  for (const key of spec.transitKeys ?? [])
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(key)) throw new TenantSpecError("transitKeys", `"${key}" is not a key name`);
  if (spec.kvMaxVersions !== undefined && !(Number.isInteger(spec.kvMaxVersions) && spec.kvMaxVersions >= 0))
    throw new TenantSpecError("kvMaxVersions", "must be a whole number >= 0");
  if (spec.requestsPerSecond !== undefined && !(spec.requestsPerSecond > 0))
    throw new TenantSpecError("requestsPerSecond", "must be positive");
  if (spec.appTokenTtlSeconds !== undefined && !(Number.isInteger(spec.appTokenTtlSeconds) && spec.appTokenTtlSeconds > 0))
    throw new TenantSpecError("appTokenTtlSeconds", "must be a positive whole number");
}

/** The admin policy's HCL: full use of the tenant's KV mount, encrypt/decrypt with its keys. */
export function tenantAdminPolicy(spec: TenantSpec): string {
  const kv = spec.kvMount ?? "secret";
  const lines = [
    `path "${kv}/data/*" { capabilities = ["create", "read", "update", "patch", "delete"] }`,
    `path "${kv}/metadata/*" { capabilities = ["read", "list", "delete"] }`,
    `path "${kv}/delete/*" { capabilities = ["update"] }`,
    `path "${kv}/undelete/*" { capabilities = ["update"] }`,
    `path "${kv}/destroy/*" { capabilities = ["update"] }`,
    ...(spec.transitKeys ?? []).flatMap((k) => [
      `path "transit/encrypt/${k}" { capabilities = ["update"] }`,
      `path "transit/decrypt/${k}" { capabilities = ["update"] }`,
    ]),
  ];
  return `${lines.join("\n")}\n`;
}

/** The reader policy's HCL: read the tenant's secrets. */
export function tenantReaderPolicy(spec: TenantSpec): string {
  const kv = spec.kvMount ?? "secret";
  return `path "${kv}/data/*" { capabilities = ["read"] }\npath "${kv}/metadata/*" { capabilities = ["read", "list"] }\n`;
}

/**
 * Create the tenant. Refuses (NamespaceExistsError) when the namespace exists: provisioning never
 * adopts a namespace someone else set up.
 */
export async function provisionTenant(requester: Requester, spec: TenantSpec): Promise<ProvisionedTenant> {
  checkTenantSpec(spec);
  const admin = new NamespaceAdmin(requester);
  await admin.create(spec.name, { "managed-by": "vaultsmith", tenant: spec.name });
  const ns = inNamespace(requester, spec.name);
  const write = (path: string, body: unknown): Promise<unknown> => ns.request({ method: "POST", path, body }, POLICIES.idempotentWrite);
  const kvMount = spec.kvMount ?? "secret";
  await write(`sys/mounts/${kvMount}`, { type: "kv", options: { version: "2" } });
  await waitForKvMount(ns, kvMount);
  await write(`${kvMount}/config`, { max_versions: spec.kvMaxVersions ?? 10 });
  if ((spec.transitKeys ?? []).length > 0) {
    await write("sys/mounts/transit", { type: "transit" });
    for (const key of spec.transitKeys ?? []) await write(`transit/keys/${key}`, {});
  }
  const policies = [`${spec.name}-admin`, `${spec.name}-reader`];
  await ns.request(
    { method: "PUT", path: `sys/policies/acl/${policies[0]}`, body: { policy: tenantAdminPolicy(spec) } },
    POLICIES.idempotentWrite,
  );
  await ns.request(
    { method: "PUT", path: `sys/policies/acl/${policies[1]}`, body: { policy: tenantReaderPolicy(spec) } },
    POLICIES.idempotentWrite,
  );
  await write("sys/auth/approle", { type: "approle" });
  const ttl = spec.appTokenTtlSeconds ?? 3600;
  await write("auth/approle/role/app", { token_policies: [policies[1]], token_ttl: ttl, token_max_ttl: ttl * 4 });
  const role = await ns.request<{ data: { role_id: string } }>({ method: "GET", path: "auth/approle/role/app/role-id" }, POLICIES.read);
  const quota =
    spec.requestsPerSecond === undefined ? undefined : await setNamespaceRateLimit(requester, spec.name, { rate: spec.requestsPerSecond });
  return { namespace: spec.name, kvMount, policies, appRoleId: role.body?.data.role_id ?? "", quota };
}
