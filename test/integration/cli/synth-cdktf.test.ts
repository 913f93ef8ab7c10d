/**
 * `vaultsmith synth` against the real cdktf-cli (0.21, a dev dependency): `cdktf synth` of an app
 * written by hand with the vaultsmith constructs for the same estate writes the same cdk.tf.json,
 * and `cdktf synth` with `vaultsmith synth` itself as the app does too. No server is needed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../../..");
const BIN = join(ROOT, "node_modules", ".bin");
const ESTATE = join(ROOT, "examples", "estate.yaml");
// cdktf-cli: no telemetry, no version look-ups, no prompts.
const ENV = { ...process.env, CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1", CI: "true" };

function sh(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env: ENV, encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

function cdktfSynth(dir: string, app: string): unknown {
  writeFileSync(
    join(dir, "cdktf.json"),
    JSON.stringify({
      language: "typescript",
      app,
      projectId: "vaultsmith-synth-test",
      sendCrashReports: "false",
      terraformProviders: [],
      context: {},
    }),
  );
  const out = sh(join(BIN, "cdktf"), ["synth"], dir);
  expect(out).toContain("Generated Terraform code for the stacks: estate");
  return JSON.parse(readFileSync(join(dir, "cdktf.out", "stacks", "estate", "cdk.tf.json"), "utf8"));
}

describe("vaultsmith synth and the real cdktf synth", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-cdktf-synth-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the cdk.tf.json cdktf synth writes for the same stack built with the constructs, and works as the cdktf app itself", () => {
    const tsx = join(BIN, "tsx");
    const handWritten = cdktfSynth(dir, `${tsx} ${join(ROOT, "test/fixtures/cli/estate-cdktf-app.ts")} ${ESTATE}`);

    sh(tsx, [join(ROOT, "cli/main.ts"), "synth", ESTATE, "--out", "vaultsmith.out"], dir);
    const ours = JSON.parse(readFileSync(join(dir, "vaultsmith.out", "stacks", "estate", "cdk.tf.json"), "utf8")) as {
      resource: Record<string, object>;
    };
    expect(ours).toEqual(handWritten);
    expect(Object.keys(ours.resource)).toContain("vault_pki_secret_backend_role");

    rmSync(join(dir, "cdktf.out"), { recursive: true, force: true });
    const asApp = cdktfSynth(dir, `${tsx} ${join(ROOT, "cli/main.ts")} synth ${ESTATE}`);
    expect(asApp).toEqual(handWritten);
  });
});
