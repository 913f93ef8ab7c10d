import { VaultClient } from "../../../runtime";
import { call } from "../../support/harness-http";
import { RaftCluster, startRaftCluster } from "../../support/raft-cluster";
import { selectedFlavors } from "../../support/server-binaries";

interface RaftConfig {
  data: { config: { servers: { node_id: string; leader: boolean; voter: boolean }[] } };
}

describe.each(selectedFlavors())("3-node Raft cluster of real %s servers", (flavor) => {
  let cluster: RaftCluster;

  beforeAll(async () => {
    cluster = await startRaftCluster(flavor, { nodes: 3 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it("has a known leader and three voters", async () => {
    const leader = await cluster.waitForLeader();
    const res = await call<RaftConfig>(leader.address, "GET", "sys/storage/raft/configuration", { token: cluster.rootToken });
    const servers = res.body.data.config.servers;
    expect(servers.map((s) => s.node_id).sort()).toEqual(["n1", "n2", "n3"]);
    expect(servers.every((s) => s.voter)).toBe(true);
    expect(servers.filter((s) => s.leader).map((s) => s.node_id)).toEqual([leader.id]);

    for (const node of cluster.nodes) {
      const client = new VaultClient({ address: node.address });
      try {
        const health = await client.sys.health();
        expect(health.state).toBe(node.id === leader.id ? "active" : "standby");
      } finally {
        await client.close();
      }
    }
  });

  it("elects a new leader when the leader is killed, keeps acknowledged writes, and takes the node back", async () => {
    const before = await cluster.waitForLeader();
    const writer = new VaultClient({ address: before.address, token: cluster.rootToken });
    const written = await writer.kv().write("failover/marker", { value: "before-kill" });
    await writer.close();

    await cluster.stopNode(cluster.indexOf(before.id), "SIGKILL");
    const after = await cluster.waitForLeader({ exclude: [before.id], timeoutMs: 30_000 });
    expect(after.id).not.toBe(before.id);

    const reader = new VaultClient({ address: after.address, token: cluster.rootToken });
    try {
      const read = await reader.kv().read("failover/marker");
      expect(read?.data).toEqual({ value: "before-kill" });
      expect(read?.metadata.version).toBe(written.version);
      expect((await reader.kv().write("failover/marker", { value: "after-kill" })).version).toBe(written.version + 1);
    } finally {
      await reader.close();
    }

    const index = cluster.indexOf(before.id);
    cluster.startNode(index);
    await cluster.unseal(index);
    const rejoined = new VaultClient({ address: before.address });
    try {
      let state = "";
      for (let i = 0; i < 100 && state !== "standby"; i++) {
        state = (await rejoined.sys.health()).state;
        if (state !== "standby") await new Promise((r) => setTimeout(r, 200));
      }
      expect(state).toBe("standby");
    } finally {
      await rejoined.close();
    }
  });
});
