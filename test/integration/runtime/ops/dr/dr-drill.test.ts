import { VaultClient } from "../../../../../runtime";
import { POLICIES } from "../../../../../runtime/transport/requester";
import { runDrDrill } from "../../../../../runtime/ops/dr/dr-drill";
import { RaftCluster, startRaftCluster } from "../../../../support/raft-cluster";

/**
 * The drill on a real 3-node Raft cluster: secrets in two mounts and policies, snapshot,
 * destroy every node and its data, build a new cluster (new keys), restore, unseal with the old
 * keys, compare checksums of everything.
 */
describe("DR drill on a 3-node OpenBao Raft cluster", () => {
  let original: RaftCluster | undefined;
  let rebuilt: RaftCluster | undefined;
  const clients: VaultClient[] = [];

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await original?.stop();
    await rebuilt?.stop();
  });

  it("restores every secret and policy bit-identical and reports the recovery time", async () => {
    const source = await startRaftCluster("openbao", { nodes: 3 });
    original = source;
    const client = new VaultClient({ addresses: source.nodes.map((n) => n.address), token: source.rootToken });
    clients.push(client);
    await client.request(
      { method: "POST", path: "sys/mounts/team", body: { type: "kv", options: { version: "2" } } },
      POLICIES.idempotentWrite,
    );
    for (let i = 0; i < 20; i++)
      await client.kv("secret").write(`apps/app-${i}/db`, { user: `u${i}`, password: `p-${i}-${"x".repeat(i)}` });
    await client.kv("team").write("shared/api", { key: "k", nested: { a: [1, 2, 3] } });
    await client.request(
      { method: "PUT", path: "sys/policies/acl/app-read", body: { policy: 'path "secret/data/apps/*" { capabilities = ["read"] }' } },
      POLICIES.idempotentWrite,
    );
    await client.request(
      {
        method: "PUT",
        path: "sys/policies/acl/team-admin",
        body: { policy: 'path "team/*" { capabilities = ["create", "read", "update", "delete", "list"] }' },
      },
      POLICIES.idempotentWrite,
    );
    const keys = source.keys;

    const report = await runDrDrill(
      client,
      {
        destroy: async () => {
          await source.stop();
        },
        rebuild: async () => {
          rebuilt = await startRaftCluster("openbao", { nodes: 3, mountKv: false });
          const fresh = new VaultClient({ addresses: rebuilt.nodes.map((n) => n.address), token: rebuilt.rootToken });
          clients.push(fresh);
          return fresh;
        },
        afterRestore: async () => {
          const target = rebuilt as RaftCluster;
          target.adoptKeys(keys);
          for (let i = 0; i < 3; i++) await target.unseal(i);
          await target.waitForLeader();
          const restored = new VaultClient({ addresses: target.nodes.map((n) => n.address), token: keys.rootToken });
          clients.push(restored);
          return restored;
        },
      },
      { kvMounts: ["secret", "team"] },
    );

    expect(report.identical).toBe(true);
    expect(report.diff).toEqual({ missing: [], changed: [], extra: [] });
    expect(report.verified).toEqual({ secrets: 21, policies: 2 });
    expect(report.digests.after).toBe(report.digests.before);
    expect(report.recoveryMs).toBeGreaterThan(0);
    expect(report.recoveryMs).toBeGreaterThanOrEqual(report.phasesMs.rebuild + report.phasesMs.restore + report.phasesMs.verify);
    process.stderr.write(`DR drill: ${JSON.stringify(report.phasesMs)} recovery ${report.recoveryMs} ms\n`);
  });
});
