import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { OPENBAO_BUILD } from "../../tools/server-versions";
import { createRunDir, reapStaleRunDirs } from "./run-registry";
import { describeServerBinary, selectedFlavors, serverBinary } from "./server-binaries";

/** Jest global setup: reap leftovers of crashed runs, then create this run's directory. */
export default function globalSetup(): void {
  // HashiCorp Vault is the user's own binary: a missing or wrong one stops the run here, before
  // anything starts, with what to set. OpenBao is the pinned release (a test that needs it while
  // it is not built yet says how to build it).
  const servers = selectedFlavors().map((flavor) => {
    if (flavor === "vault") return describeServerBinary(serverBinary(flavor));
    try {
      return describeServerBinary(serverBinary(flavor));
    } catch {
      return `openbao ${OPENBAO_BUILD.version} (not built yet)`;
    }
  });
  const killed = reapStaleRunDirs();
  if (killed.length > 0) process.stderr.write(`[vaultsmith] killed ${killed.length} server(s) left by an earlier run\n`);
  const runDir = createRunDir();
  process.env.VAULTSMITH_RUN_DIR = runDir;
  // Every temp dir a test makes (cdktf's synth outdirs, fixtures' dirs, server dirs) lands in the
  // run dir, which the teardown deletes: nothing is left in the system temp dir.
  const tmp = join(runDir, "tmp");
  mkdirSync(tmp);
  process.env.TMPDIR = tmp;
  process.stderr.write(`[vaultsmith] real servers under test: ${servers.join(", ")} (VAULTSMITH_SERVER=openbao|vault|both)\n`);
}
