/**
 * The real command line (`npx tsx cli/main.ts policy ...`) as a CI job runs it: exit codes and
 * output of diff and test, and sync against a real server.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { HttpPolicyStore, readVersionStamp } from "../../../policies/policy-sync";
import { VaultClient } from "../../../runtime";
import { DevServer, startDevServer } from "../../support/dev-server";
import { selectedFlavors } from "../../support/server-binaries";

const ROOT = join(__dirname, "../../..");
const ESTATE = "test/fixtures/policies/estate";

async function vaultsmith(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)("npx", ["tsx", "cli/main.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("vaultsmith policy (command line)", () => {
  it("diff exits 1 with --fail-on-widen when access widens, and prints the changes", async () => {
    const result = await vaultsmith(["policy", "diff", `${ESTATE}/base`, `${ESTATE}/head`, "--fail-on-widen"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("role app-a gains read on secret/data/prod/db");
  }, 90_000);

  it("test exits 0 for a passing suite and 1 for a failing one", async () => {
    expect((await vaultsmith(["policy", "test", `${ESTATE}/policy-tests.yaml`])).code).toBe(0);
    const failing = await vaultsmith(["policy", "test", `${ESTATE}/failing-tests.yaml`]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain("0 passed, 2 failed");
  }, 90_000);
});

describe.each(selectedFlavors())("vaultsmith policy sync (command line) against a real %s server", (flavor) => {
  let server: DevServer;
  let client: VaultClient;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    client = new VaultClient({ address: server.address, token: server.token });
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it("dry-runs by default, applies with --apply and stamps the stored policies", async () => {
    const env = { VAULT_ADDR: server.address, VAULT_TOKEN: server.token };
    const dry = await vaultsmith(["policy", "sync", `${ESTATE}/head`, "--stamp", "git:feedbeef", "--flavor", flavor], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("create    app-a");
    expect(dry.stdout).toContain("4 change(s) planned (dry run; use --apply to write)");
    const store = new HttpPolicyStore(client, server.address);
    expect(await store.read("app-a")).toBeUndefined();

    const applied = await vaultsmith(["policy", "sync", `${ESTATE}/head`, "--stamp", "git:feedbeef", "--apply", "--flavor", flavor], env);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("4 change(s) applied");
    expect(readVersionStamp((await store.read("user-home")) ?? "")).toBe("git:feedbeef");
  }, 120_000);
});
