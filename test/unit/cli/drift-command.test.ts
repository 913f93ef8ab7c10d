import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../../cli/cli-io";
import { runDriftCommand } from "../../../cli/drift-command";
import { main } from "../../../cli/main";

const PLANS = join(__dirname, "../../fixtures/constructs/plans");

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["drift", ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: PLANS });
  return { code, out, err };
}

describe("vaultsmith drift", () => {
  it("exits 0 for clean stacks, 3 with the list on drift, 1 on failed plans and unreadable files", async () => {
    expect(await run(["one-mount=clean.json"])).toEqual({ code: 0, out: "one-mount: no drift\n", err: "" });
    const drift = await run(["one-mount=clean.json", "cassandra=role-changed-out-of-band.json"]);
    expect(drift.code).toBe(3);
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

describe("vaultsmith drift arguments", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-drift-"));
    copyFileSync(join(PLANS, "clean.json"), join(dir, "a=b.json"));
    copyFileSync(join(PLANS, "clean.json"), join(dir, "plain.json"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function runIn(cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(["drift", ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd });
    return { code, out, err };
  }

  it("a bare path names the stack after the path as given", async () => {
    expect(await runIn(dir, ["plain.json"])).toEqual({ code: 0, out: "plain.json: no drift\n", err: "" });
  });

  it("the stack name ends at the first '=': the rest is the path, '=' included", async () => {
    expect(await runIn(dir, ["prod=a=b.json"])).toEqual({ code: 0, out: "prod: no drift\n", err: "" });
  });

  it("an argument starting with '=' names an empty stack and reads the path after it", async () => {
    expect(await runIn(dir, ["=plain.json"])).toEqual({ code: 0, out: ": no drift\n", err: "" });
  });

  it("runDriftCommand itself refuses an empty list of plans", async () => {
    await expect(runDriftCommand([], { stdout: () => undefined, stderr: () => undefined, env: {}, cwd: dir })).rejects.toThrow(
      new UsageError("give at least one <stack>=<plan.json>"),
    );
  });

  it("its help says what the arguments and --fail-on-widen mean", async () => {
    const help = await runIn(dir, ["--help"]);
    expect(help.code).toBe(0);
    const text = help.out.replace(/\s+/g, " ");
    expect(text).toContain(
      "report drift from `terraform show -json` plans; exit 0 clean, 3 drift, 1 error (4 widening with --fail-on-widen)",
    );
    expect(text).toContain("plans <stack>=<plan.json> pairs (a bare path names the stack after the file)");
    expect(text).toContain("--fail-on-widen exit 4 (not 3) when a policy change widens access, outside Terraform or by the configuration");
  });
});
