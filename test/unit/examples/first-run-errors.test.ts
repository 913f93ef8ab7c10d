/**
 * The examples a new user runs first fail fast with one line that says what to do: the Pulumi
 * program run without the engine, the demo against an external server that cannot be reached.
 */
import { execFile } from "node:child_process";
import { AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";

const ROOT = join(__dirname, "../../..");

async function runTsx(file: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--require", "tsx/cjs", file], {
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

describe("first-run errors of the examples", () => {
  it("the Pulumi program run without the engine says it needs pulumi up (exit 2)", async () => {
    const result = await runTsx("examples/pulumi/index.ts");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "examples/pulumi is a Pulumi program: run it with `pulumi preview` or `pulumi up` from the repository root (Pulumi.yaml points here), not with node or tsx\n",
    );
  }, 60_000);

  it("the demo against an unreachable external server fails within seconds, naming the address", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((resolve) => server.close(resolve));
    const started = Date.now();
    const result = await runTsx("examples/runtime/demo.ts", { VAULTSMITH_SERVER: "external", VAULT_ADDR: address, VAULT_TOKEN: "t" });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `demo failed: nothing answers at ${address} (connection refused): check the address (VAULT_ADDR or --address) and that the server is running\n`,
    );
    expect(result.stdout).not.toContain("stopped");
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);
});
