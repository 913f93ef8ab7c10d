import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const ROOT = join(__dirname, "../../../..");

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, string>;
}

describe("examples/ci/vault-drift.yml works as written in a clone", () => {
  const workflow = parse(readFileSync(join(ROOT, "examples/ci/vault-drift.yml"), "utf8")) as {
    jobs: { drift: { env: Record<string, string>; steps: Step[] } };
  };
  const { env, steps } = workflow.jobs.drift;
  const runs = steps.map((s) => s.run ?? s.uses ?? "");
  const at = (text: string): number => runs.findIndex((r) => r.includes(text));

  it("cdktf-cli is a dev dependency, so `npx cdktf synth` has an executable", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies["cdktf-cli"]).toBeDefined();
    expect(at("npx cdktf synth")).toBeGreaterThan(at("npm ci"));
  });

  it("builds the CLI before running it, and runs the built file (npx cannot resolve the package inside itself)", () => {
    expect(at("npm run build")).toBeGreaterThan(at("npm ci"));
    expect(at("node dist/cli/main.js drift")).toBeGreaterThan(at("npm run build"));
    expect(runs.join("\n")).not.toContain("npx vaultsmith");
  });

  it("plans against the remote state the deploy writes, and refuses an empty local one", () => {
    expect(env.VAULTSMITH_STATE_BUCKET).toBeDefined();
    expect(at('if [ -z "$VAULTSMITH_STATE_BUCKET" ]')).toBeGreaterThanOrEqual(0);
    expect(at('if [ -z "$VAULTSMITH_STATE_BUCKET" ]')).toBeLessThan(at("terraform -chdir"));
  });

  it("uses the deployed secret value (a dummy would show a planned change every night) and uploads only the report", () => {
    expect(env.TF_VAR_cassandra_admin_password).toBe("${{ secrets.CASSANDRA_ADMIN_PASSWORD }}");
    const uploads = steps.filter((s) => s.uses?.startsWith("actions/upload-artifact"));
    expect(uploads.map((s) => s.with?.path)).toEqual(["drift-report.txt"]);
  });

  it("never commits Terraform state (it holds the Cassandra password in clear)", () => {
    const ignore = readFileSync(join(ROOT, ".gitignore"), "utf8").split("\n");
    expect(ignore).toEqual(expect.arrayContaining(["*.tfstate*", "*.tfplan", ".terraform/"]));
  });
});
