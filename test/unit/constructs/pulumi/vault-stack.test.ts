import { VaultStack } from "../../../../constructs/pulumi/vault-stack";
import { registered, settle, useMocks, valueOf } from "./pulumi-harness";

describe("VaultStack", () => {
  it("creates the vault provider as a child (no address or token), skipping the child token by default", async () => {
    await useMocks();
    const stack = new VaultStack("estate", { target: { edition: "openbao", version: "2.6.1" }, providerNamespace: "team" });
    await settle();
    const provider = registered().find((r) => r.type === "pulumi:providers:vault");
    expect(provider?.name).toBe("estate-vault");
    expect(provider?.inputs).toMatchObject({ skipChildToken: "true", namespace: "team" });
    expect(provider?.inputs).not.toHaveProperty("address");
    expect(provider?.inputs).not.toHaveProperty("token");
    expect(await valueOf(stack.provider.urn)).toContain("vaultsmith:index:VaultStack$pulumi:providers:vault::estate-vault");
  });

  it("refuses a provider namespace on a target without namespaces, and a bad target, before registering", async () => {
    await useMocks();
    expect(() => new VaultStack("ce", { target: { edition: "vault-ce", version: "1.21.4" }, providerNamespace: "x" })).toThrow(
      "ce: namespaces are not available on the target Vault CE 1.21.4",
    );
    expect(() => new VaultStack("bad", { target: { edition: "vault-ce", version: "latest" } })).toThrow(
      /VaultStack\(bad\)\.version: expected a version/,
    );
    await settle();
    expect(registered()).toEqual([]);
  });
});
