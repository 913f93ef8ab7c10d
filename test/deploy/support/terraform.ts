/**
 * Terraform for the acceptance suite: the `terraform` on PATH (or `VAULTSMITH_TERRAFORM`) with
 * whatever provider installation the machine has — the public registry, or the CLI configuration
 * `TF_CLI_CONFIG_FILE` names (a `filesystem_mirror` or `network_mirror`). The suite never builds
 * or downloads a provider itself.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VAULT_PROVIDER_CONSTRAINT } from "../../../constructs/cdktf/vault-stack";

/** The provider constraint the stacks synthesize (`VaultStack`). */
export const PROVIDER_CONSTRAINT = VAULT_PROVIDER_CONSTRAINT;

/** One terraform run's outcome. */
export interface TerraformRun {
  /** Exit code. */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
  /** Wall time in milliseconds. */
  readonly ms: number;
}

/** The terraform binary. */
export function terraformBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.VAULTSMITH_TERRAFORM ?? "terraform";
}

/**
 * The environment terraform runs with: the caller's (so `TF_CLI_CONFIG_FILE`, proxies and
 * `TF_PLUGIN_CACHE_DIR` apply) without any `VAULT_*`/`BAO_*`, plus `extra`.
 */
export function terraformEnv(extra: Readonly<Record<string, string>> = {}, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(env).filter(([k]) => !/^(VAULT|BAO)_/.test(k)));
  return { ...clean, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", ...extra };
}

/** Run `terraform -chdir=<dir> <args>`; never throws for a non-zero exit. */
export function terraform(dir: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 600_000): Promise<TerraformRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      terraformBinary(env),
      [`-chdir=${dir}`, ...args],
      { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === "number" ? (error as { code: number }).code : -1) : 0;
        resolve({ code, stdout, stderr: error && code === -1 ? `${stderr}${error.message}` : stderr, ms: Date.now() - started });
      },
    );
  });
}

/** What the preflight found. */
export interface ProviderPreflight {
  /** `terraform version` (e.g. `1.11.4`). */
  readonly terraformVersion: string;
  /** The provider version terraform selected (e.g. `5.11.0`). */
  readonly providerVersion: string;
}

/** Why the suite cannot run, with what to do: thrown by {@link checkProviderInstallable}. */
export class DeployPrerequisiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeployPrerequisiteError";
  }
}

function howToInstall(env: NodeJS.ProcessEnv): string {
  const config = env.TF_CLI_CONFIG_FILE ? `TF_CLI_CONFIG_FILE=${env.TF_CLI_CONFIG_FILE}` : "no TF_CLI_CONFIG_FILE";
  return [
    `npm run test:deploy needs terraform (>= 1.11) and terraform-provider-vault (${PROVIDER_CONSTRAINT}) that terraform can install (${config}).`,
    "Either let terraform reach registry.terraform.io, or point TF_CLI_CONFIG_FILE at a CLI configuration such as",
    '  provider_installation {\n    filesystem_mirror {\n      path    = "/path/to/mirror"\n      include = ["registry.terraform.io/hashicorp/vault"]\n    }\n    direct {\n      exclude = ["registry.terraform.io/hashicorp/vault"]\n    }\n  }',
    "with the provider at /path/to/mirror/registry.terraform.io/hashicorp/vault/<version>/<os>_<arch>/terraform-provider-vault_v<version>",
    "(or a network_mirror). Check with: terraform init in a folder whose main.tf requires hashicorp/vault.",
  ].join("\n");
}

/** Check, before any server starts, that terraform runs and can install the provider; throws {@link DeployPrerequisiteError} saying what is missing. */
export async function checkProviderInstallable(env: NodeJS.ProcessEnv = process.env): Promise<ProviderPreflight> {
  const dir = mkdtempSync(join(tmpdir(), "tf-preflight-"));
  const tfEnv = terraformEnv({}, env);
  const version = await terraform(dir, ["version", "-json"], tfEnv, 30_000);
  if (version.code !== 0) {
    throw new DeployPrerequisiteError(
      `cannot run ${terraformBinary(env)} (${version.stderr.trim().split("\n")[0] || `exit ${version.code}`}).\n${howToInstall(env)}`,
    );
  }
  writeFileSync(
    join(dir, "main.tf.json"),
    JSON.stringify({ terraform: { required_providers: { vault: { source: "hashicorp/vault", version: PROVIDER_CONSTRAINT } } } }),
  );
  const init = await terraform(dir, ["init", "-input=false", "-backend=false", "-no-color"], tfEnv, 300_000);
  if (init.code !== 0) {
    const lines = (init.stderr || init.stdout)
      .split("\n")
      .map((l) => l.replace(/^[│╷╵]\s?/, "").trim())
      .filter(Boolean);
    const error = lines.findIndex((l) => l.startsWith("Error:"));
    const reason = lines.slice(Math.max(error, 0), Math.max(error, 0) + 4).join(" ");
    throw new DeployPrerequisiteError(`terraform cannot install hashicorp/vault: ${reason}\n${howToInstall(env)}`);
  }
  const selected = await terraform(dir, ["version", "-json"], tfEnv, 30_000);
  const parsed = JSON.parse(selected.stdout) as { terraform_version: string; provider_selections?: Record<string, string> };
  return {
    terraformVersion: parsed.terraform_version,
    providerVersion: parsed.provider_selections?.["registry.terraform.io/hashicorp/vault"] ?? "unknown",
  };
}
