/**
 * The real servers vaultsmith is tested against, in one place: the build script
 * (`npm run servers:build`) produces them and the test harness looks them up here.
 */
import { homedir } from "node:os";
import { join } from "node:path";

/** A server flavour the project can run. */
export type ServerFlavor = "openbao" | "vault";

/** What the build produces for one flavour. */
export interface ServerBuild {
  /** Release version the binary must report. */
  readonly version: string;
  /** Upstream commit of that release; `version` output must name it. */
  readonly commit: string;
  /** Base name of the binary in the cache directory (`<name>-<version>`). */
  readonly name: string;
  /** Environment-variable prefix the binary reads (`BAO_` or `VAULT_`). */
  readonly envPrefix: "BAO_" | "VAULT_";
}

/**
 * Flavours `npm run servers:build` builds by default and the tests use by default. HashiCorp
 * Vault is left out because it cannot be built here (see README "Known gaps"); selecting it
 * explicitly still runs its build and fails with the compiler's reason.
 */
export const DEFAULT_FLAVORS: readonly ServerFlavor[] = ["openbao"];

/** Pinned server builds. */
export const SERVER_BUILDS: Readonly<Record<ServerFlavor, ServerBuild>> = {
  openbao: {
    version: "2.6.1",
    commit: "ba7ad8861d0578cd4da4f7b9e5a6756d30484f8f",
    name: "bao",
    envPrefix: "BAO_",
  },
  vault: {
    version: "1.21.4",
    commit: "ffe7023c481dc1ea2d8550bbaca8d85f8e611e0b",
    name: "vault",
    envPrefix: "VAULT_",
  },
};

/** Directory holding the built binaries; outside the clone so builds survive re-clones. */
export function serverBinDir(): string {
  const base = process.env.VAULTSMITH_CACHE_DIR ?? join(homedir(), ".cache", "vaultsmith");
  return join(base, "bin");
}

/** Absolute path of the cached binary for a flavour. */
export function serverBinaryPath(flavor: ServerFlavor): string {
  const build = SERVER_BUILDS[flavor];
  return join(serverBinDir(), `${build.name}-${build.version}`);
}
