import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeployPrerequisiteError, checkProviderInstallable, terraformEnv } from "../../deploy/support/terraform";

/** The provider check needs a terraform binary: without one the case fails and says so (never skipped). */
function requireTerraform(): void {
  if (spawnSync("terraform", ["version"], { stdio: "ignore" }).status !== 0)
    throw new Error("terraform is not on PATH: install terraform >= 1.11 (the machine image ships 1.11.4 at /usr/local/bin/terraform)");
}

describe("test:deploy preflight", () => {
  it("says at once that terraform cannot run, and what the suite needs", async () => {
    const error = await checkProviderInstallable({ ...process.env, VAULTSMITH_TERRAFORM: "/nonexistent/terraform" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeployPrerequisiteError);
    expect((error as Error).message).toMatch(/^cannot run \/nonexistent\/terraform/);
    expect((error as Error).message).toContain("filesystem_mirror");
  });

  it("says that the provider cannot be installed, with terraform's reason and the CLI configuration in use", async () => {
    requireTerraform();
    const dir = mkdtempSync(join(tmpdir(), "preflight-"));
    const config = join(dir, "terraformrc");
    // A mirror with nothing in it and the registry excluded: nothing can be installed, nothing is fetched.
    writeFileSync(
      config,
      `provider_installation {\n  filesystem_mirror {\n    path = "${dir}/mirror"\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n`,
    );
    const error = await checkProviderInstallable({ ...process.env, TF_CLI_CONFIG_FILE: config }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployPrerequisiteError);
    expect((error as Error).message).toMatch(/^terraform cannot install hashicorp\/vault: Error: /);
    expect((error as Error).message).toContain(`TF_CLI_CONFIG_FILE=${config}`);
  }, 60_000);

  it("runs terraform without the caller's VAULT_* and BAO_* variables", () => {
    const env = terraformEnv({ VAULT_ADDR: "http://127.0.0.1:1" }, { VAULT_TOKEN: "t", BAO_ADDR: "x", TF_CLI_CONFIG_FILE: "/c" });
    expect(env).toEqual({
      TF_CLI_CONFIG_FILE: "/c",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      VAULT_ADDR: "http://127.0.0.1:1",
    });
  });
});
