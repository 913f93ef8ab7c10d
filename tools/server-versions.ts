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

/** Base of everything `servers:build` installs: `VAULTSMITH_CACHE_DIR` or `~/.cache/vaultsmith`. */
export function cacheDir(): string {
  return process.env.VAULTSMITH_CACHE_DIR ?? join(homedir(), ".cache", "vaultsmith");
}

/** Directory holding the built binaries; outside the clone so builds survive re-clones. */
export function serverBinDir(): string {
  return join(cacheDir(), "bin");
}

/** Absolute path of the cached binary for a flavour. */
export function serverBinaryPath(flavor: ServerFlavor): string {
  const build = SERVER_BUILDS[flavor];
  return join(serverBinDir(), `${build.name}-${build.version}`);
}

/**
 * Apache Cassandra, the database whose client-to-node TLS certificates vaultsmith manages. It is
 * not a Vault flavour: the harness starts it next to OpenBao. Fetched from Maven Central as
 * `org.apache.cassandra:cassandra-all` plus its runtime jars (`tools/cassandra/pom.xml`).
 */
export const CASSANDRA_BUILD = {
  /** Release of `org.apache.cassandra:cassandra-all`; 5.0.9 is the newest 5.0.x Maven Central lists. */
  version: "5.0.9",
  /** Java feature release the JVM options of the harness are written for. */
  javaRelease: 17,
} as const;

/** Something `npm run servers:build` can install: a Vault flavour or Cassandra. */
export type BuildTarget = ServerFlavor | "cassandra";

/** What `npm run servers:build` installs without arguments (what `npm test` and CI need). */
export const DEFAULT_TARGETS: readonly BuildTarget[] = [...DEFAULT_FLAVORS, "cassandra"];

/** `<cache>/cassandra-<version>`: `lib/` holds the jars, `.stamp` marks a complete install. */
export function cassandraHome(): string {
  return join(cacheDir(), `cassandra-${CASSANDRA_BUILD.version}`);
}
