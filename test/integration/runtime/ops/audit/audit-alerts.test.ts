/**
 * Each alert rule against a real OpenBao dev server's file audit device: a normal workload (a
 * known user reading its secrets from one address) raises nothing; each scripted incident raises
 * its rule, named by the incident's own request, as an event and as a webhook POST.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { IncomingMessage, createServer, request as httpRequest } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VaultClient } from "../../../../../runtime";
import { POLICIES } from "../../../../../runtime/transport/requester";
import { AuditAlert, WebhookAlertSink } from "../../../../../runtime/ops/audit/audit-alerts";
import { createAuditPipeline } from "../../../../../runtime/ops/audit/audit-pipeline";
import { tailAuditFile } from "../../../../../runtime/ops/audit/audit-sources";
import { DevServer, startDevServer } from "../../../../support/dev-server";

describe("audit alert rules on a real OpenBao dev server", () => {
  let server: DevServer;
  let root: VaultClient;
  let dir: string;
  let tail: ReturnType<typeof tailAuditFile> | undefined;
  let alice: { token: string; entity: string };
  let bob: { token: string };
  let breakGlassToken: string;
  const webhook: AuditAlert[] = [];
  const hook = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      webhook.push(JSON.parse(body) as AuditAlert);
      res.writeHead(204).end();
    });
  });

  const login = async (user: string): Promise<{ token: string; entity: string }> => {
    const res = await root.request<{ auth: { client_token: string; entity_id: string } }>(
      { method: "POST", path: `auth/userpass/login/${user}`, body: { password: `${user}-password-1` }, unauthenticated: true },
      POLICIES.creatingWrite,
    );
    return { token: res.body?.auth.client_token ?? "", entity: res.body?.auth.entity_id ?? "" };
  };
  const readAs = (token: string, path: string): Promise<number> =>
    root
      .request({ method: "GET", path, headers: { "X-Vault-Token": token }, acceptStatus: [403, 404] }, POLICIES.read)
      .then((r) => r.status);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-alerts-"));
    server = await startDevServer("openbao", {
      config: `audit "file" "file-audit" {\n  options {\n    file_path = "${join(dir, "audit.log")}"\n  }\n}\n`,
    });
    root = new VaultClient({ address: server.address, token: server.token, cache: false });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
    const w = (path: string, body: unknown): Promise<unknown> => root.request({ method: "POST", path, body }, POLICIES.idempotentWrite);
    await w("sys/auth/userpass", { type: "userpass" });
    await w("sys/policies/acl/app", { policy: 'path "secret/data/app/*" { capabilities = ["read"] }' });
    await w("sys/policies/acl/break-glass", { policy: 'path "secret/*" { capabilities = ["read", "list"] }' });
    await w("auth/userpass/users/alice", { password: "alice-password-1", token_policies: "app" });
    await w("auth/userpass/users/bob", { password: "bob-password-1", token_policies: "app" });
    await root.kv("secret").write("app/config", { v: 1 });
    alice = await login("alice");
    bob = await login("bob");
    const bg = await root.request<{ auth: { client_token: string } }>(
      {
        method: "POST",
        path: "auth/token/create",
        body: { policies: ["break-glass"], no_default_policy: true, display_name: "emergency" },
      },
      POLICIES.creatingWrite,
    );
    breakGlassToken = bg.body?.auth.client_token ?? "";
  });

  afterAll(async () => {
    await tail?.stop();
    await new Promise((r) => hook.close(r));
    await root?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("stays quiet on a normal workload and fires each rule on its scripted incident", async () => {
    const pipeline = createAuditPipeline({
      alerts: {
        knownEntities: [alice.entity],
        breakGlass: { policies: ["break-glass"] },
        permissionDenied: { threshold: 5, windowMs: 60_000 },
      },
    });
    const alerts: AuditAlert[] = [];
    pipeline.alerts?.on("alert", (a: AuditAlert) => alerts.push(a));
    new WebhookAlertSink(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts`).attach(pipeline.alerts as never);
    // Start after the setup (root-token work): the workload and the incidents only.
    tail = tailAuditFile(join(dir, "audit.log"), pipeline.stream, { fromStart: false, pollMs: 20 });
    await new Promise((r) => setTimeout(r, 200));

    // The normal workload: alice reads her secrets, from one address.
    for (let i = 0; i < 40; i++) expect(await readAs(alice.token, "secret/data/app/config")).toBe(200);
    await until(() => (pipeline.store?.search({ path: "secret/data/app/config" }).length ?? 0) >= 40);
    expect(alerts).toEqual([]);

    const fired = async (rule: AuditAlert["rule"], path: string): Promise<AuditAlert> => {
      await until(() => alerts.some((a) => a.rule === rule && a.path === path));
      return alerts.find((a) => a.rule === rule && a.path === path) as AuditAlert;
    };

    // Root token use.
    await root.request({ method: "GET", path: "sys/mounts" }, POLICIES.read);
    expect((await fired("root-token-use", "sys/mounts")).severity).toBe("critical");
    // Policy write.
    await root.request(
      { method: "PUT", path: "sys/policies/acl/sneaky", body: { policy: 'path "*" { capabilities = ["sudo"] }' } },
      POLICIES.idempotentWrite,
    );
    await fired("policy-write", "sys/policies/acl/sneaky");
    // Repeated permission denied: alice probes what she may not read.
    for (let i = 0; i < 5; i++) expect(await readAs(alice.token, "secret/data/payroll")).toBe(403);
    expect((await fired("repeated-permission-denied", "secret/data/payroll")).entityId).toBe(alice.entity);
    // Break-glass token use.
    expect(await readAs(breakGlassToken, "secret/data/app/config")).toBe(200);
    await until(() => alerts.some((a) => a.rule === "break-glass-use"));
    // Unknown entity: bob was never on the known list.
    expect(await readAs(bob.token, "secret/data/app/config")).toBe(200);
    await until(() => alerts.some((a) => a.rule === "unknown-entity"));
    // New address: alice's token from 127.0.0.2.
    expect(await readFrom("127.0.0.2", server.address, alice.token, "secret/data/app/config")).toBe(200);
    const moved = await until(() => alerts.find((a) => a.rule === "new-address"));
    expect(moved.remoteAddress).toBe("127.0.0.2");
    expect(moved.entityId).toBe(alice.entity);

    const rules = new Set(alerts.map((a) => a.rule));
    expect([...rules].sort()).toEqual([
      "break-glass-use",
      "new-address",
      "policy-write",
      "repeated-permission-denied",
      "root-token-use",
      "unknown-entity",
    ]);
    // Only these incidents: the break-glass read and bob's read raised nothing else.
    expect(alerts.filter((a) => a.rule === "unknown-entity").map((a) => a.entityId)).not.toContain(alice.entity);
    expect(alerts.filter((a) => a.rule === "new-address")).toHaveLength(1);
    await until(() => webhook.length === alerts.length);
    expect(webhook.map((a) => a.requestId).sort()).toEqual(alerts.map((a) => a.requestId).sort());
    expect(JSON.stringify(webhook)).not.toContain(alice.token);
  });
});

/** One GET from a chosen loopback source address (the runtime's transport has no such option; this is the test's own caller). */
function readFrom(localAddress: string, address: string, token: string, path: string): Promise<number> {
  const url = new URL(`/v1/${path}`, address);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, localAddress, headers: { "x-vault-token": token } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function until<T>(probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
