import { join } from "node:path";
import { main } from "../../../cli/main";
import { PolicyEvaluator } from "../../../policies/policy-evaluator";
import { LiveCapabilitySource, formatLiveTestReport, liveAllows, runLivePolicyTestFile } from "../../../policies/policy-live-test";
import { loadPolicySet } from "../../../policies/policy-source";
import { PolicyTestCase } from "../../../policies/policy-test-suite";

const ESTATE = join(__dirname, "../../fixtures/policies/estate");

/** A server holding the policies of `dir`, answering sys/capabilities with the evaluator; `override` changes answers per path. */
async function fakeServer(dir: string, override: Record<string, string[]> = {}): Promise<LiveCapabilitySource & { asked: string[][] }> {
  const set = await loadPolicySet(join(ESTATE, dir));
  const asked: string[][] = [];
  return {
    description: "fake",
    asked,
    missingPolicies: async (names) => names.filter((n) => n !== "default" && !set.policies.some((p) => p.name === n)),
    capabilities: async (policies, path) => {
      asked.push([...policies, path]);
      return override[path] ?? new PolicyEvaluator(set.policies.filter((p) => policies.includes(p.name))).capabilities(path);
    },
    close: async () => undefined,
  };
}

describe("runLivePolicyTestFile", () => {
  it("passes cases the server agrees with and skips those sys/capabilities cannot judge", async () => {
    const server = await fakeServer("head");
    const report = await runLivePolicyTestFile(join(ESTATE, "policy-tests.yaml"), server);
    expect(report.results.map((r) => [r.name, r.outcome])).toEqual([
      ["app-a reads its own secrets", "pass"],
      ["app-a lists its own keys", "pass"],
      ["app-a cannot write other apps' secrets", "pass"],
      ["ops reads the audit devices only with sudo", "pass"],
      ["every role can look itself up", "pass"],
      ["a user writes in their own home directory", "skip"],
      ["a user cannot write in someone else's home directory", "skip"],
    ]);
    expect(report.results[5].detail).toContain("identity templates");
    const text = formatLiveTestReport({ ...report, file: "policy-tests.yaml" });
    expect(text).toContain("policy-tests.yaml (live: fake)");
    expect(text).toContain("5 passed, 0 failed, 2 skipped");
  });

  it("fails a case when the deployed policy grants differently, naming what the server said", async () => {
    const server = await fakeServer("head", { "secret/data/app-a/db": ["list"], "sys/audit": ["read", "sudo"] });
    const report = await runLivePolicyTestFile(join(ESTATE, "policy-tests.yaml"), server);
    const failed = report.results.filter((r) => r.outcome === "fail");
    expect(failed.map((r) => [r.name, r.line])).toEqual([
      ["app-a reads its own secrets", 4],
      ["ops reads the audit devices only with sudo", 20],
    ]);
    expect(failed[0].detail).toBe("expected allow, the server says deny (read needs read; secret/data/app-a/db: list)");
    expect(failed[1].detail).toBe("expected deny, the server says allow (read needs read + sudo; sys/audit: read, sudo)");
  });

  it("fails a case whose policy is not on the server, without asking for its capabilities", async () => {
    const server = await fakeServer("head");
    const report = await runLivePolicyTestFile(join(ESTATE, "policy-tests.yaml"), {
      ...server,
      missingPolicies: async (names) => names.filter((n) => n === "ops"),
    });
    expect(report.results[3]).toMatchObject({ outcome: "fail", detail: 'the server holds no policy "ops"' });
    expect(server.asked.some((a) => a[a.length - 1] === "sys/audit")).toBe(false);
  });
});

describe("liveAllows", () => {
  const c = (operation: "read" | "list" | "update" | "revoke" | "help", path = "secret/data/x"): PolicyTestCase => ({
    name: "c",
    policies: ["p"],
    path,
    operation,
    expect: "allow",
  });
  it("maps the operation to its capability and asks sudo on root-protected paths", () => {
    expect(liveAllows(c("read"), ["read"]).allowed).toBe(true);
    expect(liveAllows(c("revoke"), ["update"]).allowed).toBe(true);
    expect(liveAllows(c("list"), ["read"]).allowed).toBe(false);
    expect(liveAllows(c("read", "sys/audit"), ["read"])).toEqual({ allowed: false, needed: ["read", "sudo"] });
    expect(liveAllows(c("read"), ["root"]).allowed).toBe(true);
    expect(liveAllows(c("read"), ["deny"]).allowed).toBe(false);
    expect(liveAllows(c("help"), ["deny"]).allowed).toBe(true);
  });
});

describe("vaultsmith policy test --live", () => {
  async function run(args: string[], env: Record<string, string> = {}) {
    let out = "";
    let err = "";
    const code = await main(["policy", "test", ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd: ESTATE });
    return { code, out, err };
  }

  it("is a usage error (exit 2) without a server or a token", async () => {
    const noServer = await run(["policy-tests.yaml", "--live"]);
    expect(noServer.code).toBe(2);
    expect(noServer.err).toContain("--live needs a server: pass --address or set VAULT_ADDR");
    const noToken = await run(["policy-tests.yaml", "--live"], { VAULT_ADDR: "http://127.0.0.1:1" });
    expect(noToken.code).toBe(2);
    expect(noToken.err).toContain("--live needs a token");
  });

  it("documents --live in its help", async () => {
    const help = await run(["--help"]);
    expect(help.out).toContain("--live");
    expect(help.out).toContain("sys/capabilities");
  });
});
