import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { localStatePath, projectFolder } from "../../../../constructs/cdktf/state-location";

describe("state location of a VaultStack without a backend of its own", () => {
  const base = mkdtempSync(join(tmpdir(), "state-location-"));
  const project = join(base, "project");
  mkdirSync(join(project, "build", "out"), { recursive: true });
  writeFileSync(join(project, "cdktf.json"), "{}");

  it("puts the state in the folder with cdktf.json at or above the output directory", () => {
    expect(projectFolder(join(project, "cdktf.out"))).toBe(project);
    expect(projectFolder(join(project, "build", "out"))).toBe(project);
  });

  it("falls back to the folder that holds the output directory when no cdktf.json is found", () => {
    const lone = join(base, "lone");
    expect(projectFolder(join(lone, "cdktf.out"))).toBe(lone);
  });

  it("writes the path relative to the stack's working directory, so it resolves to the project folder wherever it is checked out", () => {
    expect(localStatePath(join(project, "cdktf.out"), "platform")).toBe("../../../terraform.platform.tfstate");
    const nested = localStatePath(join(project, "build", "out"), "platform");
    expect(nested).toBe("../../../../terraform.platform.tfstate");
    expect(resolve(project, "build", "out", "stacks", "platform", nested)).toBe(join(project, "terraform.platform.tfstate"));
  });
});
