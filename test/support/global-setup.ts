import { createRunDir, reapStaleRunDirs } from "./run-registry";

/** Jest global setup: reap leftovers of crashed runs, then create this run's directory. */
export default function globalSetup(): void {
  const killed = reapStaleRunDirs();
  if (killed.length > 0) process.stderr.write(`[vaultsmith] killed ${killed.length} server(s) left by an earlier run\n`);
  process.env.VAULTSMITH_RUN_DIR = createRunDir();
}
