/**
 * `npm run servers:build [openbao|cassandra ...]` (default: {@link DEFAULT_TARGETS}): fetch the real
 * servers, print which versions are in place, exit 1 with the reasons when a target fails (the
 * other targets are still fetched). HashiCorp Vault is not built: the tests run the user's own
 * binary (`VAULTSMITH_SERVER=vault` with `VAULT_BINARY` or `vault` on the PATH).
 */
import { BuildError, buildServers } from "./server-build";
import { BuildTarget, CASSANDRA_BUILD, DEFAULT_TARGETS, OPENBAO_BUILD, cassandraHome, openBaoBinaryPath } from "./server-versions";

function installed(target: BuildTarget): string {
  if (target === "cassandra") return `cassandra v${CASSANDRA_BUILD.version} -> ${cassandraHome()}`;
  return `openbao v${OPENBAO_BUILD.version} -> ${openBaoBinaryPath()}`;
}

function main(argv: readonly string[]): number {
  const known: readonly string[] = DEFAULT_TARGETS;
  const wanted = argv.length > 0 ? argv : DEFAULT_TARGETS;
  if (wanted.includes("vault")) {
    process.stderr.write(
      "[servers:build] HashiCorp Vault is not built by vaultsmith: run the tests with your own binary, " +
        "VAULTSMITH_SERVER=vault VAULT_BINARY=/path/to/vault npm test (or with vault on the PATH)\n",
    );
    return 2;
  }
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`[servers:build] unknown server(s): ${unknown.join(", ")}; known: ${known.join(", ")}\n`);
    return 2;
  }
  const targets = wanted as BuildTarget[];
  const started = Date.now();
  try {
    buildServers(targets);
  } catch (error) {
    const message = error instanceof BuildError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`[servers:build] FAILED: ${message}\n`);
    return 1;
  }
  process.stdout.write(`[servers:build] done in ${((Date.now() - started) / 1000).toFixed(0)} s:\n`);
  for (const target of targets) process.stdout.write(`[servers:build]   ${installed(target)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
