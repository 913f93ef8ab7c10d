import { LdapAuth } from "../../../../constructs/cdktf/ldap-auth";
import { onlyResource, synth } from "./synth-helpers";

describe("LdapAuth", () => {
  it("mounts itself (no vault_auth_backend), bind password write-only from an ephemeral variable, groups to policies", () => {
    const json = synth(
      (stack) =>
        new LdapAuth(stack, "ldap", {
          url: "ldaps://ldap.example.com",
          userdn: "ou=people,dc=example,dc=com",
          userattr: "uid",
          groupdn: "ou=groups,dc=example,dc=com",
          binddn: "cn=vault,dc=example,dc=com",
          bindpassVariable: "ldap_bindpass",
          groups: [{ name: "dba", policies: ["dba", "audit"] }],
        }),
    );
    expect(json.resource?.vault_auth_backend).toBeUndefined();
    expect(onlyResource(json, "vault_ldap_auth_backend")).toEqual({
      path: "ldap",
      url: "ldaps://ldap.example.com",
      userdn: "ou=people,dc=example,dc=com",
      userattr: "uid",
      groupdn: "ou=groups,dc=example,dc=com",
      binddn: "cn=vault,dc=example,dc=com",
      bindpass_wo: "${var.ldap_bindpass}",
      bindpass_wo_version: 1,
      insecure_tls: false,
    });
    expect(onlyResource(json, "vault_ldap_auth_backend_group")).toEqual({
      backend: expect.stringMatching(/^\$\{vault_ldap_auth_backend\.ldap_backend_[0-9A-F]+\.path\}$/),
      groupname: "dba",
      policies: ["audit", "dba"],
    });
    expect(json.variable?.ldap_bindpass).toEqual({
      type: "string",
      sensitive: true,
      nullable: false,
      ephemeral: true,
      description: "Write-only secret: sent to Vault, never stored in plan or state.",
    });
  });

  it("sends a new bind password when its version is bumped (the write-only argument is only sent when the version changes)", () => {
    const json = synth(
      (stack) => new LdapAuth(stack, "ldap", { url: "ldaps://ldap.example.com", bindpassVariable: "ldap_bindpass", bindpassVersion: 3 }),
    );
    expect(onlyResource(json, "vault_ldap_auth_backend")).toMatchObject({ bindpass_wo: "${var.ldap_bindpass}", bindpass_wo_version: 3 });
    expect(onlyResource(json, "vault_ldap_auth_backend")).not.toHaveProperty("bindpass");
  });

  it("refuses a non-LDAP URL", () => {
    expect(() => synth((stack) => new LdapAuth(stack, "ldap", { url: "ldap.example.com" }))).toThrow(/LdapAuth\(ldap\)\.url/);
  });
});
