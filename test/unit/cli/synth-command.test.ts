import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { CliIo } from "../../../cli/cli-io";
import { main } from "../../../cli/main";
import { VaultStack } from "../../../constructs/cdktf/vault-stack";
import { loadEstateYaml } from "../../../model/estate-loader";
import { buildEstate } from "../../../stacks/estate-constructs";

const ROOT = join(__dirname, "../../..");
const EXAMPLE = join(ROOT, "examples/estate.yaml");
const FULL = join(ROOT, "test/fixtures/constructs/full-estate.yaml");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultsmith-synth-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function capture(env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: dir, out: () => out.join(""), err: () => err.join("") };
}

/**
 * What the constructs synthesize for the estate, built by hand. Testing.synth drops cdktf's "//"
 * metadata and, having no App.synth, the local backend cdktf adds to a stack without one
 * (`terraform.<stack>.tfstate` in the process's working directory), which is put back here.
 */
function viaConstructs(file: string): unknown {
  const estate = loadEstateYaml(readFileSync(file, "utf8"), { file, env: {} });
  const stack = new VaultStack(Testing.app(), "estate", { target: estate.target });
  buildEstate(stack, estate);
  const json = JSON.parse(Testing.synth(stack)) as { terraform: Record<string, unknown> };
  // Local state beside the output directory, relative to the stack's working directory.
  return { ...json, terraform: { backend: { local: { path: "../../../terraform.estate.tfstate" } }, ...json.terraform } };
}

/** cdk.tf.json without cdktf's "//" metadata, as Testing.synth gives it. */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "//")
        .map(([key, v]) => [key, withoutMetadata(v)]),
    );
  }
  return value;
}

describe("vaultsmith synth", () => {
  it.each([
    ["the example estate", EXAMPLE, 16],
    ["the estate with every resource kind", FULL, 47],
  ])("writes cdktf.out/stacks/estate/cdk.tf.json equal to the constructs' Testing.synth for %s", async (_name, file, resources) => {
    const io = capture();
    expect(await main(["synth", file], io)).toBe(0);
    expect(io.err()).toBe("");
    const written = join(dir, "cdktf.out", "stacks", "estate", "cdk.tf.json");
    expect(existsSync(join(dir, "cdktf.out", "manifest.json"))).toBe(true);
    const json = JSON.parse(readFileSync(written, "utf8")) as { resource: Record<string, object> };
    expect(withoutMetadata(json)).toEqual(viaConstructs(file));
    const count = Object.values(json.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(count).toBe(resources);
    expect(io.out()).toBe(
      `${file}: wrote cdktf.out/stacks/estate/cdk.tf.json (${resources} resources)\n` +
        "deploy with: cd cdktf.out/stacks/estate && terraform init && terraform apply   (VAULT_ADDR and VAULT_TOKEN set)\n",
    );
  });

  it("takes --out and --stack, and CDKTF_OUTDIR when run as a cdktf app", async () => {
    expect(await main(["synth", EXAMPLE, "--out", "build", "--stack", "cassandra"], capture())).toBe(0);
    expect(existsSync(join(dir, "build", "stacks", "cassandra", "cdk.tf.json"))).toBe(true);
    expect(await main(["synth", EXAMPLE], capture({ CDKTF_OUTDIR: join(dir, "from-cdktf") }))).toBe(0);
    expect(existsSync(join(dir, "from-cdktf", "stacks", "estate", "cdk.tf.json"))).toBe(true);
  });

  it("--stdout prints the stack's JSON and writes nothing", async () => {
    const io = capture();
    expect(await main(["synth", EXAMPLE, "--stdout"], io)).toBe(0);
    expect(withoutMetadata(JSON.parse(io.out()))).toEqual(viaConstructs(EXAMPLE));
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });

  it("an invalid estate: every problem as file:line:column, exit 2, nothing written", async () => {
    writeFileSync(
      join(dir, "bad.yaml"),
      "target:\n  edition: vault-pro\n  version: 2.6.1\nkv:\n  - mount: secret\n    maxVersions: many\n",
    );
    const io = capture();
    expect(await main(["synth", "bad.yaml"], io)).toBe(2);
    const lines = io.err().trim().split("\n");
    expect(lines[0]).toMatch(/^vaultsmith synth: ModelValidationError: /);
    expect(io.err()).toContain("bad.yaml:2:");
    expect(io.err()).toContain("bad.yaml:6:");
    expect(io.err()).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });

  it("--engine cdktn: CDK Terrain's App writes the same stack (only the engine version in the metadata differs)", async () => {
    expect(await main(["synth", FULL, "--out", "tf"], capture())).toBe(0);
    const io = capture();
    expect(await main(["synth", FULL, "--out", "tn", "--engine", "cdktn"], io)).toBe(0);
    expect(io.out()).toContain("wrote tn/stacks/estate/cdk.tf.json (47 resources)");
    const read = (out: string): { "//": { metadata: { version: string } } } =>
      JSON.parse(readFileSync(join(dir, out, "stacks", "estate", "cdk.tf.json"), "utf8")) as { "//": { metadata: { version: string } } };
    const [viaCdktf, viaCdktn] = [read("tf"), read("tn")];
    expect(viaCdktn["//"].metadata.version).toMatch(/^0\.24\./);
    expect(viaCdktf["//"].metadata.version).toMatch(/^0\.21\./);
    expect(withoutMetadata(viaCdktn)).toEqual(withoutMetadata(viaCdktf));
  });

  it("an unknown --engine: one line naming the choices, exit 2, nothing written", async () => {
    const io = capture();
    expect(await main(["synth", EXAMPLE, "--engine", "cdk8s"], io)).toBe(2);
    expect(io.err()).toBe('vaultsmith synth: --engine "cdk8s": use cdktf or cdktn\n');
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });

  it("a missing file or a bad stack name: one line, exit 2", async () => {
    const missing = capture();
    expect(await main(["synth", "nope.yaml"], missing)).toBe(2);
    expect(missing.err()).toBe("vaultsmith synth: nope.yaml: cannot read the estate file (ENOENT): check the path\n");
    const badStack = capture();
    expect(await main(["synth", EXAMPLE, "--stack", "../x"], badStack)).toBe(2);
    expect(badStack.err()).toBe('vaultsmith synth: --stack "../x": use letters, digits, - and _\n');
  });
});
