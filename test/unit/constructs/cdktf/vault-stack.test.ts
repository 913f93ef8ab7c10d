import { Testing } from "cdktf";
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
});
