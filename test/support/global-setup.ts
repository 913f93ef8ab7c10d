import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SERVER_BUILDS } from "../../tools/server-versions";
import { createRunDir, reapStaleRunDirs } from "./run-registry";
import { selectedFlavors } from "./server-binaries";

/** Jest global setup: reap leftovers of crashed runs, then create this run's directory. */
export default function globalSetup(): void {
  const killed = reapStaleRunDirs();
  if (killed.length > 0) process.stderr.write(`[vaultsmith] killed ${killed.length} server(s) left by an earlier run\n`);
  const runDir = createRunDir();
  process.env.VAULTSMITH_RUN_DIR = runDir;
  // Every temp dir a test makes (cdktf's synth outdirs, fixtures' dirs, server dirs) lands in the
  // run dir, which the teardown deletes: nothing is left in the system temp dir.
  const tmp = join(runDir, "tmp");
  mkdirSync(tmp);
  process.env.TMPDIR = tmp;
  const servers = selectedFlavors().map((f) => `${f} ${SERVER_BUILDS[f].version}`);
  process.stderr.write(`[vaultsmith] real servers under test: ${servers.join(", ")} (VAULTSMITH_SERVER=openbao|vault|both)\n`);
}
