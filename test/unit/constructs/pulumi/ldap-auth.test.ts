import { LdapAuth } from "../../../../constructs/pulumi/ldap-auth";
import { registered, settle, useMocks } from "./pulumi-harness";

describe("LdapAuth", () => {
  it("mounts itself, sends the bind password from a config secret write-only (bindpassWo), maps groups to policies", async () => {
    await useMocks({ ldap_bindpass: "pw" }, ["ldap_bindpass"]);
    new LdapAuth("ldap", {
      url: "ldaps://ldap",
      binddn: "cn=vault",
      bindpassVariable: "ldap_bindpass",
      groups: [{ name: "ops", policies: ["ops"] }],
    });
    await settle();
    const backend = registered().find((r) => r.name === "ldap-backend");
    expect(backend?.type).toBe("vault:ldap/authBackend:AuthBackend");
    expect(backend?.inputs.bindpassWo).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "pw" });
    expect(backend?.inputs.bindpassWoVersion).toBe(1);
    expect(backend?.inputs).not.toHaveProperty("bindpass");
    expect(registered().find((r) => r.name === "ldap-group-ops")?.inputs).toEqual({
      backend: "ref:ldap-backend.path",
      groupname: "ops",
      policies: ["ops"],
    });
  });

  it("a missing config secret fails the program with Pulumi's config error", async () => {
    await useMocks();
    expect(() => new LdapAuth("ldap", { url: "ldaps://ldap", bindpassVariable: "absent" })).toThrow(/absent/);
  });
});
