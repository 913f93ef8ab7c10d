/**
 * The import rules `npm run lint` enforces (.dependency-cruiser.cjs): a fixture tree that breaks
 * each rule once is refused with each violation named, and the repository itself passes.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "../../..");
const DEPCRUISE = join(ROOT, "node_modules/.bin/depcruise");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");

function cruise(cwd: string, folders: string[]): { status: number | null; output: string } {
  const run = spawnSync(DEPCRUISE, [...folders, "--config", CONFIG, "--output-type", "err"], { cwd, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("import rules", () => {
  it("refuse a file cycle, a folder cycle and an import from a lower layer into a higher one", () => {
    const { status, output } = cruise(join(ROOT, "test/fixtures/import-rules"), ["runtime", "cli", "constructs", "policies"]);
    expect(status).not.toBe(0);
    expect(output).toMatch(/no-file-cycle: policies\/x\.ts →\s+policies\/y\.ts/);
    expect(output).toMatch(/no-folder-cycle: constructs\/a →\s+constructs\/b/);
    expect(output).toContain("layer-runtime: runtime/low.ts → cli/top.ts");
    expect(output).toContain("4 dependency violations");
  });

  it("the repository has no cycle and keeps its layers", () => {
    const { status, output } = cruise(ROOT, [
      "runtime",
      "policies",
      "model",
      "drift",
      "constructs",
      "stacks",
      "cli",
      "bench",
      "examples",
      "tools",
      "test",
    ]);
    expect(output).toContain("no dependency violations found");
    expect(status).toBe(0);
  }, 60_000);
});
