import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { reapStaleRunDirs } from "../../support/run-registry";
import { selectedFlavors } from "../../support/server-binaries";

const FIXTURE = join(__dirname, "..", "..", "fixtures", "orphan-server.ts");

interface Report {
  dir: string;
  pids: number[];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Run the fixture; resolve with its report and a promise of its exit. */
function runFixture(flavor: string, mode: "exit" | "hang"): Promise<{ report: Report; kill: () => void; exited: Promise<void> }> {
  const child = spawn(process.execPath, ["--require", "tsx/cjs", FIXTURE, flavor, mode], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n")) resolve({ report: JSON.parse(line) as Report, kill: () => child.kill("SIGKILL"), exited });
    });
    child.once("exit", (code) => {
      if (!out.includes("\n")) reject(new Error(`fixture exited with ${code} before reporting`));
    });
  });
}

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe.each(selectedFlavors())("no %s server outlives its test process", (flavor) => {
  it("kills the server when the process exits without stopping it", async () => {
    const { report, exited } = await runFixture(flavor, "exit");
    expect(report.pids).toHaveLength(1);
    await exited;
    expect(await eventually(() => !alive(report.pids[0]))).toBe(true);
    expect(existsSync(report.dir)).toBe(false);
  });

  it("reaps the server of a process killed with SIGKILL on the next run's setup", async () => {
    const { report, kill, exited } = await runFixture(flavor, "hang");
    const [pid] = report.pids;
    kill();
    await exited;
    expect(alive(pid)).toBe(true);
    const reaped = reapStaleRunDirs();
    expect(reaped).toContain(pid);
    expect(await eventually(() => !alive(pid))).toBe(true);
    expect(existsSync(report.dir)).toBe(false);
  });
});
