/**
 * Tenants in OpenBao namespaces on a real dev server (with a file audit device): isolation between
 * two tenants, an explicit cross-namespace grant that works and shows in the audit log, policies
 * explained per token, a rate-limit quota that throttles, a migration verified by checksums
 * (refused onto a non-empty target), export/restore, and clear errors for unknown namespaces.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VaultClient, VaultHttpError } from "../../../../../runtime";
import { POLICIES } from "../../../../../runtime/transport/requester";
import { inNamespace } from "../../../../../runtime/ops/estate/namespaced";
import { NamespaceAdmin, NamespaceExistsError, NamespaceNotFoundError } from "../../../../../runtime/ops/namespaces/namespace-admin";
import { provisionTenant } from "../../../../../runtime/ops/namespaces/tenant-provision";
import { createShareGrant, listShareGrants, revokeShareGrant } from "../../../../../runtime/ops/namespaces/share-grants";
import { explainTokenPolicies } from "../../../../../runtime/ops/namespaces/policy-explain";
import { setNamespaceRateLimit } from "../../../../../runtime/ops/namespaces/namespace-quotas";
import {
  MigrationTargetNotEmptyError,
  exportNamespace,
  migrateNamespace,
  restoreNamespace,
} from "../../../../../runtime/ops/namespaces/namespace-migration";
import { Kv2Api } from "../../../../../runtime/engines/kv2";
import { DevServer, startDevServer } from "../../../../support/dev-server";

describe("tenant namespaces on a real OpenBao dev server", () => {
  let server: DevServer;
  let root: VaultClient;
  let admin: NamespaceAdmin;
  let dir: string;

  /** An app token of `tenant`: the AppRole `app` role's login in the tenant's namespace. */
  const appLogin = async (tenant: string): Promise<string> => {
    const ns = inNamespace(root, tenant);
    const roleId = await ns.request<{ data: { role_id: string } }>({ method: "GET", path: "auth/approle/role/app/role-id" }, POLICIES.read);
    const secretId = await ns.request<{ data: { secret_id: string } }>(
      { method: "POST", path: "auth/approle/role/app/secret-id" },
      POLICIES.creatingWrite,
    );
    const login = await ns.request<{ auth: { client_token: string } }>(
      {
        method: "POST",
        path: "auth/approle/login",
        body: { role_id: roleId.body?.data.role_id, secret_id: secretId.body?.data.secret_id },
        unauthenticated: true,
      },
      POLICIES.creatingWrite,
    );
    return login.body?.auth.client_token ?? "";
  };
  const readAs = async (token: string, namespace: string, path: string): Promise<number> =>
    (await root.request({ method: "GET", path, namespace, headers: { "X-Vault-Token": token }, acceptStatus: [403, 404] }, POLICIES.read))
      .status;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-ns-"));
    server = await startDevServer("openbao", {
      config: `audit "file" "file-audit" {\n  options {\n    file_path = "${join(dir, "audit.log")}"\n  }\n}\n`,
    });
    root = new VaultClient({ address: server.address, token: server.token, cache: false });
    admin = new NamespaceAdmin(root);
    await provisionTenant(root, { name: "tenant-a", transitKeys: ["orders"] });
    await provisionTenant(root, { name: "tenant-b" });
    await new Kv2Api(inNamespace(root, "tenant-a"), "secret").write("db/password", { password: "a-secret-1" });
    await new Kv2Api(inNamespace(root, "tenant-b"), "secret").write("db/password", { password: "b-secret-1" });
  });

  afterAll(async () => {
    await root?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("provisions tenants with mounts, auth and policies, lists and inspects them", async () => {
    expect((await admin.list()).map((n) => n.path)).toEqual(["tenant-a", "tenant-b"]);
    const a = await admin.inspect("tenant-a");
    expect(a.mounts).toEqual({ secret: "kv", transit: "transit" });
    expect(a.authMethods).toEqual({ approle: "approle" });
    expect(a.policies).toEqual(["tenant-a-admin", "tenant-a-reader"]);
    expect(a.customMetadata).toMatchObject({ tenant: "tenant-a" });
    await expect(provisionTenant(root, { name: "tenant-a" })).rejects.toBeInstanceOf(NamespaceExistsError);
  });

  it("keeps two tenants from reading each other's secrets", async () => {
    const aToken = await appLogin("tenant-a");
    const bToken = await appLogin("tenant-b");
    expect(await readAs(aToken, "tenant-a", "secret/data/db/password")).toBe(200);
    expect(await readAs(bToken, "tenant-b", "secret/data/db/password")).toBe(200);
    expect(await readAs(aToken, "tenant-b", "secret/data/db/password")).toBe(403);
    expect(await readAs(bToken, "tenant-a", "secret/data/db/password")).toBe(403);
    expect(await readAs(aToken, "tenant-a", "secret/data/../../tenant-b/secret/data/db/password").catch(() => 403)).not.toBe(200);
  });

  it("shares one secret through an explicit grant, visible in the audit log, until revoked", async () => {
    const bToken = await appLogin("tenant-b");
    expect(await readAs(bToken, "tenant-a", "secret/data/db/password")).toBe(403);
    const issued = await createShareGrant(root, {
      owner: "tenant-a",
      grantee: "tenant-b",
      mount: "secret",
      path: "db/password",
      ttlSeconds: 600,
    });
    const unwrapped = await root.request<{ data: { token: string } }>(
      { method: "POST", path: "sys/wrapping/unwrap", namespace: "tenant-a", headers: { "X-Vault-Token": issued.wrappingToken } },
      POLICIES.creatingWrite,
    );
    const grantToken = unwrapped.body?.data.token ?? "";
    const read = await root.request<{ data: { data: { password: string } } }>(
      { method: "GET", path: "secret/data/db/password", namespace: "tenant-a", headers: { "X-Vault-Token": grantToken } },
      POLICIES.read,
    );
    expect(read.body?.data.data.password).toBe("a-secret-1");
    // Only that secret.
    await new Kv2Api(inNamespace(root, "tenant-a"), "secret").write("db/other", { v: 1 });
    expect(await readAs(grantToken, "tenant-a", "secret/data/db/other")).toBe(403);
    expect((await listShareGrants(root, "tenant-a")).map((g) => [g.id, g.grantee, g.path])).toEqual([
      [issued.grant.id, "tenant-b", "db/password"],
    ]);
    // Audited: the read appears under the owner's namespace with the grant's display name.
    await new Promise((r) => setTimeout(r, 300));
    const log = readFileSync(join(dir, "audit.log"), "utf8")
      .split("\n")
      .filter((l) => l.includes('"secret/data/db/password"') && l.includes("share-tenant-b"));
    expect(log.length).toBeGreaterThanOrEqual(2);
    expect(log.join("\n")).not.toContain("a-secret-1");
    await revokeShareGrant(root, "tenant-a", issued.grant.id);
    expect(await readAs(grantToken, "tenant-a", "secret/data/db/password")).toBe(403);
    expect(await listShareGrants(root, "tenant-a")).toEqual([]);
    await new Kv2Api(inNamespace(root, "tenant-a"), "secret").deleteMetadata("db/other");
  });

  it("explains a token's policies: local in its namespace, inherited into a child", async () => {
    const aToken = await appLogin("tenant-a");
    const local = await explainTokenPolicies(root, { token: aToken, tokenNamespace: "tenant-a" });
    expect(local.policies.map((p) => [p.name, p.scope])).toEqual([
      ["default", "local"],
      ["tenant-a-reader", "local"],
    ]);
    expect(local.effectiveInTarget).toContain("tenant-a-reader");
    await admin.create("tenant-a/team");
    const child = await explainTokenPolicies(root, { token: aToken, tokenNamespace: "tenant-a", target: "tenant-a/team" });
    expect(child.policies.find((p) => p.name === "tenant-a-reader")?.scope).toBe("inherited");
    expect(child.effectiveInTarget).not.toContain("tenant-a-reader");
    await expect(explainTokenPolicies(root, { token: aToken, tokenNamespace: "tenant-a", target: "tenant-b" })).rejects.toThrow(
      "cannot act there",
    );
    await admin.delete("tenant-a/team");
  });

  it("throttles a namespace with its rate-limit quota", async () => {
    await provisionTenant(root, { name: "tenant-q" });
    const name = await setNamespaceRateLimit(root, "tenant-q", { rate: 6, intervalSeconds: 30 });
    expect((await admin.inspect("tenant-q")).quotas).toEqual([{ name, path: "tenant-q", rate: 6 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(
        (
          await root.request(
            { method: "GET", path: "secret/data/x", namespace: "tenant-q", acceptStatus: [404, 429] },
            { retryClass: "state-creating", kind: "read" },
          )
        ).status,
      );
    }
    expect(statuses).toContain(429);
    expect(statuses[statuses.length - 1]).toBe(429);
    expect(await readAs(server.token, "tenant-a", "secret/data/db/password")).toBe(200);
  });

  it("migrates a tenant's data and policies intact, refuses a non-empty target, then the old namespace can go", async () => {
    const kv = new Kv2Api(inNamespace(root, "tenant-b"), "secret");
    for (let i = 0; i < 10; i++) await kv.write(`apps/app${i}`, { n: i, blob: "z".repeat(i * 10) });
    const before = await exportNamespace(root, "tenant-b");
    const refused = await migrateNamespace(root, "tenant-b", "tenant-a").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MigrationTargetNotEmptyError);
    expect((refused as MigrationTargetNotEmptyError).conflicts).toContain("policy:tenant-a-admin");
    expect((await exportNamespace(root, "tenant-a")).inventory.entries.filter((e) => e.name.startsWith("secret/apps/"))).toEqual([]);

    const report = await migrateNamespace(root, "tenant-b", "tenant-b2", { deleteSource: true });
    expect(report.identical).toBe(true);
    expect(report.written).toEqual({ secrets: 11, policies: 2 });
    expect(report.digests.actual).toBe(before.inventory.digest);
    expect(report.sourceDeleted).toBe(true);
    expect(await admin.find("tenant-b")).toBeUndefined();
    const moved = await new Kv2Api(inNamespace(root, "tenant-b2"), "secret").read("apps/app7");
    expect(moved?.data).toEqual({ n: 7, blob: "z".repeat(70) });
    expect((await admin.inspect("tenant-b2")).policies).toEqual(["tenant-b-admin", "tenant-b-reader"]);
  });

  it("exports and restores one namespace", async () => {
    const data = await exportNamespace(root, "tenant-a");
    const report = await restoreNamespace(root, "tenant-a-copy", data, { createNamespace: true });
    expect(report.identical).toBe(true);
    expect(report.digests.actual).toBe(data.inventory.digest);
    await expect(restoreNamespace(root, "tenant-a-copy", data)).rejects.toBeInstanceOf(MigrationTargetNotEmptyError);
  });

  it("answers an unknown namespace with a clear error and changes nothing", async () => {
    const before = (await admin.list()).map((n) => n.path);
    for (const attempt of [
      () => admin.read("nope"),
      () => admin.inspect("nope"),
      () => admin.delete("nope"),
      () => admin.list("nope"),
      () => exportNamespace(root, "nope"),
      () => setNamespaceRateLimit(root, "nope", { rate: 1 }),
      () => createShareGrant(root, { owner: "nope", grantee: "tenant-a", mount: "secret", path: "x", ttlSeconds: 60 }),
      () => admin.create("nope/child"),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NamespaceNotFoundError);
      expect((error as Error).message).toBe('namespace "nope" does not exist');
    }
    expect((await admin.list()).map((n) => n.path)).toEqual(before);
    const direct = await root.request({ method: "GET", path: "sys/mounts", namespace: "nope" }, POLICIES.read).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(VaultHttpError);
  });
});
