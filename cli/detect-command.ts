/**
 * `vaultsmith detect [--address URL]`: read a live server (`sys/health`, and a `sys/namespaces`
 * probe with `VAULT_TOKEN`) and report its edition, version and which gated features it has.
 * The address defaults to `VAULT_ADDR`; `--json` prints the structured result.
 */
import { parseArgs } from "node:util";
import { detectServer } from "../constructs/model/detect";
import { CliIo, UsageError } from "./cli-io";

/** Usage line of the command. */
export const DETECT_USAGE = `  detect [--address URL] [--json]
      report a live server's edition, version and features (VAULT_ADDR, VAULT_TOKEN)`;

/** Run `vaultsmith detect`. */
export async function runDetectCommand(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { address: { type: "string" }, json: { type: "boolean", default: false } },
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const address = parsed.values.address ?? io.env.VAULT_ADDR;
  if (!address) throw new UsageError("give --address or set VAULT_ADDR");
  const found = await detectServer(address, { token: io.env.VAULT_TOKEN });
  io.stdout(parsed.values.json ? `${JSON.stringify(found, null, 2)}\n` : `${found.summary}\n`);
  return 0;
}
