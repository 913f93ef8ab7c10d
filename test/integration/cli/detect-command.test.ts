import { main } from "../../../cli/main";
import { FakeTerminal } from "../../support/fake-terminal";
import { DevServer, startDevServer } from "../../support/dev-server";
import { admin, writePolicy } from "../../support/vault-admin";
import { selectedFlavors, serverBinary } from "../../support/server-binaries";

async function run(
  args: string[],
  env: Record<string, string | undefined>,
  progress?: FakeTerminal,
): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["detect", ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd: process.cwd(), progress });
  return { code, out, err };
}

describe.each(selectedFlavors())("vaultsmith detect against a real %s dev server", (flavor) => {
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer(flavor);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("reports the edition, version and namespace support read from the server", async () => {
    const { code, out } = await run(["--json"], { VAULT_ADDR: server.address, VAULT_TOKEN: server.token });
    expect(code).toBe(0);
    const found = JSON.parse(out) as { target: { version: string }; features: Record<string, boolean> };
    expect(found.target.version).toBe(serverBinary(flavor).version.replace(/\+.*$/, ""));
    expect(found.features.namespaces).toBe(flavor === "openbao");
    const terminal = new FakeTerminal();
    const text = await run(["--address", server.address], { VAULT_TOKEN: server.token }, terminal);
    expect(text.out).toContain(serverBinary(flavor).version.replace(/\+.*$/, ""));
    expect(text.out).not.toContain(server.token);
    // On a terminal, both waits on the server show a spinner; the token never appears there.
    const drawn = terminal.events.join("");
    expect(drawn).toContain(`asking ${server.address} what it is`);
    expect(drawn).toContain(`checking the token against ${server.address}`);
    expect(drawn).not.toContain(server.token);
  });

  it("verifies the token: a refused one exits 1 with one line naming the address; a narrow one lists what it lacks", async () => {
    const refused = await run([], { VAULT_ADDR: server.address, VAULT_TOKEN: "not-a-token" });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      new RegExp(
        `^vaultsmith detect: ${server.address.replace(/[.]/g, "\\.")} refused the token \\(GET auth/token/lookup-self answered HTTP 403: permission denied\\): set VAULT_TOKEN to a valid, unexpired token .*\n$`,
      ),
    );
    expect(refused.err).not.toContain("not-a-token");

    const root = await run(["--json"], { VAULT_ADDR: server.address, VAULT_TOKEN: server.token });
    expect(JSON.parse(root.out)).toMatchObject({ token: { policies: ["root"] }, lacks: [] });

    await writePolicy(server, "detect-narrow", 'path "sys/mounts" {\n  capabilities = ["read"]\n}\n');
    const created = await admin<{ auth: { client_token: string } }>(server, "POST", "auth/token/create", {
      policies: ["detect-narrow"],
      ttl: "10m",
    });
    const narrow = await run([], { VAULT_ADDR: server.address, VAULT_TOKEN: created.auth.client_token });
    expect(narrow.err).toBe("");
    expect(narrow.code).toBe(0);
    expect(narrow.out).toContain("token: valid, policies default, detect-narrow, expires in ");
    expect(narrow.out).toContain("capabilities lacked:\n  read on sys/auth (");
    expect(narrow.out).toContain("  list on sys/policies/acl (policy sync)");
    expect(narrow.out).not.toContain("read on sys/mounts");
  });

  it("names the address and the fix when https is used against the plain-HTTP listener", async () => {
    const https = server.address.replace(/^http:/, "https:");
    const result = await run([], { VAULT_ADDR: https, VAULT_TOKEN: server.token });
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      `vaultsmith detect: ${https} does not speak TLS (it answered in plain HTTP): use http:// instead of https:// in the address\n`,
    );
  });

  it("is a usage error without an address", async () => {
    const { code, err } = await run([], {});
    expect(code).toBe(2);
    expect(err).toBe("vaultsmith detect: give --address or set VAULT_ADDR (see vaultsmith detect --help)\n");
  });
});
