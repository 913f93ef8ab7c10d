import { CertificatePinMismatchError, VaultClient, VaultConnectionError, spkiPin } from "../../../../runtime";
import { RaftCluster, startRaftCluster } from "../../../support/raft-cluster";
import { selectedFlavors } from "../../../support/server-binaries";

describe.each(selectedFlavors())("certificate pinning against a real %s TLS listener", (flavor) => {
  let cluster: RaftCluster;

  beforeAll(async () => {
    cluster = await startRaftCluster(flavor, { nodes: 1, tls: true, mountKv: false });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it.each([
    ["the server certificate's key", () => spkiPin(cluster.pki?.server.cert ?? "")],
    ["the CA's key", () => spkiPin(cluster.pki?.caCert ?? "")],
  ])("connects when the pin is %s", async (_label, pin) => {
    const client = new VaultClient({ address: cluster.nodes[0].address, tls: { ca: cluster.caCert, pins: [pin()] } });
    try {
      expect((await client.sys.health()).state).toBe("active");
    } finally {
      await client.close();
    }
  });

  it("refuses the connection at once, with a typed error naming the presented pins, when no pin matches", async () => {
    const wrong = spkiPin(cluster.pki?.client.cert ?? "");
    const client = new VaultClient({
      address: cluster.nodes[0].address,
      token: cluster.rootToken,
      tls: { ca: cluster.caCert, pins: [wrong] },
    });
    try {
      const started = Date.now();
      const failure = await client.sys.health().catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(failure).toBeInstanceOf(VaultConnectionError);
      const cause = (failure as VaultConnectionError).cause;
      expect(cause).toBeInstanceOf(CertificatePinMismatchError);
      expect((cause as CertificatePinMismatchError).presented).toContain(spkiPin(cluster.pki?.server.cert ?? ""));
      expect(String(failure)).not.toContain(cluster.rootToken);
    } finally {
      await client.close();
    }
  });
});
