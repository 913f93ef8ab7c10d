import { main } from "../../../cli/main";
import { DevServer, startDevServer } from "../../support/dev-server";
import { selectedFlavors } from "../../support/server-binaries";
import { SERVER_BUILDS } from "../../../tools/server-versions";

async function run(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["detect", ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd: process.cwd() });
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
    expect(found.target.version).toBe(SERVER_BUILDS[flavor].version);
    expect(found.features.namespaces).toBe(flavor === "openbao");
    const text = await run(["--address", server.address], { VAULT_TOKEN: server.token });
    expect(text.out).toContain(SERVER_BUILDS[flavor].version);
    expect(text.out).not.toContain(server.token);
  });

  it("is a usage error without an address", async () => {
    const { code, err } = await run([], {});
    expect(code).toBe(2);
    expect(err).toContain("give --address or set VAULT_ADDR");
  });
});
