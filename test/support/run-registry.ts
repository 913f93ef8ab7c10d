/**
 * Bookkeeping that guarantees no server process or temp directory outlives a test run.
 *
 * Jest's global setup creates a run directory and exports it as `VAULTSMITH_RUN_DIR`; every
 * server the harness starts records `<pid>` there (file content: the binary path) and keeps
 * its data in a sub-directory. Three nets catch leftovers: `stop()` in the test, an `exit`
 * hook in the worker, and the global teardown, which kills whatever is still recorded and
 * removes the directory. Stale run directories of crashed runs are reaped on the next setup.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUN_DIR_PREFIX = "vaultsmith-run-";
const OWNER_FILE = "owner.pid";
const PIDS_DIR = "pids";

/** Create a run directory owned by this process and return its path. */
export function createRunDir(): string {
  const dir = mkdtempSync(join(tmpdir(), RUN_DIR_PREFIX));
  mkdirSync(join(dir, PIDS_DIR));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  return dir;
}

/** The current run directory: the one global setup made, or one for this process alone. */
export function runDir(): string {
  let dir = process.env.VAULTSMITH_RUN_DIR;
  if (!dir || !existsSync(dir)) {
    dir = createRunDir();
    process.env.VAULTSMITH_RUN_DIR = dir;
    const own = dir;
    process.once("exit", () => reapRunDir(own));
  }
  return dir;
}

/** Make a fresh temp directory for one server inside the run directory. */
export function serverTempDir(label: string): string {
  return mkdtempSync(join(runDir(), `${label}-`));
}

/** Record a started server process. */
export function recordPid(pid: number, binary: string): void {
  writeFileSync(join(runDir(), PIDS_DIR, String(pid)), binary);
}

/** Forget a server process that has exited. */
export function forgetPid(pid: number): void {
  rmSync(join(runDir(), PIDS_DIR, String(pid)), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when `pid` is alive and still runs `binary` (guards against pid reuse). */
function runsBinary(pid: number, binary: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] === binary;
  } catch {
    return false;
  }
}

/** Kill every recorded process of a run directory and delete it. Returns the pids killed. */
export function reapRunDir(dir: string): number[] {
  const killed: number[] = [];
  const pidsDir = join(dir, PIDS_DIR);
  if (existsSync(pidsDir)) {
    for (const name of readdirSync(pidsDir)) {
      const pid = Number(name);
      const binary = readFileSync(join(pidsDir, name), "utf8");
      if (runsBinary(pid, binary)) {
        process.kill(pid, "SIGKILL");
        killed.push(pid);
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return killed;
}

/** Reap run directories left by runs whose owner process is gone. */
export function reapStaleRunDirs(): number[] {
  const killed: number[] = [];
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(RUN_DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const ownerFile = join(dir, OWNER_FILE);
    const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, "utf8")) : NaN;
    if (Number.isNaN(owner) || !isAlive(owner)) killed.push(...reapRunDir(dir));
  }
  return killed;
}
