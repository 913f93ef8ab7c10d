import { LdapAuth } from "../../../../constructs/cdktf/ldap-auth";
import { onlyResource, synth } from "./synth-helpers";

describe("LdapAuth", () => {
  it("mounts itself (no vault_auth_backend), bind password from a sensitive variable, groups to policies", () => {
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
      bindpass: "${var.ldap_bindpass}",
      insecure_tls: false,
    });
    expect(onlyResource(json, "vault_ldap_auth_backend_group")).toEqual({
      backend: expect.stringMatching(/^\$\{vault_ldap_auth_backend\.ldap_backend_[0-9A-F]+\.path\}$/),
      groupname: "dba",
      policies: ["audit", "dba"],
    });
    expect(json.variable?.ldap_bindpass).toMatchObject({ sensitive: true });
  });

  it("refuses a non-LDAP URL", () => {
    expect(() => synth((stack) => new LdapAuth(stack, "ldap", { url: "ldap.example.com" }))).toThrow(/LdapAuth\(ldap\)\.url/);
  });
});
