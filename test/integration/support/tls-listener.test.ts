import { VaultClient, VaultConnectionError } from "../../../runtime";
import { RaftCluster, startRaftCluster } from "../../support/raft-cluster";
import { selectedFlavors } from "../../support/server-binaries";

describe.each(selectedFlavors())("TLS listener of a real %s server with a test CA", (flavor) => {
  describe("server authentication", () => {
    let cluster: RaftCluster;

    beforeAll(async () => {
      cluster = await startRaftCluster(flavor, { nodes: 1, tls: true });
    });

    afterAll(async () => {
      await cluster?.stop();
    });

    it("serves https to a client that trusts the CA, and KV works over it", async () => {
      const address = cluster.nodes[0].address;
      expect(address.startsWith("https://127.0.0.1:")).toBe(true);
      const client = new VaultClient({ address, token: cluster.rootToken, tls: { ca: cluster.caCert } });
      try {
        expect((await client.sys.health()).state).toBe("active");
        expect((await client.kv().write("tls/probe", { ok: true })).version).toBe(1);
      } finally {
        await client.close();
      }
    });

    it("refuses the connection when the client does not trust the CA", async () => {
      const client = new VaultClient({ address: cluster.nodes[0].address, timeoutMs: 3_000 });
      try {
        const failure = await client.sys.health().catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(VaultConnectionError);
        expect((failure as Error).message).toMatch(/certificate/i);
      } finally {
        await client.close();
      }
    });
  });

  describe("mutual TLS", () => {
    let cluster: RaftCluster;

    beforeAll(async () => {
      cluster = await startRaftCluster(flavor, { nodes: 1, tls: true, requireClientCert: true });
    });

    afterAll(async () => {
      await cluster?.stop();
    });

    it("accepts a client certificate signed by the CA and rejects a client without one", async () => {
      const pki = cluster.pki;
      if (!pki) throw new Error("TLS cluster has no PKI");
      const address = cluster.nodes[0].address;
      const withCert = new VaultClient({ address, tls: { ca: pki.caCert, cert: pki.client.cert, key: pki.client.key } });
      const without = new VaultClient({ address, tls: { ca: pki.caCert }, timeoutMs: 3_000 });
      try {
        expect((await withCert.sys.health()).state).toBe("active");
        const failure = await without.sys.health().catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(VaultConnectionError);
      } finally {
        await withCert.close();
        await without.close();
      }
    });
  });
});
