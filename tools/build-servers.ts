/**
 * `npm run servers:build [openbao|vault|cassandra ...]` (default: {@link DEFAULT_TARGETS}): build or
 * fetch the real servers, print which versions are in place, exit 1 with the reasons when a target
 * fails (the other targets are still built).
 */
import { BuildError, buildServers } from "./server-build";
import { BuildTarget, CASSANDRA_BUILD, DEFAULT_TARGETS, SERVER_BUILDS, cassandraHome, serverBinaryPath } from "./server-versions";

function installed(target: BuildTarget): string {
  if (target === "cassandra") return `cassandra v${CASSANDRA_BUILD.version} -> ${cassandraHome()}`;
  return `${target} v${SERVER_BUILDS[target].version} -> ${serverBinaryPath(target)}`;
}

function main(argv: readonly string[]): number {
  const known: readonly string[] = [...Object.keys(SERVER_BUILDS), "cassandra"];
  const wanted = argv.length > 0 ? argv : DEFAULT_TARGETS;
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
