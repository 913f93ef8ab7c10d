/**
 * The constructs under CDK Terrain (`cdktn`, the community continuation of cdktf): the same app
 * built with cdktn's App and stacks synthesizes the same Terraform JSON as with cdktf's, and
 * cdktn's own elements can use the constructs' attributes.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as cdktf from "cdktf";
import * as cdktn from "cdktn";
import { Construct } from "constructs";
import { KvV2Store } from "../../../../constructs/cdktf/kv-v2-store";
import { PkiHierarchy } from "../../../../constructs/cdktf/pki-hierarchy";
import { VaultTarget } from "../../../../constructs/cdktf/base";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { addCassandraEstate } from "../../../../examples/cdktf/cassandra-estate";
import { TenantStack } from "../../../../stacks/tenant-stack";
import { OPENBAO } from "./synth-helpers";

type Engine = typeof cdktf | typeof cdktn;
type CdkTfJson = { "//": { metadata: { version: string } } } & Record<string, unknown>;

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), "vaultsmith-terrain-"));
});
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

/** Synthesize the app `build` makes with `engine`'s App; every stack's cdk.tf.json by name. */
function synthWith(engine: Engine, build: (app: Construct, engine: Engine) => void): Record<string, CdkTfJson> {
  const dir = join(outdir, engine === cdktn ? "cdktn" : "cdktf");
  const app = new engine.App({ outdir: dir });
  build(app, engine);
  app.synth();
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
  return Object.fromEntries(
    Object.keys(manifest.stacks).map((name) => [
      name,
      JSON.parse(readFileSync(join(dir, "stacks", name, "cdk.tf.json"), "utf8")) as CdkTfJson,
    ]),
  );
}

/** The stacks without the engine version cdk.tf.json records (the one field that must differ). */
function withoutEngineVersion(stacks: Record<string, CdkTfJson>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(stacks).map(([name, json]) => [
      name,
      { ...json, "//": { ...json["//"], metadata: { ...json["//"].metadata, version: "-" } } },
    ]),
  );
}

function resourceCount(json: Record<string, unknown>): number {
  const resources = (json.resource ?? {}) as Record<string, Record<string, unknown>>;
  return Object.values(resources).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

describe("CDK Terrain (cdktn) synthesizes the vaultsmith constructs", () => {
  it("the example app (Cassandra estate with its database engine, and a two-tenant stack) gives the same cdk.tf.json as cdktf", () => {
    const build = (app: Construct): void => {
      addCassandraEstate(app, { CASSANDRA_HOSTS: "cassandra-1" });
      new TenantStack(app, "tenants", {
        target: OPENBAO,
        tenants: [{ name: "acme", transitKeys: ["orders"], requestsPerSecond: 50 }, { name: "globex" }],
      });
    };
    const viaCdktf = synthWith(cdktf, build);
    const viaCdktn = synthWith(cdktn, build);

    expect(Object.keys(viaCdktn).sort()).toEqual(["cassandra-cert-manager", "tenants"]);
    // Each file really came from its own engine ...
    expect(viaCdktf.tenants["//"].metadata.version).toMatch(/^0\.21\./);
    expect(viaCdktn.tenants["//"].metadata.version).toMatch(/^0\.24\./);
    // ... and everything Terraform reads is the same.
    expect(withoutEngineVersion(viaCdktn)).toEqual(withoutEngineVersion(viaCdktf));
    expect(resourceCount(viaCdktn["cassandra-cert-manager"])).toBeGreaterThan(20);
    expect(Object.keys((viaCdktn["cassandra-cert-manager"].resource ?? {}) as object)).toContain(
      "vault_database_secret_backend_connection",
    );
  });

  it("a VaultStack in a cdktn App works with cdktn's own elements: outputs in it and references from a cdktn stack", () => {
    const build = (app: Construct, engine: Engine): void => {
      const vault = new VaultStack(app, "vault", { target: OPENBAO });
      const pki = new PkiHierarchy(vault, "pki", {
        root: { mountPath: "pki-root", commonName: "Root", ttl: "87600h" },
        intermediates: [
          {
            mountPath: "pki",
            commonName: "Issuing",
            ttl: "43800h",
            maxLeaseTtl: "8760h",
            roles: [{ roleName: "server-cert", template: "server", ttl: "720h", allowedDomains: ["example.com"] }],
          },
        ],
      });
      const kv = new KvV2Store(vault, "kv", { mountPath: "secret" });
      new engine.TerraformOutput(vault, "issuing_mount", { value: pki.intermediates.get("pki")!.mount.path });
      const consumer = new engine.TerraformStack(app, "consumer");
      new engine.TerraformOutput(consumer, "kv_mount", { value: kv.mount.path });
    };
    const viaCdktf = synthWith(cdktf, build);
    const viaCdktn = synthWith(cdktn, build);

    const vaultOutputs = viaCdktn.vault.output as Record<string, { value: string }>;
    expect(vaultOutputs.issuing_mount.value).toMatch(/^\$\{vault_mount\.pki_[A-Za-z0-9_-]+\.path\}$/);
    const consumerOutputs = viaCdktn.consumer.output as Record<string, { value: string }>;
    expect(consumerOutputs.kv_mount.value).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-vault\.outputs\.cross-stack-output-vault_mountkv_mount_[0-9A-F]+path\}$/,
    );
    expect(withoutEngineVersion(viaCdktn)).toEqual(withoutEngineVersion(viaCdktf));
  });

  it("constructs put directly in a cdktn TerraformStack are refused when created, naming the stack and the fix", () => {
    const app = new cdktn.App({ outdir });
    const stack = new cdktn.TerraformStack(app, "plain");
    VaultTarget.set(stack, OPENBAO);
    expect(() => new KvV2Store(stack, "kv", { mountPath: "secret" })).toThrow(
      /^plain\/kv: vaultsmith constructs render @cdktf\/provider-vault resources, .*"plain" is a stack of another engine \(CDK Terrain's cdktn.*Put them in a VaultStack/,
    );
  });
});
