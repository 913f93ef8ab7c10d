/**
 * Writes rendered configuration to a file only when the caller asks for it: a temporary file in
 * the same directory, created 0600 (never readable by others, not even for a moment), flushed,
 * then renamed over the target — a reader sees the old file or the new one, never half of one.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { TemplateFileError } from "./template-errors";

/** Check that `path`'s directory exists and is writable, before anything is rendered. */
export async function checkWritable(path: string): Promise<void> {
  try {
    await access(dirname(path), constants.W_OK);
  } catch (error) {
    throw new TemplateFileError(path, `directory ${dirname(path)} is missing or not writable`, { cause: error });
  }
}

/** Replace `path` with `content` atomically, mode `mode` (default 0600). */
export async function writeAtomic(path: string, content: string, mode = 0o600): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx", mode);
    try {
      await handle.writeFile(content);
      await handle.chmod(mode); // the umask may have removed bits asked for; never adds any beyond `mode`
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new TemplateFileError(path, `could not be written (${(error as NodeJS.ErrnoException).code ?? "error"})`, { cause: error });
  }
}
