/** The template file sink: 0600 from the first byte, replaced by rename, typed errors, no temp file left behind. */
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkWritable, writeAtomic } from "../../../../runtime/templates/atomic-file";
import { TemplateFileError } from "../../../../runtime/templates/template-errors";

describe("atomic template output", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "vaultsmith-atomic-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes 0600 and replaces an existing file (even a world-readable one) whole", async () => {
    const path = join(dir, "app.env");
    await writeFile(path, "OLD=1\n", { mode: 0o644 });
    await writeAtomic(path, "NEW=2\n");
    expect(await readFile(path, "utf8")).toBe("NEW=2\n");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["app.env"]);
  });

  it("honours another mode when asked", async () => {
    const path = join(dir, "shared.yaml");
    await writeAtomic(path, "a: b\n", 0o640);
    expect((await stat(path)).mode & 0o777).toBe(0o640);
  });

  it("refuses a missing directory with a typed error, before and when writing, leaving nothing", async () => {
    const path = join(dir, "missing", "x.env");
    await expect(checkWritable(path)).rejects.toBeInstanceOf(TemplateFileError);
    const error = await writeAtomic(path, "SECRET=value\n").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateFileError);
    expect(error).toMatchObject({ path });
    expect(String(error)).toContain("ENOENT");
    expect(String(error)).not.toContain("SECRET=value");
    expect(await readdir(dir)).toEqual([]);
    await expect(checkWritable(join(dir, "ok.env"))).resolves.toBeUndefined();
  });
});
