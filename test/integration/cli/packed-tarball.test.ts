/**
 * The package as a user gets it: `npm pack` (which builds `dist/` through `prepare`), installed
 * into an empty project, and its `vaultsmith` bin run by `npx` there. Dependencies come from the
 * local npm cache (`--prefer-offline`), so this takes seconds once the cache is warm.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const ROOT = join(__dirname, "../../..");
const run = promisify(execFile);

describe("the packed tarball", () => {
  let dir: string;
  let project: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-pack-"));
    await run("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: ROOT, timeout: 120_000 });
    const [tarball] = readdirSync(dir).filter((f) => f.endsWith(".tgz"));
    project = join(dir, "project");
    await run("mkdir", [project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(dir, tarball)], {
      cwd: project,
      timeout: 180_000,
    });
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("installs a bin that prints the version and the help, exit 0", async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    const v = await run("npx", ["--no-install", "vaultsmith", "--version"], { cwd: project, timeout: 60_000 });
    expect(v.stdout).toBe(`${version}\n`);
    const help = await run("npx", ["--no-install", "vaultsmith", "--help"], { cwd: project, timeout: 60_000 });
    expect(help.stdout).toMatch(/^Usage: vaultsmith \[options\] \[command\]\n/);
    expect(help.stdout.endsWith("\n")).toBe(true);
    const sub = await run("npx", ["--no-install", "vaultsmith", "policy", "lint", "--help"], { cwd: project, timeout: 60_000 });
    expect(sub.stdout).toContain("Usage: vaultsmith policy lint [options] <dir>");
  });
});

describe("the clone itself", () => {
  it("runs `npx vaultsmith` after the build `npm ci` runs (the entry point is executable)", async () => {
    await run("npm", ["run", "build", "--silent"], { cwd: ROOT, timeout: 180_000 });
    const v = await run("npx", ["--no-install", "vaultsmith", "--version"], { cwd: ROOT, timeout: 60_000 });
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  }, 240_000);
});
