/**
 * `npm run servers:build [openbao|vault ...]` (default: {@link DEFAULT_FLAVORS}): build the real servers, print
 * which versions are in place, exit 1 with the reason when a build fails.
 */
import { BuildError, buildServers } from "./server-build";
import { DEFAULT_FLAVORS, SERVER_BUILDS, ServerFlavor, serverBinaryPath } from "./server-versions";

function main(argv: readonly string[]): number {
  const known = Object.keys(SERVER_BUILDS);
  const wanted = argv.length > 0 ? argv : DEFAULT_FLAVORS;
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`[servers:build] unknown server(s): ${unknown.join(", ")}; known: ${known.join(", ")}\n`);
    return 2;
  }
  const flavors = wanted as ServerFlavor[];
  const started = Date.now();
  try {
    buildServers(flavors);
  } catch (error) {
    const message = error instanceof BuildError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`[servers:build] FAILED: ${message}\n`);
    return 1;
  }
  process.stdout.write(`[servers:build] done in ${((Date.now() - started) / 1000).toFixed(0)} s:\n`);
  for (const name of flavors)
    process.stdout.write(`[servers:build]   ${name} v${SERVER_BUILDS[name].version} -> ${serverBinaryPath(name)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
