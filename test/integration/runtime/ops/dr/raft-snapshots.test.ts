import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { VaultClient } from "../../../../../runtime";
import { POLICIES } from "../../../../../runtime/transport/requester";
import { RaftSnapshots } from "../../../../../runtime/ops/dr/raft-snapshots";
import { SnapshotInvalidError } from "../../../../../runtime/ops/dr/snapshot-archive";
import { BackupScheduler, listBackups } from "../../../../../runtime/ops/dr/backup-schedule";
import { KvBackupError, backupKv, restoreKvSelection } from "../../../../../runtime/ops/dr/kv-backup";
import { inventoryEstate } from "../../../../../runtime/ops/estate/estate-checksums";
import { RaftCluster, startRaftCluster } from "../../../../support/raft-cluster";

describe("Raft snapshots and KV backups on a real 1-node OpenBao Raft cluster", () => {
  let cluster: RaftCluster;
  let client: VaultClient;
  let dir: string;

  beforeAll(async () => {
    cluster = await startRaftCluster("openbao", { nodes: 1 });
    client = new VaultClient({ address: cluster.nodes[0].address, token: cluster.rootToken });
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-dr-"));
  });

  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("saves a verified snapshot and rolls the cluster back to it", async () => {
    const kv = client.kv("secret");
    await kv.write("roll/a", { v: "before" });
    const snapshots = new RaftSnapshots(client);
    const snap = await snapshots.save();
    expect(Object.keys(snap.entries).sort()).toEqual(["SHA256SUMS", "SHA256SUMS.sealed", "meta.json", "state.bin"]);
    expect(snap.meta.index).toBeGreaterThan(0);
    await kv.write("roll/a", { v: "after" });
    await kv.write("roll/b", { v: "new" });
    await snapshots.restore(snap.bytes);
    await cluster.waitForLeader();
    const back = await waitForValue(
      () => kv.read("roll/a", { cache: "bypass" }).catch(() => undefined),
      (s) => s?.data.v === "before",
    );
    expect(back?.data).toEqual({ v: "before" });
    expect(await kv.read("roll/b", { cache: "bypass" })).toBeUndefined();
  });

  it("refuses a truncated or corrupted snapshot with a clear error and changes nothing", async () => {
    const kv = client.kv("secret");
    await kv.write("guard/x", { v: "kept" });
    const snapshots = new RaftSnapshots(client);
    const snap = await snapshots.save();
    const before = await inventoryEstate(client, { kvMounts: ["secret"] });

    const truncated = snap.bytes.subarray(0, Math.floor(snap.bytes.length / 2));
    const e1 = await snapshots.restore(truncated, { force: true }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(SnapshotInvalidError);
    expect((e1 as Error).message).toMatch(/gzip|truncated/);

    // Flip one byte of state.bin inside an otherwise valid archive: the SHA256SUMS check names it.
    const tar = Buffer.from(gunzipSync(snap.bytes));
    const at = tar.indexOf(Buffer.from("state.bin"));
    const dataStart = Math.ceil((at + 1) / 512) * 512;
    tar[dataStart + 10] ^= 0xff;
    const e2 = await snapshots.restore(gzipSync(tar), { force: true }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(SnapshotInvalidError);
    expect((e2 as SnapshotInvalidError).file).toBe("state.bin");

    const after = await inventoryEstate(client, { kvMounts: ["secret"] });
    expect(after.digest).toBe(before.digest);
    expect((await kv.read("guard/x"))?.data).toEqual({ v: "kept" });
  });

  it("writes scheduled backups as 0600 files and keeps only the newest by retention", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const clock = { now: () => now, schedule: () => () => undefined };
    const scheduler = new BackupScheduler(new RaftSnapshots(client), { dir, intervalMs: 60_000, retention: { keepLast: 2 }, clock });
    const runs = [];
    for (let i = 0; i < 4; i++) {
      runs.push(await scheduler.runOnce());
      now += 60_000;
    }
    const files = await listBackups(dir);
    expect(files.map((f) => f.path)).toEqual([runs[2].written.path, runs[3].written.path]);
    expect(runs[3].pruned).toEqual([runs[1].written.path]);
    expect(statSync(files[1].path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("restores exactly the chosen secrets from a transit-encrypted backup", async () => {
    await client.request({ method: "POST", path: "sys/mounts/transit", body: { type: "transit" } }, POLICIES.idempotentWrite);
    await client.transit("transit").createKey("backup");
    const kv = client.kv("secret");
    await kv.write("sel/db", { password: "original-db" });
    await kv.write("sel/api", { token: "original-api" });
    await kv.write("sel/other", { v: "original-other" });
    const backup = await backupKv(client, { mount: "secret", prefix: "sel", transitKey: "backup" });
    expect(backup.count).toBe(3);
    expect(JSON.stringify(backup)).not.toContain("original-db");
    expect(JSON.stringify(backup)).not.toContain("sel/db");

    await kv.write("sel/db", { password: "overwritten" });
    await kv.write("sel/api", { token: "overwritten" });
    await kv.write("sel/other", { v: "overwritten" });

    const missing = await restoreKvSelection(client, backup, ["sel/db", "sel/nope"]).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(KvBackupError);
    expect((missing as Error).message).toContain('"sel/nope"');
    expect((await kv.read("sel/db", { cache: "bypass" }))?.data).toEqual({ password: "overwritten" });

    const tampered = await restoreKvSelection(client, { ...backup, payloadSha256: "0".repeat(64) }, ["sel/db"]).catch((e: unknown) => e);
    expect(tampered).toBeInstanceOf(KvBackupError);

    const result = await restoreKvSelection(client, backup, ["sel/db"]);
    expect(result.restored).toEqual(["sel/db"]);
    expect((await kv.read("sel/db", { cache: "bypass" }))?.data).toEqual({ password: "original-db" });
    expect((await kv.read("sel/api", { cache: "bypass" }))?.data).toEqual({ token: "overwritten" });
    expect((await kv.read("sel/other", { cache: "bypass" }))?.data).toEqual({ v: "overwritten" });
  });
});

async function waitForValue<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}
