/**
 * The encrypted audit stream OpenBao 2.6.1 offers: its `http` device POSTing each entry over
 * HTTPS to the receiver (a certificate from a test CA the server trusts through SSL_CERT_FILE,
 * an Authorization header from the device's `headers` option). Every request arrives with its
 * response, and the set equals the file device's.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VaultClient } from "../../../../../runtime";
import { createAuditPipeline } from "../../../../../runtime/ops/audit/audit-pipeline";
import { AuditHttpReceiver, tailAuditFile } from "../../../../../runtime/ops/audit/audit-sources";
import { DevServer, startDevServer } from "../../../../support/dev-server";
import { createTestPki } from "../../../../support/tls-ca";

describe("audit over HTTPS from a real OpenBao http audit device", () => {
  let server: DevServer;
  let client: VaultClient;
  let dir: string;
  const overTls = createAuditPipeline({ alerts: false });
  const fromFile = createAuditPipeline({ alerts: false });
  const receiver = new AuditHttpReceiver(overTls.stream);
  let tail: ReturnType<typeof tailAuditFile>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-audit-https-"));
    const pki = await createTestPki(dir);
    const uri = await receiver.listen({ tls: pki.server, authorization: "Bearer audit-ingest-1" });
    const headers = JSON.stringify({ Authorization: ["Bearer audit-ingest-1"] }).replace(/"/g, '\\"');
    server = await startDevServer("openbao", {
      env: { SSL_CERT_FILE: pki.files.caCert },
      config: [
        `audit "http" "siem" {\n  options {\n    uri = "${uri}"\n    headers = "${headers}"\n  }\n}`,
        `audit "file" "file-audit" {\n  options {\n    file_path = "${join(dir, "audit.log")}"\n  }\n}`,
      ].join("\n"),
    });
    client = new VaultClient({ address: server.address, token: server.token, cache: false });
    tail = tailAuditFile(join(dir, "audit.log"), fromFile.stream, { pollMs: 50 });
  });

  afterAll(async () => {
    await tail?.stop();
    await receiver.close();
    await client?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("receives every request and response over TLS, as the file device logs them", async () => {
    const kv = client.kv("secret");
    await kv.write("tls/a", { v: 1 });
    for (let i = 0; i < 300; i++) await kv.read("tls/a");
    const ids = (p: typeof overTls): string[] => (p.store?.search({ path: "secret/data/tls/a" }) ?? []).map((e) => e.id).sort();
    const end = Date.now() + 20_000;
    while ((ids(overTls).length < 301 || ids(fromFile).length < 301) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(overTls.stream.stats.errors).toBe(0);
    expect(ids(overTls).length).toBeGreaterThanOrEqual(301);
    expect(ids(overTls)).toEqual(ids(fromFile));
    expect(overTls.correlator.pending.filter((r) => r.request.path === "secret/data/tls/a")).toEqual([]);
  });

  it("refuses a POST without the expected Authorization header", async () => {
    const before = overTls.stream.stats.events;
    const open = new AuditHttpReceiver(overTls.stream);
    const url = await open.listen();
    const res = await fetch(url, { method: "POST", body: "{}" });
    expect(res.status).toBe(204);
    await open.close();
    const guarded = new AuditHttpReceiver(overTls.stream);
    const guardedUrl = await guarded.listen({ authorization: "Bearer x" });
    expect((await fetch(guardedUrl, { method: "POST", body: "{}" })).status).toBe(401);
    expect((await fetch(guardedUrl, { method: "GET" })).status).toBe(405);
    await guarded.close();
    // The unauthenticated `{}` was received and refused as not an entry; the others never reached the stream.
    expect(overTls.stream.stats.events).toBe(before);
  });
});
