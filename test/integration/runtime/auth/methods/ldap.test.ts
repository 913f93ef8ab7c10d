import { HttpTransport } from "../../../../../runtime";
import { AuthLoginError, LdapAuth } from "../../../../../runtime";
import { DevServer, startDevServer } from "../../../../support/dev-server";
import { LdapServer, startLdapServer } from "../../../../support/ldap-server";
import { selectedFlavors } from "../../../../support/server-binaries";
import { admin, enableAuth, writePolicy } from "../../../../support/vault-admin";

const ALICE_PASSWORD = "alice-Secret-7f3e9";
const BOB_PASSWORD = "bob-Secret-2c81d";

describe("LDAP auth against a real OpenLDAP (slapd)", () => {
  let ldap: LdapServer;

  beforeAll(async () => {
    ldap = await startLdapServer({
      users: [
        { uid: "alice", password: ALICE_PASSWORD },
        { uid: "bob", password: BOB_PASSWORD },
      ],
      groups: [
        { name: "platform", members: ["alice"] },
        { name: "auditors", members: ["alice", "bob"] },
      ],
    });
  });

  afterAll(async () => {
    await ldap?.stop();
  });

  describe.each(selectedFlavors())("through a real %s server", (flavor) => {
    let server: DevServer;
    let transport: HttpTransport;

    beforeAll(async () => {
      server = await startDevServer(flavor);
      await enableAuth(server, "ldap", "corp-ldap");
      await admin(server, "POST", "auth/corp-ldap/config", {
        url: ldap.url,
        binddn: ldap.bindDn,
        bindpass: ldap.bindPassword,
        userdn: ldap.userDn,
        userattr: "uid",
        groupdn: ldap.groupDn,
        groupfilter: "(&(objectClass=groupOfNames)(member={{.UserDN}}))",
        groupattr: "cn",
        token_ttl: "20m",
      });
      await writePolicy(server, "platform-admin", 'path "secret/*" { capabilities = ["read", "list"] }');
      await writePolicy(server, "audit-read", 'path "sys/audit" { capabilities = ["read"] }');
      await admin(server, "POST", "auth/corp-ldap/groups/platform", { policies: "platform-admin" });
      await admin(server, "POST", "auth/corp-ldap/groups/auditors", { policies: "audit-read" });
      transport = new HttpTransport({ address: server.address });
    });

    afterAll(async () => {
      await transport?.close();
      await server?.stop();
    });

    it("logs a user in and maps each of their LDAP groups to its policies", async () => {
      const alice = await new LdapAuth({ username: "alice", password: ALICE_PASSWORD, mountPath: "corp-ldap" }).login(transport);
      expect([...alice.tokenPolicies].sort()).toEqual(["audit-read", "default", "platform-admin"]);
      expect(alice.metadata.username).toBe("alice");
      expect(alice.leaseDurationSeconds).toBe(1200);

      const bob = await new LdapAuth({ username: "bob", password: () => BOB_PASSWORD, mountPath: "corp-ldap" }).login(transport);
      expect([...bob.tokenPolicies].sort()).toEqual(["audit-read", "default"]);
    });

    it("refuses a wrong password with a typed error that never contains the password", async () => {
      const wrong = "alice-Wrong-Password-91";
      const failure = await new LdapAuth({ username: "alice", password: wrong, mountPath: "corp-ldap" })
        .login(transport)
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AuthLoginError);
      const error = failure as AuthLoginError;
      expect(error).toMatchObject({ authMethod: "ldap", mountPath: "corp-ldap", path: "auth/corp-ldap/login/alice" });
      expect([400, 403]).toContain(error.status);
      for (const text of [String(error), JSON.stringify(error)]) {
        expect(text).not.toContain(wrong);
        expect(text).not.toContain(ALICE_PASSWORD);
        expect(text).not.toContain(ldap.bindPassword);
      }
    });
  });
});
