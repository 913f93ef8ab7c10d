import { LdapAuth } from "../../../../../runtime";
import { ScriptedRequester, loginRequestOf } from "../fakes";

describe("LdapAuth", () => {
  it("posts the password to auth/ldap/login/<username>", async () => {
    expect(await loginRequestOf(new LdapAuth({ username: "alice", password: "pw" }))).toEqual({
      method: "POST",
      path: "auth/ldap/login/alice",
      body: { password: "pw" },
      unauthenticated: true,
    });
  });

  it("reads the password from a provider at login time", async () => {
    expect((await loginRequestOf(new LdapAuth({ username: "bob", password: async () => "from-file", mountPath: "corp" }))).body).toEqual({
      password: "from-file",
    });
  });

  it("rejects a username that would change the path", () => {
    expect(() => new LdapAuth({ username: "a/b", password: "pw" })).toThrow("username must be non-empty and contain no '/'");
    expect(() => new LdapAuth({ username: "", password: "pw" })).toThrow("username must be non-empty and contain no '/'");
  });

  it("refuses an answer without an auth block", async () => {
    const requester = new ScriptedRequester();
    requester.handler = () => ({ status: 200, body: { data: {}, request_id: "req-2" } });
    await expect(new LdapAuth({ username: "bob", password: "pw" }).login(requester)).rejects.toThrow(
      "ldap login at auth/ldap failed with HTTP 200: the answer carried no auth block (request req-2)",
    );
  });
});
