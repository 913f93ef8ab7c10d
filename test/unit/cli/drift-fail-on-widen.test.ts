import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../cli/main";
import { analysePlan } from "../../../drift/plan-drift";
import { wideningChanges } from "../../../drift/widening";

const NARROW = 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n';
const WIDE = `${NARROW}\npath "sys/*" {\n  capabilities = ["sudo", "read"]\n}\n`;

function policyChange(address: string, before: string, after: string) {
  return {
    address,
    mode: "managed",
    type: "vault_policy",
    change: { actions: ["update"], before: { policy: before }, after: { policy: after } },
  };
}

/** A plan after someone widened `app` by hand: the refresh sees the widening, the plan narrows it back. */
const widenedOutside = {
  format_version: "1.2",
  resource_drift: [policyChange("vault_policy.app", NARROW, WIDE)],
  resource_changes: [policyChange("vault_policy.app", WIDE, NARROW)],
};
/** A plan whose configuration grants more. */
const widenedByConfig = { format_version: "1.2", resource_changes: [policyChange("vault_policy.ops", NARROW, WIDE)] };
/** A plan that only narrows, plus a role change. */
const narrowed = {
  format_version: "1.2",
  resource_changes: [
    policyChange("vault_policy.app", WIDE, NARROW),
    {
      address: "vault_pki_secret_backend_role.server",
      mode: "managed",
      type: "vault_pki_secret_backend_role",
      change: { actions: ["update"], before: { ttl: "60" }, after: { ttl: "120" } },
    },
  ],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "drift-widen-"));
  const plans = {
    "outside.json": widenedOutside,
    "config.json": widenedByConfig,
    "narrowed.json": narrowed,
    "errored.json": { format_version: "1.2", errored: true },
  };
  for (const [name, plan] of Object.entries(plans)) writeFileSync(join(dir, name), JSON.stringify(plan));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["drift", ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: dir });
  return { code, out, err };
}

describe("wideningChanges", () => {
  it("names the policy widened outside Terraform, not the plan that narrows it back", async () => {
    expect(await wideningChanges(analysePlan(widenedOutside))).toEqual([{ address: "vault_policy.app", kind: "outside" }]);
  });

  it("names a policy the configuration would widen", async () => {
    expect(await wideningChanges(analysePlan(widenedByConfig))).toEqual([{ address: "vault_policy.ops", kind: "planned" }]);
  });

  it("finds nothing when access only narrows or no policy changes", async () => {
    expect(await wideningChanges(analysePlan(narrowed))).toEqual([]);
    expect(await wideningChanges(analysePlan({ format_version: "1.2" }))).toEqual([]);
  });
});

describe("vaultsmith drift --fail-on-widen", () => {
  it("exits 4 and names the widened policy when access widens outside Terraform", async () => {
    const result = await run(["--fail-on-widen", "cassandra=outside.json"]);
    expect(result.code).toBe(4);
    expect(result.err).toBe("");
    expect(result.out).toContain("access: sys/* gains read, sudo");
    expect(result.out.endsWith("cassandra: vault_policy.app widened outside Terraform\n")).toBe(true);
  });

  it("exits 4 when the configuration would widen a policy", async () => {
    const result = await run(["--fail-on-widen", "tenant=config.json"]);
    expect(result.code).toBe(4);
    expect(result.out).toContain("tenant: vault_policy.ops would be widened by the configuration\n");
  });

  it("keeps 3 for drift that does not widen, and 3 for widening without the flag (still named)", async () => {
    expect((await run(["--fail-on-widen", "s=narrowed.json"])).code).toBe(3);
    const without = await run(["cassandra=outside.json"]);
    expect(without.code).toBe(3);
    expect(without.out).toContain("cassandra: vault_policy.app widened outside Terraform\n");
  });

  it("lets an error (1) win over widening", async () => {
    expect((await run(["--fail-on-widen", "a=outside.json", "b=errored.json"])).code).toBe(1);
  });

  it("documents exit 4 in its help", async () => {
    const help = await run(["--help"]);
    expect(help.out).toContain("--fail-on-widen");
    expect(help.out).toContain("4 (only with --fail-on-widen)");
    expect(help.out).toContain("3 drift found");
  });
});
