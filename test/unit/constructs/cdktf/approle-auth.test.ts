import { Testing } from "cdktf";
import { AclPolicy } from "../../../../constructs/cdktf/acl-policy";
import { AppRoleAuth } from "../../../../constructs/cdktf/approle-auth";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, onlyResource, synth } from "./synth-helpers";

describe("AppRoleAuth", () => {
  it("mounts approle without a tune block and binds the role to typed policies", () => {
    const json = synth((stack) => {
      const policy = new AclPolicy(stack, "p", {
        policyName: "cassandra-cert-manager",
        rules: [{ path: "pki/issue/server-cert", capabilities: ["update"] }],
      });
      new AppRoleAuth(stack, "approle", {
        roles: [
          {
            name: "manager",
            policies: [policy, "audit-reader"],
            tokenTtl: "1h",
            tokenMaxTtl: "4h",
            secretIdTtl: "24h",
            secretIdNumUses: 1,
          },
        ],
      });
    });
    expect(onlyResource(json, "vault_auth_backend")).toEqual({ type: "approle", path: "approle" });
    expect(onlyResource(json, "vault_approle_auth_backend_role")).toEqual({
      backend: expect.stringMatching(/^\$\{vault_auth_backend\.approle_mount_[0-9A-F]+\.path\}$/),
      role_name: "manager",
      bind_secret_id: true,
      secret_id_ttl: 86_400,
      secret_id_num_uses: 1,
      token_policies: ["audit-reader", "cassandra-cert-manager"],
      token_ttl: 3600,
      token_max_ttl: 14_400,
    });
  });

  it("emits tune only when set", () => {
    const json = synth(
      (stack) => new AppRoleAuth(stack, "approle", { path: "machines", tune: { defaultLeaseTtl: "1h", tokenType: "default-batch" } }),
    );
    const mount = onlyResource(json, "vault_auth_backend") as { tune: Record<string, unknown>[] };
    expect(mount).toMatchObject({ type: "approle", path: "machines" });
    // cdktf writes unset block fields as null (= unset for Terraform); only the set ones have values.
    expect(Object.fromEntries(Object.entries(mount.tune[0]).filter(([, v]) => v !== null))).toEqual({
      default_lease_ttl: "3600s",
      token_type: "default-batch",
    });
  });

  it("checks token TTLs and policy names with the construct path", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    expect(() => new AppRoleAuth(stack, "a", { roles: [{ name: "r", tokenTtl: "2h", tokenMaxTtl: "1h" }] })).toThrow(
      /AppRoleAuth\(a\)\.roles\[0\]\.tokenTtl: token TTL/,
    );
    expect(() => new AppRoleAuth(stack, "b", { roles: [{ name: "r", policies: ["Admin"] }] })).toThrow(
      /AppRoleAuth\(b\)\.roles\[0\]\.policies\[0\]: policy names must be lower-case/,
    );
  });

  it("grants role-id delivery and secret-id minting for one role", () => {
    const json = synth((stack) => {
      const auth = new AppRoleAuth(stack, "approle", { roles: [{ name: "app" }] });
      const deployer = new AclPolicy(stack, "d", { policyName: "deployer" });
      auth.grantReadRoleId(deployer, "app");
      auth.grantCreateSecretId(deployer, "app");
      expect(() => auth.grantReadRoleId(deployer, "other")).toThrow(/no role "other"/);
    });
    expect(String(onlyResource(json, "vault_policy").policy).match(/path "[^"]+" \{\n {2}capabilities = \[[^\]]+\]/g)).toEqual([
      'path "auth/approle/role/app/role-id" {\n  capabilities = ["read"]',
      'path "auth/approle/role/app/secret-id" {\n  capabilities = ["update"]',
    ]);
  });
});
