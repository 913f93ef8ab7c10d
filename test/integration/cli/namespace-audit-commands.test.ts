/**
 * `vaultsmith namespace` and `vaultsmith audit` against a real OpenBao dev server with a file
 * audit device: provision from a TenantStack tenants file, inspect, migrate (refused onto a
 * non-empty target: exit 2, nothing changed), export/restore through a sealed file, delete with
 * confirmation, unknown namespaces as exit 2; then search and report on the audit log the run wrote.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../cli/main";
import { VaultClient } from "../../../runtime";
import { POLICIES } from "../../../runtime/transport/requester";
import { Kv2Api } from "../../../runtime/engines/kv2";
import { inNamespace } from "../../../runtime/ops/estate/namespaced";
import { DevServer, startDevServer } from "../../support/dev-server";

describe("vaultsmith namespace and audit against a real OpenBao dev server", () => {
  let server: DevServer;
  let client: VaultClient;
  let dir: string;

  const run = async (args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> => {
    let out = "";
    let err = "";
    const code = await main(args, {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      env: { VAULT_ADDR: server.address, VAULT_TOKEN: server.token, ...env },
      cwd: dir,
    });
    return { code, out, err };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-ns-cli-"));
    server = await startDevServer("openbao", {
      config: `audit "file" "file-audit" {\n  options {\n    file_path = "${join(dir, "audit.log")}"\n  }\n}\n`,
    });
    client = new VaultClient({ address: server.address, token: server.token, cache: false });
    await client.request({ method: "POST", path: "sys/mounts/transit", body: { type: "transit" } }, POLICIES.idempotentWrite);
    await client.transit("transit").createKey("backup");
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("provisions from a tenants file, inspects, migrates, exports, restores and deletes", async () => {
    writeFileSync(
      join(dir, "tenants.yaml"),
      "target:\n  edition: openbao\n  version: 2.6.1\ntenants:\n  - name: acme\n    transitKeys: [orders]\n    requestsPerSecond: 50\n  - name: globex\n",
    );
    const provisioned = await run(["namespace", "provision", "--tenants-file", "tenants.yaml", "--json"]);
    expect(provisioned.err).toBe("");
    expect(JSON.parse(provisioned.out).map((t: { namespace: string }) => t.namespace)).toEqual(["acme", "globex"]);
    const inspect = JSON.parse((await run(["namespace", "inspect", "acme", "--json"])).out);
    expect(inspect).toMatchObject({
      path: "acme",
      mounts: { secret: "kv", transit: "transit" },
      policies: ["acme-admin", "acme-reader"],
      quotas: [{ name: "acme-requests", rate: 50 }],
    });

    await new Kv2Api(inNamespace(client, "globex"), "secret").write("svc/api", { key: "globex-key" });
    const refused = await run(["namespace", "migrate", "globex", "acme"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('namespace "acme" is not empty');
    expect(await new Kv2Api(inNamespace(client, "acme"), "secret").read("svc/api")).toBeUndefined();

    const migrated = await run(["namespace", "migrate", "globex", "globex-2", "--delete-source", "--json"]);
    expect(migrated.code).toBe(0);
    expect(JSON.parse(migrated.out)).toMatchObject({ identical: true, sourceDeleted: true, written: { secrets: 1, policies: 2 } });

    const exported = await run(["namespace", "export", "globex-2", "--transit-key", "backup", "--out", "g2.json", "--json"]);
    expect(exported.code).toBe(0);
    expect(statSync(join(dir, "g2.json")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, "g2.json"), "utf8")).not.toContain("globex-key");
    const restored = await run(["namespace", "restore", "g2.json", "globex-3", "--json"]);
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.out)).toMatchObject({ identical: true, namespace: "globex-3" });
    expect((await new Kv2Api(inNamespace(client, "globex-3"), "secret").read("svc/api"))?.data).toEqual({ key: "globex-key" });

    const unconfirmed = await run(["namespace", "delete", "globex-3"]);
    expect(unconfirmed.code).toBe(2);
    expect((await run(["namespace", "delete", "globex-3", "--confirm", "globex-3"])).code).toBe(0);
    expect(JSON.parse((await run(["namespace", "list", "--json"])).out).map((n: { path: string }) => n.path)).toEqual(["acme", "globex-2"]);

    const unknown = await run(["namespace", "inspect", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('namespace "nope" does not exist');
  });

  it("searches and reports on the audit log of this run; the API refuses a device and the stanza is printed", async () => {
    await new Promise((r) => setTimeout(r, 300));
    const search = await run(
      ["audit", "search", "audit.log", "--path", "sys/namespaces/*", "--operations", "x"].slice(0, 5).concat(["--json"]),
    );
    expect(search.code).toBe(0);
    const matches = JSON.parse(search.out).matches as { path: string; operation: string }[];
    expect(matches.map((m) => m.path)).toEqual(expect.arrayContaining(["sys/namespaces/acme", "sys/namespaces/globex"]));
    const report = await run(["audit", "report", "audit.log", "--compliance", "--json"]);
    const findings = Object.fromEntries(
      JSON.parse(report.out).compliance.map((f: { control: string; satisfied: boolean }) => [f.control, f.satisfied]),
    );
    expect(findings).toMatchObject({ "AC-root-use": false, "AC-policy-change": true });
    expect((await run(["audit", "report", "audit.log"])).code).toBe(2);
    const device = await run(["audit", "device", "file", "more", "--option", `file_path=${join(dir, "more.log")}`]);
    expect(device.code).toBe(1);
    expect(device.err).toContain("declarative");
    expect(device.out).toContain('audit "file" "more" {');
    const hashed = await run(["audit", "hash", "file-audit", "--input-env", "T"], { T: server.token });
    expect(hashed.out.trim()).toMatch(/^hmac-sha256:/);
    const byToken = await run(["audit", "search", "audit.log", "--token-hash", hashed.out.trim(), "--json"]);
    expect(JSON.parse(byToken.out).matches.length).toBeGreaterThan(10);
  });
});
