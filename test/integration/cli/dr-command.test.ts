/**
 * `vaultsmith dr` against real 1-node OpenBao Raft clusters: snapshot save/verify, a truncated
 * file refused with exit 2 and nothing sent, restore needing --yes, and a drill that restores the
 * source into a second, freshly initialised cluster and verifies every secret by checksum.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../cli/main";
import { VaultClient } from "../../../runtime";
import { POLICIES } from "../../../runtime/transport/requester";
import { RaftCluster, startRaftCluster } from "../../support/raft-cluster";

describe("vaultsmith dr against real OpenBao Raft clusters", () => {
  let source: RaftCluster;
  let target: RaftCluster;
  let client: VaultClient;
  let dir: string;

  const run = async (args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> => {
    let out = "";
    let err = "";
    const code = await main(["dr", ...args], {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      env: { VAULT_ADDR: source.nodes[0].address, VAULT_TOKEN: source.rootToken, ...env },
      cwd: dir,
    });
    return { code, out, err };
  };

  beforeAll(async () => {
    [source, target] = await Promise.all([
      startRaftCluster("openbao", { nodes: 1 }),
      startRaftCluster("openbao", { nodes: 1, mountKv: false }),
    ]);
    client = new VaultClient({ address: source.nodes[0].address, token: source.rootToken });
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-dr-cli-"));
    for (let i = 0; i < 5; i++) await client.kv("secret").write(`cli/s${i}`, { v: `value-${i}` });
    await client.request(
      { method: "PUT", path: "sys/policies/acl/reader", body: { policy: 'path "secret/*" { capabilities = ["read"] }' } },
      POLICIES.idempotentWrite,
    );
  });

  afterAll(async () => {
    await client?.close();
    await source?.stop();
    await target?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("saves and verifies a snapshot; a truncated one is bad input (exit 2) and restore asks for --yes", async () => {
    const saved = await run(["snapshot", "save", "a.snap", "--json"]);
    expect(saved.code).toBe(0);
    expect(JSON.parse(saved.out).raftIndex).toBeGreaterThan(0);
    const verified = await run(["snapshot", "verify", "a.snap", "--json"]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.out)).toMatchObject({ valid: true, sha256: JSON.parse(saved.out).sha256 });

    const bytes = readFileSync(join(dir, "a.snap"));
    writeFileSync(join(dir, "cut.snap"), bytes.subarray(0, bytes.length - 100));
    const cut = await run(["snapshot", "verify", "cut.snap"]);
    expect(cut.code).toBe(2);
    expect(cut.err).toContain("invalid Raft snapshot");
    const cutRestore = await run(["snapshot", "restore", "cut.snap", "--yes"]);
    expect(cutRestore.code).toBe(2);

    const unconfirmed = await run(["snapshot", "restore", "a.snap"]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toContain("--yes");
    expect((await client.kv("secret").read("cli/s1"))?.data).toEqual({ v: "value-1" });
  });

  it("runs a drill into a second cluster: identical estate and a measured recovery time", async () => {
    writeFileSync(join(dir, "unseal.keys"), `${source.keys.unsealKey}\n`, { mode: 0o600 });
    const drill = await run(
      ["drill", "--target", target.nodes[0].address, "--unseal-key-file", "unseal.keys", "--kv-mount", "secret", "--json"],
      { DR_TARGET_TOKEN: target.rootToken },
    );
    expect(drill.err).toBe("");
    expect(drill.code).toBe(0);
    const report = JSON.parse(drill.out);
    expect(report.identical).toBe(true);
    expect(report.verified).toEqual({ secrets: 5, policies: 1 });
    expect(report.recoveryMs).toBeGreaterThan(0);
    // The target now serves the source's data with the source's token.
    target.adoptKeys(source.keys);
    const restored = new VaultClient({ address: target.nodes[0].address, token: source.rootToken });
    try {
      expect((await restored.kv("secret").read("cli/s3"))?.data).toEqual({ v: "value-3" });
    } finally {
      await restored.close();
    }
  });

  it("renders replication calls and refuses a DR promotion without an operation token", async () => {
    const ok = await run(["replication", "dr", "promote-secondary", "--dr-operation-token-env", "OPTOK", "--json"], { OPTOK: "s.secret" });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toEqual({
      method: "POST",
      path: "sys/replication/dr/secondary/promote",
      body: { dr_operation_token: "<redacted>" },
      requires: ["dr-operation-token"],
    });
    expect(ok.out).not.toContain("s.secret");
    const missing = await run(["replication", "dr", "promote-secondary"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("drOperationToken");
  });
});
