import { App, Testing } from "cdktf";
import { OneMountStack } from "../../../../examples/cdktf/one-mount-stack";

interface Synth {
  terraform: { required_providers: { vault: { source: string; version: string } } };
  provider: { vault: Record<string, unknown>[] };
  resource: { vault_mount: Record<string, Record<string, unknown>> };
}

describe("OneMountStack", () => {
  function synth(props?: { mountPath?: string }): Synth {
    const app: App = Testing.app();
    const stack = new OneMountStack(app, "one-mount", props);
    return JSON.parse(Testing.synth(stack)) as Synth;
  }

  it("declares one KV v2 mount from hashicorp/vault 5.x, 5.6 to 5.11 and later 5.x accepted", () => {
    const json = synth({ mountPath: "team-kv" });
    expect(json.terraform.required_providers.vault.source).toBe("hashicorp/vault");
    expect(json.terraform.required_providers.vault.version).toBe(">= 5.8.0, < 6.0.0");
    const mounts = Object.values(json.resource.vault_mount);
    expect(mounts).toHaveLength(1);
    expect(mounts[0]).toMatchObject({ path: "team-kv", type: "kv", options: { version: "2" } });
  });

  it("keeps the address and token out of the synthesized configuration", () => {
    const provider = synth().provider.vault[0];
    expect(provider).toEqual({ skip_child_token: true });
  });
});
