/**
 * `vaultsmith synth <estate.yaml>`: the estate (the model's YAML, see `model/estate-loader.ts`)
 * rendered by the vaultsmith CDKTF constructs into `<out>/stacks/<stack>/cdk.tf.json`, the layout
 * `cdktf synth` writes (and its `manifest.json`), ready for `terraform init && terraform apply` in
 * that directory or for `cdktf deploy`. It is also a cdktf app: with `"app": "npx vaultsmith synth
 * estate.yaml"` in cdktf.json, `cdktf synth` runs it and it writes where cdktf says
 * (`CDKTF_OUTDIR`).
 *
 * cdktf, constructs and @cdktf/provider-vault are optional peer dependencies of the package, so
 * they are loaded only here; without them the command says what to install. `--engine cdktn`
 * lets CDK Terrain's App (the community continuation of cdktf) write the files instead: the
 * constructs still render through @cdktf/provider-vault, the only Vault bindings there are, and
 * CDK Terrain synthesizes them because it keeps cdktf's construct markers and token map.
 */
import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Command } from "commander";
import type { Construct } from "constructs";
import type * as CdktfModule from "cdktf";
import type * as CdktnModule from "cdktn";
import type * as VaultStackModule from "../constructs/cdktf/vault-stack";
import { loadEstateYaml } from "../model/estate-loader";
import type * as EstateConstructsModule from "../stacks/estate-constructs";
import { CliIo, InputError, Runner } from "./cli-io";
import { CliFailure } from "./errors";

/** Options of `vaultsmith synth`. */
export interface SynthOptions {
  /** Output directory. @default `CDKTF_OUTDIR`, else `cdktf.out` */
  readonly out?: string;
  /** Stack name: `<out>/stacks/<stack>/cdk.tf.json`. @default "estate" */
  readonly stack?: string;
  /** Print the stack's JSON on stdout instead of writing files. */
  readonly stdout?: boolean;
  /** Which CDK writes the files: cdktf or CDK Terrain (`cdktn`). @default "cdktf" */
  readonly engine?: string;
}

/** The CDK engines whose App can synthesize the estate. */
export const SYNTH_ENGINES = ["cdktf", "cdktn"] as const;
/** One of {@link SYNTH_ENGINES}. */
export type SynthEngine = (typeof SYNTH_ENGINES)[number];

/** The part of an engine's App that `synth` uses (cdktf's and CDK Terrain's agree on it). */
interface EngineApp extends Construct {
  synth(): void;
}

/** What `synth` needs from the optional peer dependencies. */
interface CdktfParts {
  readonly App: new (props: { outdir: string }) => EngineApp;
  readonly VaultStack: typeof VaultStackModule.VaultStack;
  readonly buildEstate: typeof EstateConstructsModule.buildEstate;
}

const PEERS: Readonly<Record<SynthEngine, string>> = {
  cdktf: "cdktf@^0.21 constructs@^10 @cdktf/provider-vault@^15.6.1",
  cdktn: "cdktn@^0.24 cdktf@^0.21 constructs@~10.7 @cdktf/provider-vault@^15.6.1",
};

function loadEngine(engine: SynthEngine): CdktfParts {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports -- optional peers, loaded on demand */
    const { App } = engine === "cdktn" ? (require("cdktn") as typeof CdktnModule) : (require("cdktf") as typeof CdktfModule);
    const { VaultStack } = require("../constructs/cdktf/vault-stack") as typeof VaultStackModule;
    const { buildEstate } = require("../stacks/estate-constructs") as typeof EstateConstructsModule;
    /* eslint-enable @typescript-eslint/no-require-imports */
    return { App, VaultStack, buildEstate };
  } catch (error) {
    const missing = /Cannot find module '([^']+)'/.exec((error as Error).message)?.[1];
    if (missing === undefined) throw error;
    throw new CliFailure(`vaultsmith synth: the package ${missing} is not installed: npm install --save-dev ${PEERS[engine]}`);
  }
}

/**
 * Synthesize the estate in `text` as one cdktf stack. Returns the stack's Terraform JSON text
 * exactly as cdktf writes it to `cdk.tf.json`; with `outdir` the app's files are written there too.
 */
export function synthEstate(
  text: string,
  options: { file: string; env: Readonly<Record<string, string | undefined>>; stack: string; outdir: string; engine?: SynthEngine },
): string {
  const estate = loadEstateYaml(text, { file: options.file, env: options.env });
  const { App, VaultStack, buildEstate } = loadEngine(options.engine ?? "cdktf");
  const app = new App({ outdir: options.outdir });
  const stack = new VaultStack(app, options.stack, { target: estate.target });
  buildEstate(stack, estate);
  app.synth();
  return readFileSync(join(options.outdir, "stacks", options.stack, "cdk.tf.json"), "utf8");
}

/** Run `vaultsmith synth`. */
export async function runSynthCommand(file: string, options: SynthOptions, io: CliIo): Promise<number> {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError(`${file}: cannot read the estate file (${(error as NodeJS.ErrnoException).code ?? "error"}): check the path`);
  }
  const stack = options.stack ?? "estate";
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(stack)) throw new InputError(`--stack ${JSON.stringify(stack)}: use letters, digits, - and _`);
  const engine = options.engine ?? "cdktf";
  if (!(SYNTH_ENGINES as readonly string[]).includes(engine)) {
    throw new InputError(`--engine ${JSON.stringify(engine)}: use ${SYNTH_ENGINES.join(" or ")}`);
  }
  const synthOptions = { file, env: io.env, stack, engine: engine as SynthEngine };
  if (options.stdout) {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const outdir = mkdtempSync(join(tmpdir(), "vaultsmith-synth-"));
    try {
      io.stdout(synthEstate(text, { ...synthOptions, outdir }));
      io.stdout("\n");
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    return 0;
  }
  const outdir = resolve(io.cwd, options.out ?? io.env.CDKTF_OUTDIR ?? "cdktf.out");
  const json = JSON.parse(synthEstate(text, { ...synthOptions, outdir })) as {
    resource?: Record<string, Record<string, unknown>>;
  };
  const count = Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  const stackDir = relative(io.cwd, join(outdir, "stacks", stack)) || ".";
  io.stdout(
    `${file}: wrote ${join(stackDir, "cdk.tf.json")} (${count} resource${count === 1 ? "" : "s"})\n` +
      `deploy with: cd ${stackDir} && terraform init && terraform apply   (VAULT_ADDR and VAULT_TOKEN set)\n`,
  );
  return 0;
}

/** Add `synth` to the program. */
export function registerSynthCommand(program: Command, io: CliIo, run: Runner): void {
  program
    .command("synth")
    .description("render an estate YAML file as Terraform JSON for cdktf: <out>/stacks/<stack>/cdk.tf.json")
    .argument("<estate.yaml>", "the estate (target, pki, kv, transit, database, auth, policies, ...)")
    .option("--out <dir>", "output directory (default: $CDKTF_OUTDIR, else cdktf.out)")
    .option("--stack <name>", "stack name, the directory under <out>/stacks/", "estate")
    .option("--stdout", "print the stack's Terraform JSON instead of writing files")
    .option("--engine <cdk>", "the CDK whose App writes the files: cdktf, or cdktn (CDK Terrain)", "cdktf")
    .addHelpText(
      "after",
      `
The output is what \`cdktf synth\` writes for a stack built from the same estate with the vaultsmith
constructs. Deploy it with terraform (the Vault provider reads VAULT_ADDR and VAULT_TOKEN), or use
the command as a cdktf app: "app": "npx vaultsmith synth estate.yaml" in cdktf.json.
Needs the optional peers ${PEERS.cdktf}; --engine cdktn needs ${PEERS.cdktn}.

Examples:
  $ vaultsmith synth examples/estate.yaml
  $ vaultsmith synth examples/estate.yaml --out build --stack cassandra
  $ vaultsmith synth examples/estate.yaml --stdout | jq '.resource | keys'
  $ vaultsmith synth examples/estate.yaml --engine cdktn
`,
    )
    .action(run((file: string, options: SynthOptions) => runSynthCommand(file, options, io)));
}
