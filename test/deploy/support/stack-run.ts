/**
 * One synthesized stack in a terraform working directory of the run's temp dir: init, apply,
 * plan + `vaultsmith drift`, destroy. State is local, in that directory (deleted with the run).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import * as cdktn from "cdktn";
import { Construct } from "constructs";
import { main } from "../../../cli/main";
import { TerraformRun, terraform, terraformEnv } from "./terraform";

/** The synthesized JSON's resources: type → logical id → arguments. */
export type SynthesizedResources = Record<string, Record<string, Record<string, unknown>>>;

/** Builds the stack into an app (the user's cdktf or CDK Terrain program). */
export type StackBuilder = (app: Construct) => TerraformStack;

/** Which CDK's App synthesizes: cdktf, or CDK Terrain (`cdktn`). */
export type SynthEngine = "cdktf" | "cdktn";

/** A stack ready for terraform. */
export class StackRun {
  private synthesized: SynthesizedResources = {};

  private constructor(
    readonly name: string,
    private readonly out: string,
    readonly dir: string,
    /** The local state file (`LocalBackend`), outside `dir`. */
    readonly statePath: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Arguments of every synthesized resource (of the latest synthesis). */
  get resources(): SynthesizedResources {
    return this.synthesized;
  }

  /** Synthesize the stack `build` adds to an app, with local state beside it, and `terraform init`. */
  static async synthesize(
    name: string,
    build: StackBuilder,
    vars: Readonly<Record<string, string>>,
    engine: SynthEngine = "cdktf",
  ): Promise<StackRun> {
    const out = mkdtempSync(join(tmpdir(), `deploy-${name}-`));
    const statePath = join(out, "terraform.tfstate");
    const id = StackRun.synth(out, statePath, build, engine);
    const run = new StackRun(name, out, join(out, "cdktf.out", "stacks", id), statePath, terraformEnv(vars));
    run.load();
    const init = await run.tf(["init", "-input=false"]);
    if (init.code !== 0) throw new Error(`terraform init failed:\n${init.stderr}`);
    return run;
  }

  /** Synthesize into `out` with the local backend at `statePath`; returns the stack's id. */
  private static synth(out: string, statePath: string, build: StackBuilder, engine: SynthEngine = "cdktf"): string {
    const app = engine === "cdktn" ? new cdktn.App({ outdir: join(out, "cdktf.out") }) : new App({ outdir: join(out, "cdktf.out") });
    const stack = build(app);
    new LocalBackend(stack, { path: statePath });
    app.synth();
    return stack.node.id;
  }

  private load(): void {
    this.synthesized = (JSON.parse(readFileSync(join(this.dir, "cdk.tf.json"), "utf8")) as { resource: SynthesizedResources }).resource;
  }

  /**
   * Synthesize the next version of the program into the same directory, against the same state:
   * what a user's next `cdktf synth` before `terraform apply` is (an upgraded vaultsmith, a bumped
   * secret version). The stack id must stay the same.
   */
  resynthesize(build: StackBuilder): void {
    const id = StackRun.synth(this.out, this.statePath, build);
    if (join(this.out, "cdktf.out", "stacks", id) !== this.dir) throw new Error(`resynthesized stack "${id}" is not this run's stack`);
    this.load();
  }

  /** The state file's text, as anyone who can read the state backend sees it. */
  stateText(): string {
    return readFileSync(this.statePath, "utf8");
  }

  /** How many resources the stack declares. */
  get count(): number {
    return Object.values(this.resources).reduce((n, r) => n + Object.keys(r).length, 0);
  }

  /** The address of the resource of `type` whose logical id contains `local` (the first without it). */
  address(type: string, local?: string): string {
    const keys = Object.keys(this.resources[type] ?? {});
    const key = local ? keys.find((k) => k.includes(local)) : keys[0];
    if (!key) throw new Error(`no ${type} ${local ?? ""} in the synthesized stack`);
    return `${type}.${key}`;
  }

  /** Run terraform in the stack's directory (`-no-color` added where terraform takes it), `vars` added to its environment. */
  tf(args: readonly string[], vars: Readonly<Record<string, string>> = {}): Promise<TerraformRun> {
    const colorless = ["init", "plan", "apply", "destroy"].includes(args[0]) ? ["-no-color"] : [];
    return terraform(this.dir, [...args, ...colorless], { ...this.env, ...vars });
  }

  /** `terraform plan -detailed-exitcode`, `show -json`, then `vaultsmith drift <extra> <name>=plan.json` in process. */
  async drift(extra: readonly string[] = []): Promise<{ code: number; planCode: number; out: string; plan: string; ms: number }> {
    const started = Date.now();
    const plan = await this.tf(["plan", "-input=false", "-detailed-exitcode", "-out=drift.tfplan"]);
    if (plan.code === 1) throw new Error(`terraform plan failed:\n${plan.stderr}`);
    const show = await this.tf(["show", "-json", "drift.tfplan"]);
    writeFileSync(join(this.dir, "plan.json"), show.stdout);
    let out = "";
    const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (out += t), env: {}, cwd: this.dir };
    const code = await main(["drift", ...extra, `${this.name}=plan.json`], io);
    return { code, planCode: plan.code, out, plan: show.stdout, ms: Date.now() - started };
  }
}
