import { SERVER_BUILDS } from "../../tools/server-versions";
import { createRunDir, reapStaleRunDirs } from "./run-registry";
import { selectedFlavors } from "./server-binaries";

/** Jest global setup: reap leftovers of crashed runs, then create this run's directory. */
export default function globalSetup(): void {
  const killed = reapStaleRunDirs();
  if (killed.length > 0) process.stderr.write(`[vaultsmith] killed ${killed.length} server(s) left by an earlier run\n`);
  process.env.VAULTSMITH_RUN_DIR = createRunDir();
  const servers = selectedFlavors().map((f) => `${f} ${SERVER_BUILDS[f].version}`);
  process.stderr.write(`[vaultsmith] real servers under test: ${servers.join(", ")} (VAULTSMITH_SERVER=openbao|vault|both)\n`);
}
