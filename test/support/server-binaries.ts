/**
 * Which real servers a test run uses (`VAULTSMITH_SERVER=openbao|vault|both`, default
 * {@link DEFAULT_FLAVORS}) and where their binaries are. A missing binary of a selected server
 * fails the suite with the command that builds it.
 */
import { accessSync, constants } from "node:fs";
import { DEFAULT_FLAVORS, SERVER_BUILDS, ServerFlavor, serverBinaryPath } from "../../tools/server-versions";

export type { ServerFlavor } from "../../tools/server-versions";

const ALL: readonly ServerFlavor[] = ["openbao", "vault"];

/** Flavours selected by `VAULTSMITH_SERVER`. Throws on an unknown value. */
export function selectedFlavors(value = process.env.VAULTSMITH_SERVER): readonly ServerFlavor[] {
  const choice = (value ?? "").trim().toLowerCase();
  if (choice === "") return DEFAULT_FLAVORS;
  if (choice === "both") return ALL;
  if (choice === "openbao" || choice === "vault") return [choice];
  throw new Error(`VAULTSMITH_SERVER must be openbao, vault or both; got "${value}"`);
}

/** Path of the built binary for `flavor`; throws with the build command when it is missing. */
export function requireServerBinary(flavor: ServerFlavor): string {
  const path = serverBinaryPath(flavor);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    const { version } = SERVER_BUILDS[flavor];
    throw new Error(`${flavor} ${version} is not built: ${path} is missing. Build it with \`npm run servers:build ${flavor}\`.`);
  }
  return path;
}
