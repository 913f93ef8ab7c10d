import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App, S3Backend, TerraformOutput, Testing } from "cdktf";
import { KvV2Store } from "../../../../constructs/cdktf/kv-v2-store";
import { VAULT_PROVIDER_CONSTRAINT, VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, VAULT_CE, synth } from "./synth-helpers";

describe("VaultStack", () => {
  it("sets the provider pin to every 5.x from 5.8.0 (write-only bind password and OIDC secret) and keeps credentials out of the configuration", () => {
    const json = synth(() => undefined);
    expect(VAULT_PROVIDER_CONSTRAINT).toBe(">= 5.8.0, < 6.0.0");
    expect(json.terraform.required_providers.vault).toEqual({ source: "hashicorp/vault", version: ">= 5.8.0, < 6.0.0" });
    expect(json.provider.vault).toEqual([{ skip_child_token: true }]);
  });

  it("sets a provider namespace only on targets with namespaces", () => {
    const app = Testing.app();
    const stack = new VaultStack(app, "ns", { target: OPENBAO, providerNamespace: "team" });
    expect((JSON.parse(Testing.synth(stack)) as { provider: { vault: unknown[] } }).provider.vault).toEqual([
      { namespace: "team", skip_child_token: true },
    ]);
    expect(() => new VaultStack(Testing.app(), "ce", { target: VAULT_CE, providerNamespace: "team" })).toThrow(
      "ce: namespaces are not available on the target Vault CE 1.21.4",
    );
  });

  it("validates the target declaration", () => {
    expect(() => new VaultStack(Testing.app(), "bad", { target: { edition: "openbao", version: "latest" } })).toThrow(
      /VaultStack\(bad\)\.version: expected a version/,
    );
  });

  describe("state", () => {
    interface StackJson {
      terraform: { backend?: Record<string, { path?: string }> };
      data?: { terraform_remote_state?: Record<string, { backend: string; config: { path: string } }> };
    }
    /** A platform stack with a KV store and an app stack that outputs the store's mount path (a cross-stack reference). */
    function synthPair(withBackend: boolean): { project: string; outdir: string; read: (stack: string) => StackJson } {
      const project = mkdtempSync(join(tmpdir(), "vault-stack-state-"));
      writeFileSync(join(project, "cdktf.json"), "{}");
      const outdir = join(project, "cdktf.out");
      const app = new App({ outdir });
      const platform = new VaultStack(app, "platform", { target: OPENBAO });
      if (withBackend) new S3Backend(platform, { bucket: "estate-state", key: "platform.tfstate", region: "eu-west-1" });
      const kv = new KvV2Store(platform, "kv", { mountPath: "apps" });
      const consumer = new VaultStack(app, "app", { target: OPENBAO });
      new TerraformOutput(consumer, "mount", { value: kv.mount.path });
      app.synth();
      return {
        project,
        outdir,
        read: (stack) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as StackJson,
      };
    }

    it("keeps local state in the project folder at a path relative to the stack, and the reading stack finds it there", () => {
      const { project, outdir, read } = synthPair(false);
      const path = read("platform").terraform.backend?.local?.path;
      expect(path).toBe("../../../terraform.platform.tfstate");
      const remote = Object.values(read("app").data?.terraform_remote_state ?? {});
      expect(remote).toHaveLength(1);
      expect(remote[0].backend).toBe("local");
      expect(resolve(outdir, "stacks", "app", remote[0].config.path)).toBe(join(project, "terraform.platform.tfstate"));
      expect(read("app").terraform.backend?.local?.path).toBe("../../../terraform.app.tfstate");
    });

    it("leaves a backend the caller added alone, and the reading stack reads that one", () => {
      const { read } = synthPair(true);
      expect(Object.keys(read("platform").terraform.backend ?? {})).toEqual(["s3"]);
      expect(Object.values(read("app").data?.terraform_remote_state ?? {}).map((r) => r.backend)).toEqual(["s3"]);
    });
  });
});
