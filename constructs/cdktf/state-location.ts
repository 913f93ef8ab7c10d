/**
 * Where a `VaultStack` without a backend of the caller's keeps its local state. cdktf's default
 * is an absolute path under the folder the app ran in, so a stack synthesized from another folder
 * (or on another machine) silently points at other state, and a stack that reads another's
 * outputs looks for that state in the wrong place. Here the state lives in the project folder —
 * the nearest folder at or above the output directory that holds `cdktf.json`, else the folder
 * that holds the output directory — and is written relative to the stack's working directory
 * (`<outdir>/stacks/<stack>`), where terraform resolves it. Producer and consumer stacks of one
 * app share that layout, so their paths agree wherever the project is checked out.
 */
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** The project folder of an app writing to `outdir` (see the module doc). */
export function projectFolder(outdir: string): string {
  const out = resolve(outdir);
  for (let dir = out; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "cdktf.json"))) return dir;
    if (dirname(dir) === dir) return dirname(out);
  }
}

/** The local state path of stack `stackId`, relative to its working directory under `outdir`. */
export function localStatePath(outdir: string, stackId: string): string {
  const workingDir = resolve(outdir, "stacks", stackId);
  return relative(workingDir, join(projectFolder(outdir), `terraform.${stackId}.tfstate`));
}
