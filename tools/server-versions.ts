/**
 * The real servers vaultsmith is tested against, in one place: the build script
 * (`npm run servers:build`) fetches OpenBao and Cassandra, and the test harness looks them up
 * here. HashiCorp Vault is not built: the harness runs the user's own binary (`VAULT_BINARY` or
 * `vault` on the PATH, see `test/support/server-binaries.ts`).
 */
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** A server flavour the project can run. */
export type ServerFlavor = "openbao" | "vault";

/** Environment-variable prefix each flavour's binary reads. */
export const ENV_PREFIX: Readonly<Record<ServerFlavor, "BAO_" | "VAULT_">> = { openbao: "BAO_", vault: "VAULT_" };

/** What the build produces for OpenBao. */
export interface ServerBuild {
  /** Release version the binary must report. */
  readonly version: string;
  /** Upstream commit of that release; `version` output must name it. */
  readonly commit: string;
  /** Base name of the binary in the cache directory (`<name>-<version>`). */
  readonly name: string;
}

/**
 * Flavours the tests use by default: OpenBao, the one server `npm run servers:build` can fetch
 * here. `VAULTSMITH_SERVER=vault|both` adds the user's own HashiCorp Vault binary.
 */
export const DEFAULT_FLAVORS: readonly ServerFlavor[] = ["openbao"];

/** The pinned OpenBao release `npm run servers:build` fetches. */
export const OPENBAO_BUILD: ServerBuild = {
  version: "2.6.1",
  commit: "ba7ad8861d0578cd4da4f7b9e5a6756d30484f8f",
  name: "bao",
};

/** Base of everything `servers:build` installs: `VAULTSMITH_CACHE_DIR` or `~/.cache/vaultsmith`. */
export function cacheDir(): string {
  return process.env.VAULTSMITH_CACHE_DIR ?? join(homedir(), ".cache", "vaultsmith");
}

/** Directory holding the built binaries; outside the clone so builds survive re-clones. */
export function serverBinDir(): string {
  return join(cacheDir(), "bin");
}

/** Absolute path of the cached OpenBao binary. */
export function openBaoBinaryPath(): string {
  return join(serverBinDir(), `${OPENBAO_BUILD.name}-${OPENBAO_BUILD.version}`);
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

/** Something `npm run servers:build` can install. */
export type BuildTarget = "openbao" | "cassandra";

/** What `npm run servers:build` installs without arguments (what `npm test` and CI need): everything. */
export const DEFAULT_TARGETS: readonly BuildTarget[] = ["openbao", "cassandra"];

/** `<cache>/cassandra-<version>`: `lib/` holds the jars, `.stamp` marks a complete install. */
export function cassandraHome(): string {
  return join(cacheDir(), `cassandra-${CASSANDRA_BUILD.version}`);
}

/** Where Debian's `postgresql` package puts the server: `/usr/lib/postgresql/<major>/bin`. */
export const POSTGRES_LIB_DIR = "/usr/lib/postgresql";

/**
 * The `bin` directory of the newest PostgreSQL server Debian installed (the one with `postgres`
 * and `initdb`), or undefined when none is. The harness runs that one: PostgreSQL comes from the
 * distribution (`apt-get install postgresql`), not from `servers:build`.
 */
export function postgresBinDir(): string | undefined {
  let majors: number[];
  try {
    majors = readdirSync(POSTGRES_LIB_DIR)
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .sort((a, b) => b - a);
  } catch {
    return undefined;
  }
  const bins = majors.map((m) => join(POSTGRES_LIB_DIR, String(m), "bin"));
  return bins.find((bin) => existsSync(join(bin, "postgres")) && existsSync(join(bin, "initdb")));
}
