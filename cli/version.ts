/** The installed package's version, read from its package.json (found from here whether run from `cli/` or `dist/cli/`). */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Version of the vaultsmith package this CLI belongs to. */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "vaultsmith" && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return "unknown";
  }
}
