import { join } from "node:path";
import { main } from "../../../cli/main";

const PLANS = join(__dirname, "../../fixtures/constructs/plans");

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["drift", ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: PLANS });
  return { code, out, err };
}

describe("vaultsmith drift", () => {
  it("exits 0 for clean stacks, 2 with the list on drift, 1 on failed plans and unreadable files", async () => {
    expect(await run(["one-mount=clean.json"])).toEqual({ code: 0, out: "one-mount: no drift\n", err: "" });
    const drift = await run(["one-mount=clean.json", "cassandra=role-changed-out-of-band.json"]);
    expect(drift.code).toBe(2);
    expect(drift.out).toContain("cassandra: 3 differences between Vault and the configuration");
    expect((await run(["x=errored.json"])).code).toBe(1);
    const missing = await run(["x=missing.json"]);
    expect(missing.code).toBe(1);
    expect(missing.out).toBe("x: error: cannot read missing.json: ENOENT\n");
  });

  it("does not report the tune-only flapping of auth mounts", async () => {
    expect((await run(["s=replace-and-create.json"])).out).not.toContain("vault_auth_backend");
  });

  it("is a usage error (exit 2) without plans", async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.err).toBe("vaultsmith drift: missing required argument 'plans' (see vaultsmith drift --help)\n");
  });
});
