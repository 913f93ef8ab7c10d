/**
 * Acceptance: a `TenantStack` with two tenants applied with terraform and the real provider to a
 * fresh OpenBao dev server and to a fresh 3-node OpenBao Raft cluster with TLS listeners:
 * namespaces, KV, transit, policies, AppRoles and a root-namespace rate limit in one apply (the
 * quota after its namespace); tenant isolation checked with the runtime; a clean re-plan; a quota
 * changed through the API named exactly by `vaultsmith drift`; destroy (transit keys deletable:
 * `transitKeyDeletionAllowed`).
 */
import { analysePlan } from "../../drift/plan-drift";
import { AppRoleAuth, POLICIES, VaultHttpError } from "../../runtime";
import { TenantStack } from "../../stacks/tenant-stack";
import { StackRun } from "./support/stack-run";
import { DEPLOY_TARGETS, DeployTarget } from "./support/targets";

describe.each(DEPLOY_TARGETS)("acceptance: a TenantStack applied with terraform to an OpenBao %s", (label, start) => {
  const figures: Record<string, string | number> = {};
  let target: DeployTarget;
  let run: StackRun;

  beforeAll(async () => {
    target = await start();
    run = await StackRun.synthesize(
      "tenants",
      (app) =>
        new TenantStack(app, "tenants", {
          target: { edition: "openbao", version: "2.6.1" },
          tenants: [{ name: "acme", transitKeys: ["orders"], transitKeyDeletionAllowed: true, requestsPerSecond: 100 }, { name: "globex" }],
        }),
      target.terraformEnv,
    );
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
    process.stderr.write(
      `[deploy] tenants on ${label}: ${JSON.stringify({ provider: process.env.VAULTSMITH_DEPLOY_PROVIDER, ...figures })}\n`,
    );
  });

  it("applies to a fresh server in one go (the quota waits for its namespace)", async () => {
    const apply = await run.tf(["apply", "-input=false", "-auto-approve"]);
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: "" });
    expect(apply.stdout).toContain(`Apply complete! Resources: ${run.count} added, 0 changed, 0 destroyed.`);
    figures.apply_s = +(apply.ms / 1000).toFixed(1);
    figures.resources = run.count;
  });

  it("keeps tenants apart: acme's app reads acme's secrets and nothing of globex", async () => {
    const put = (ns: string, path: string, body: unknown) => target.call("POST", `${ns}/${path}`, body);
    await put("acme", "secret/data/db", { data: { password: "acme-pw" } });
    await put("globex", "secret/data/db", { data: { password: "globex-pw" } });
    const get = <T>(ns: string, path: string) => target.call<{ data: T }>("GET", `${ns}/${path}`);
    const roleId = (await get<{ role_id: string }>("acme", "auth/approle/role/app/role-id")).body.data.role_id;
    const secretId = (await put("acme", "auth/approle/role/app/secret-id", {})).body as { data: { secret_id: string } };
    const acme = target.client({ namespace: "acme" });
    try {
      const login = await new AppRoleAuth({ roleId, secretId: secretId.data.secret_id }).login(acme);
      expect(login.tokenPolicies).toEqual(["acme-reader", "default"]);
      acme.setToken(login.clientToken);
      expect((await acme.kv("secret").read("db"))?.data).toEqual({ password: "acme-pw" });
      await expect(acme.kv("secret").write("db", { password: "x" })).rejects.toBeInstanceOf(VaultHttpError);
      const other = await acme
        .request({ method: "GET", path: "secret/data/db", namespace: "globex" }, POLICIES.read)
        .catch((e: unknown) => e);
      expect(other).toBeInstanceOf(VaultHttpError);
      expect((other as VaultHttpError).status).toBe(403);
    } finally {
      await acme.close();
    }
    const quota = await target.call<{ data: { rate: number; path: string } }>("GET", "sys/quotas/rate-limit/acme-requests");
    expect(quota.body.data).toMatchObject({ rate: 100, path: "acme/" });
  });

  it("plans no change again", async () => {
    const result = await run.drift();
    figures.plan_s = +(result.ms / 1000).toFixed(1);
    expect({ code: result.code, planCode: result.planCode, out: result.out }).toEqual({ code: 0, planCode: 0, out: "tenants: no drift\n" });
  });

  it("names exactly the quota changed through the API", async () => {
    expect((await target.call("POST", "sys/quotas/rate-limit/acme-requests", { rate: 5000 })).status).toBe(204);
    const result = await run.drift();
    expect([result.code, result.planCode]).toEqual([3, 2]);
    expect([...new Set(analysePlan(result.plan).resources.map((r) => r.address))]).toEqual([run.address("vault_quota_rate_limit")]);
    expect(result.out).toContain("rate: 100 -> 5000");
  });

  it("destroys everything, namespaces last", async () => {
    const destroy = await run.tf(["destroy", "-input=false", "-auto-approve"]);
    expect({ code: destroy.code, stderr: destroy.stderr }).toEqual({ code: 0, stderr: "" });
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${run.count} destroyed.`);
    figures.destroy_s = +(destroy.ms / 1000).toFixed(1);
    for (const ns of ["acme", "globex"]) expect((await target.call("GET", `sys/namespaces/${ns}`)).status).toBe(404);
  });
});
