import { toPlain } from "../../../../../model/graph";
import { ldapFragment, ldapAuthSchema } from "../../../../../model/kinds/auth/ldap";

describe("auth fragments", () => {
  it("LDAP mounts itself (no vault_auth_backend) and maps groups to policies; bind password is a write-only input", () => {
    const spec = ldapAuthSchema.parse({
      url: "ldaps://ldap.example.com",
      userdn: "ou=people,dc=example,dc=com",
      binddn: "cn=vault",
      bindpass: { variable: "ldap_bindpass" },
      groups: [{ name: "ops team", policies: ["ops"] }],
    });
    const plain = toPlain(ldapFragment(spec, { owner: "l" }).resources);
    expect(plain.map((d) => d.type)).toEqual(["vault_ldap_auth_backend", "vault_ldap_auth_backend_group"]);
    expect(plain[0].attributes).toEqual({
      path: "ldap",
      url: "ldaps://ldap.example.com",
      userdn: "ou=people,dc=example,dc=com",
      binddn: "cn=vault",
      bindpass_wo: "${var.ldap_bindpass}",
      bindpass_wo_version: 1,
      insecure_tls: false,
    });
    expect(plain[1]).toMatchObject({
      id: "l.group-ops-team",
      attributes: { backend: "${l.backend.path}", groupname: "ops team", policies: ["ops"] },
    });
  });
});
