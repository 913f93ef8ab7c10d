import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuditStream } from "../../../../../runtime/ops/audit/audit-stream";
import { AuditSocketReceiver, tailAuditFile } from "../../../../../runtime/ops/audit/audit-sources";

const line = (id: string): string =>
  `${JSON.stringify({ time: "2026-01-01T00:00:00Z", type: "request", auth: {}, request: { id, path: "p", operation: "read" } })}\n`;

async function until(done: () => boolean): Promise<void> {
  const end = Date.now() + 5_000;
  while (!done()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("audit sources", () => {
  it("tails a file across appends and a rotation, from the start or from the end", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vaultsmith-tail-"));
    try {
      const file = join(dir, "audit.log");
      writeFileSync(file, line("old"));
      const stream = new AuditStream();
      const ids: string[] = [];
      stream.on("event", (e: { request: { id: string } }) => ids.push(e.request.id));
      const fromEnd = new AuditStream();
      const endIds: string[] = [];
      fromEnd.on("event", (e: { request: { id: string } }) => endIds.push(e.request.id));
      const tail = tailAuditFile(file, stream, { pollMs: 10 });
      const tailEnd = tailAuditFile(file, fromEnd, { pollMs: 10, fromStart: false });
      await until(() => ids.length === 1);
      appendFileSync(file, line("a").slice(0, 20));
      await new Promise((r) => setTimeout(r, 50));
      appendFileSync(file, line("a").slice(20) + line("b"));
      await until(() => ids.length === 3);
      renameSync(file, join(dir, "audit.log.1"));
      writeFileSync(file, line("c"));
      await until(() => ids.length === 4);
      await tail.stop();
      await tailEnd.stop();
      expect(ids).toEqual(["old", "a", "b", "c"]);
      expect(endIds).toEqual(["a", "b", "c"]);
      expect(tail.bytesRead).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("receives several socket connections without splicing their partial lines", async () => {
    const stream = new AuditStream();
    const ids: string[] = [];
    stream.on("event", (e: { request: { id: string } }) => ids.push(e.request.id));
    const receiver = new AuditSocketReceiver(stream);
    const [host, port] = (await receiver.listen()).split(":");
    const a = connect(Number(port), host);
    const b = connect(Number(port), host);
    await Promise.all([a, b].map((s) => new Promise((r) => s.once("connect", r))));
    a.write(line("x").slice(0, 30));
    b.write(line("y"));
    await until(() => ids.length === 1);
    a.write(line("x").slice(30));
    await until(() => ids.length === 2);
    a.end();
    b.end();
    await receiver.close();
    expect(ids).toEqual(["y", "x"]);
    expect(stream.stats.errors).toBe(0);
  });
});
