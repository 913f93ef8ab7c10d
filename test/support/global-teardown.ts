import { reapRunDir } from "./run-registry";

/** Jest global teardown: kill any server a test left running and delete all temp dirs. */
export default function globalTeardown(): void {
  const dir = process.env.VAULTSMITH_RUN_DIR;
  if (!dir) return;
  const killed = reapRunDir(dir);
  if (killed.length > 0) {
    process.stderr.write(`[vaultsmith] teardown killed ${killed.length} server(s) a test did not stop: ${killed.join(", ")}\n`);
    process.exitCode = 1;
  }
}
