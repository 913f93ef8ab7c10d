/**
 * A real OpenBao dev server with two declarative audit devices (a file and a socket) in its
 * configuration: 10,000 requests are parsed from both without loss (every request has its
 * response), the API refuses a device with the declarative-only error, and `sys/audit-hash` finds
 * the caller's token in the log without the log holding it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { POLICIES, VaultClient } from "../../../../../runtime";
import { AuditDeviceConfigOnlyError, enableAuditDevice, listAuditDevices } from "../../../../../runtime/ops/audit/audit-devices";
import { auditHash } from "../../../../../runtime/ops/audit/audit-correlator";
import { createAuditPipeline } from "../../../../../runtime/ops/audit/audit-pipeline";
import { AuditSocketReceiver, tailAuditFile } from "../../../../../runtime/ops/audit/audit-sources";
import { DevServer, startDevServer } from "../../../../support/dev-server";

const REQUESTS = 10_000;

describe("audit stream of a real OpenBao dev server (file and socket devices)", () => {
  let server: DevServer;
  let client: VaultClient;
  let dir: string;
  const fileSide = createAuditPipeline({ alerts: false });
  const socketSide = createAuditPipeline({ alerts: false });
  const receiver = new AuditSocketReceiver(socketSide.stream);
  let tail: ReturnType<typeof tailAuditFile>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-audit-"));
    const socketAddress = await receiver.listen();
    const logFile = join(dir, "audit.log");
    server = await startDevServer("openbao", {
      config: [
        `audit "file" "file-audit" {`,
        `  options {`,
        `    file_path = "${logFile}"`,
        `  }`,
        `}`,
        `audit "socket" "socket-audit" {`,
        `  options {`,
        `    address = "${socketAddress}"`,
        `    socket_type = "tcp"`,
        `  }`,
        `}`,
      ].join("\n"),
    });
    client = new VaultClient({ address: server.address, token: server.token, cache: false });
    tail = tailAuditFile(logFile, fileSide.stream, { pollMs: 50 });
  });

  afterAll(async () => {
    await tail?.stop();
    await receiver.close();
    await client?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("has the two devices from its configuration; the API refuses another with the declarative-only error", async () => {
    expect(Object.keys(await listAuditDevices(client)).sort()).toEqual(["file-audit", "socket-audit"]);
    const refused = await enableAuditDevice(client, {
      type: "file",
      path: "api-audit",
      options: { file_path: join(dir, "api.log") },
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuditDeviceConfigOnlyError);
    expect((refused as AuditDeviceConfigOnlyError).message).toContain("declarative");
    expect((refused as AuditDeviceConfigOnlyError).stanza).toContain('audit "file" "api-audit" {');
    expect(Object.keys(await listAuditDevices(client))).not.toContain("api-audit");
  });

  it(`parses ${REQUESTS} requests from both devices without loss`, async () => {
    const kv = client.kv("secret");
    for (let i = 0; i < 20; i++) await kv.write(`load/k${i}`, { v: i });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < REQUESTS) {
        const i = next++;
        await kv.read(`load/k${i % 20}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const loadReads = (side: typeof fileSide): number =>
      side.store?.search({ path: "secret/data/load/*", operations: ["read"] }).length ?? 0;
    await until(() => loadReads(fileSide) >= REQUESTS && loadReads(socketSide) >= REQUESTS, 60_000);
    // A read the client retried (a timeout on this shared machine) is a second request with its own id: at least REQUESTS.
    const idsOf = (side: typeof fileSide): string[] =>
      (side.store?.search({ path: "secret/data/load/*", operations: ["read"] }) ?? []).map((e) => e.id);
    for (const side of [fileSide, socketSide]) {
      expect(side.stream.stats.errors).toBe(0);
      expect(idsOf(side).length).toBeGreaterThanOrEqual(REQUESTS);
      expect(new Set(idsOf(side)).size).toBe(idsOf(side).length);
      expect(side.correlator.pending.filter((r) => r.request.path.startsWith("secret/data/load/"))).toEqual([]);
    }
    expect(idsOf(socketSide).sort()).toEqual(idsOf(fileSide).sort());
  });

  it("finds the caller's token through sys/audit-hash without the log holding it", async () => {
    const hash = await auditHash(client, "file-audit", server.token);
    expect(hash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    await client.kv("secret").read("load/k1");
    await until(() => (fileSide.store?.search({ tokenHash: hash }).length ?? 0) > REQUESTS, 20_000);
    const mine = fileSide.store?.search({ tokenHash: hash }) ?? [];
    expect(mine.length).toBeGreaterThan(REQUESTS);
    expect(mine.every((e) => e.policies.includes("root") && e.authMethod === "token")).toBe(true);
    expect(JSON.stringify(mine.slice(0, 50).map((e) => [e.request, e.response]))).not.toContain(server.token);
  });

  it("ties an application's request to its audit entry by the request id the server answered with", async () => {
    const res = await client.request<{ request_id: string }>({ method: "GET", path: "secret/data/load/k2" }, POLICIES.read);
    const id = res.body?.request_id ?? "";
    expect(id).not.toBe("");
    await until(() => fileSide.store?.byRequestId(id) !== undefined, 20_000);
    expect(fileSide.store?.byRequestId(id)).toMatchObject({ path: "secret/data/load/k2", operation: "read", policies: ["root"] });
  });
});

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
