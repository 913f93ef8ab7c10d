/**
 * `vaultsmith policy test --live` against a real server: the estate's policies deployed, the YAML
 * suite passes live as offline; a policy narrowed on the server fails the case that relies on it,
 * with what the server said; a policy that is missing is named.
 */
import { join } from "node:path";
import { main } from "../../../cli/main";
import { HttpPolicyStore } from "../../../policies/policy-sync";
import { VaultClient } from "../../../runtime";
import { loadPolicySet } from "../../../policies/policy-source";
import { renderHcl } from "../../../policies/hcl-render";
import { call } from "../../support/harness-http";
import { DevServer, startDevServer } from "../../support/dev-server";
import { selectedFlavors } from "../../support/server-binaries";

const ESTATE = join(__dirname, "../../fixtures/policies/estate");

describe.each(selectedFlavors())("vaultsmith policy test --live against a real %s server", (flavor) => {
  let server: DevServer;
  let client: VaultClient;
  let store: HttpPolicyStore;

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const env = { VAULT_ADDR: server.address, VAULT_TOKEN: server.token };
    const code = await main(["policy", "test", ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd: ESTATE });
    return { code, out, err };
  }

  beforeAll(async () => {
    server = await startDevServer(flavor);
    client = new VaultClient({ address: server.address, token: server.token });
    store = new HttpPolicyStore(client, server.address);
    for (const policy of (await loadPolicySet(join(ESTATE, "head"))).policies) await store.write(policy.name, renderHcl(policy));
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it("passes the suite live when the deployed policies are the files, and revokes its tokens", async () => {
    const result = await run(["policy-tests.yaml", "--live"]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain(`policy-tests.yaml (live: ${server.address})`);
    expect(result.out).toContain("✓ app-a reads its own secrets [secret/data/app-a/db: delete, read]");
    expect(result.out).toContain("5 passed, 0 failed, 2 skipped");
    const accessors = await call<{ data: { keys: string[] } }>(server.address, "GET", "auth/token/accessors?list=true", {
      token: server.token,
    });
    expect(accessors.body.data.keys).toHaveLength(1); // the root token only
  });

  it("fails the case a policy narrowed on the server breaks, with the server's answer", async () => {
    await store.write("app-a", 'path "secret/metadata/app-a/*" {\n  capabilities = ["list"]\n}\n');
    const result = await run(["policy-tests.yaml", "--live"]);
    expect(result.code).toBe(1);
    expect(result.out).toContain("7 passed, 0 failed"); // offline: the files are unchanged
    expect(result.out).toContain("✗ app-a reads its own secrets (policy-tests.yaml:4)");
    expect(result.out).toContain("expected allow, the server says deny (read needs read; secret/data/app-a/db: deny)");
    expect(result.out).toContain("4 passed, 1 failed, 2 skipped");
  });

  it("names a policy the server does not hold", async () => {
    await store.delete("ops");
    const result = await run(["policy-tests.yaml", "--live"]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('the server holds no policy "ops"');
  });
});
