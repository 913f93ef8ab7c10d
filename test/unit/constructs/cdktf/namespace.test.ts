import { Testing } from "cdktf";
import { KvV2Store } from "../../../../constructs/cdktf/kv-v2-store";
import { Namespace } from "../../../../constructs/cdktf/namespace";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, VAULT_CE, VAULT_ENTERPRISE, logicalIdOf, resourcesOf, synth } from "./synth-helpers";

describe("Namespace", () => {
  it("nests, and every construct inside is created in it", () => {
    const json = synth((stack) => {
      const tenant = new Namespace(stack, "tenant-a", { path: "tenant-a", customMetadata: { owner: "team-a" } });
      const team = new Namespace(tenant, "team-1", { path: "team-1" });
      new KvV2Store(team, "kv");
    });
    const namespaces = resourcesOf(json, "vault_namespace");
    const tenantId = Object.keys(json.resource!.vault_namespace).find((k) => json.resource!.vault_namespace[k].path === "tenant-a")!;
    const teamId = Object.keys(json.resource!.vault_namespace).find((k) => json.resource!.vault_namespace[k].path === "team-1")!;
    expect(namespaces).toContainEqual({ path: "tenant-a", custom_metadata: { owner: "team-a" } });
    expect(namespaces).toContainEqual({ path: "team-1", namespace: `\${vault_namespace.${tenantId}.path_fq}` });
    const inTeam = `\${vault_namespace.${teamId}.path_fq}`;
    expect(resourcesOf(json, "vault_mount")[0]).toMatchObject({ path: "secret", namespace: inTeam });
    expect(resourcesOf(json, "vault_kv_secret_backend_v2")[0]).toMatchObject({ namespace: inTeam });
    expect(logicalIdOf(json, "vault_mount")).toMatch(/^tenant-a_team-1_kv_mount_/);
  });

  it("synthesizes for OpenBao and Vault Enterprise, is refused on Vault CE (no silent deploy into root)", () => {
    expect(() => synth((stack) => new Namespace(stack, "ns", { path: "a" }), OPENBAO)).not.toThrow();
    expect(() => synth((stack) => new Namespace(stack, "ns", { path: "a" }), VAULT_ENTERPRISE)).not.toThrow();
    const stack = new VaultStack(Testing.app(), "s", { target: VAULT_CE });
    expect(() => new Namespace(stack, "ns", { path: "a" })).toThrow("s/ns: namespaces are not available on the target Vault CE 1.21.4");
  });

  it("a path is one segment", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    expect(() => new Namespace(stack, "ns", { path: "a/b" })).toThrow(/Namespace\(ns\)\.path: a namespace path is one segment/);
  });
});
