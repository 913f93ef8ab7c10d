/**
 * Acceptance: the remaining examples applied with terraform and the real provider to a fresh
 * OpenBao dev server — the smallest stack (`examples/cdktf/one-mount-stack.ts`) and the estate
 * file `examples/estate.yaml` synthesized by CDK Terrain's App (what `vaultsmith synth --engine
 * cdktn` does). Each applies in one go, is usable through the runtime, re-plans with no change,
 * and destroys (protected CA resources are taken out of the plan's way as the README documents).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VaultStack } from "../../constructs/cdktf/vault-stack";
import { OneMountStack } from "../../examples/cdktf/one-mount-stack";
import { loadEstateYaml } from "../../model/estate-loader";
import { POLICIES, VaultClient } from "../../runtime";
import { buildEstate } from "../../stacks/estate-constructs";
import { DevServer, startDevServer } from "../support/dev-server";
import { StackRun } from "./support/stack-run";

const ESTATE = join(__dirname, "../../examples/estate.yaml");

describe("acceptance: the examples applied to a real OpenBao with terraform", () => {
  let server: DevServer;
  let client: VaultClient;

  beforeAll(async () => {
    server = await startDevServer("openbao");
    client = new VaultClient({ address: server.address, token: server.token, cache: false });
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  const env = (): Record<string, string> => ({ VAULT_ADDR: server.address, VAULT_TOKEN: server.token });

  it("OneMountStack: applies, its mount takes a KV v2 write, re-plans clean, destroys", async () => {
    const run = await StackRun.synthesize("one-mount", (app) => new OneMountStack(app, "one-mount", { mountPath: "kv-demo" }), env());
    const apply = await run.tf(["apply", "-input=false", "-auto-approve"]);
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: "" });
    expect(apply.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    expect((await client.kv("kv-demo").write("probe", { n: 1 })).version).toBe(1);
    const plan = await run.tf(["plan", "-input=false", "-detailed-exitcode"]);
    expect(plan.code).toBe(0);
    const destroy = await run.tf(["destroy", "-input=false", "-auto-approve"]);
    expect(destroy.code).toBe(0);
    const mounts = await client.request<{ data: Record<string, unknown> }>({ method: "GET", path: "sys/mounts" }, POLICIES.read);
    expect(Object.keys(mounts.body?.data ?? {})).not.toContain("kv-demo/");
  }, 180_000);

  it("examples/estate.yaml through CDK Terrain's App: applies, issues a server certificate, re-plans clean", async () => {
    const estate = loadEstateYaml(readFileSync(ESTATE, "utf8"), { file: ESTATE, env: {} });
    const run = await StackRun.synthesize(
      "estate",
      (app) => {
        const stack = new VaultStack(app, "estate", { target: estate.target });
        buildEstate(stack, estate);
        return stack;
      },
      env(),
      "cdktn",
    );
    expect(JSON.parse(readFileSync(join(run.dir, "cdk.tf.json"), "utf8"))["//"].metadata.version).toMatch(/^0\.24\./);
    // A dev server starts with a KV mount at secret/, which the estate declares itself; a
    // production server starts without one.
    await client.request({ method: "DELETE", path: "sys/mounts/secret" }, POLICIES.idempotentWrite);
    const apply = await run.tf(["apply", "-input=false", "-auto-approve"]);
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: "" });
    expect(apply.stdout).toContain(`Apply complete! Resources: ${run.count} added, 0 changed, 0 destroyed.`);

    const cert = await client.pki("pki").issue("server-cert", { common_name: "node1.cassandra.example.com", ttl: "1h" });
    expect(cert.certificate).toContain("BEGIN CERTIFICATE");
    expect(cert.ca_chain.length).toBe(2);

    const plan = await run.tf(["plan", "-input=false", "-detailed-exitcode"]);
    expect({ code: plan.code, stdout: plan.code === 0 ? "" : plan.stdout }).toEqual({ code: 0, stdout: "" });
  }, 180_000);
});
