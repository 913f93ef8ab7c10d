import { HttpTransport, TlsOptions } from "../../../../../runtime";
import { AuthLoginError, CertAuth } from "../../../../../runtime";
import { RaftCluster, startRaftCluster } from "../../../../support/raft-cluster";
import { selectedFlavors } from "../../../../support/server-binaries";
import { AdminTarget, admin, enableAuth, writePolicy } from "../../../../support/vault-admin";

describe.each(selectedFlavors())("TLS certificate login against a real %s server over mutual TLS", (flavor) => {
  let cluster: RaftCluster;
  let target: AdminTarget;

  beforeAll(async () => {
    cluster = await startRaftCluster(flavor, { nodes: 1, tls: true, mountKv: false });
    const pki = cluster.pki;
    if (!pki) throw new Error("the cluster was started without TLS");
    target = {
      address: cluster.nodes[0].address,
      token: cluster.rootToken,
      tls: { ca: pki.caCert, cert: pki.client.cert, key: pki.client.key },
    };
    await enableAuth(target, "cert", "tls-clients");
    await writePolicy(target, "svc-tls", 'path "secret/data/tls/*" { capabilities = ["read"] }');
    await admin(target, "POST", "auth/tls-clients/certs/test-ca", {
      certificate: pki.caCert,
      allowed_common_names: ["vaultsmith-test-client"],
      token_policies: ["svc-tls"],
      token_ttl: "30m",
    });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  /** Trust for the server: the test CA. */
  function serverTrust(): TlsOptions {
    return { ca: cluster.pki!.caCert };
  }

  it("logs in with the client certificate the transport presents", async () => {
    const pki = cluster.pki!;
    const transport = new HttpTransport({
      address: target.address,
      tls: { ...serverTrust(), cert: pki.client.cert, key: pki.client.key },
    });
    try {
      const result = await new CertAuth({ role: "test-ca", mountPath: "tls-clients" }).login(transport);
      expect(result.tokenPolicies).toEqual(expect.arrayContaining(["svc-tls"]));
      expect(result.leaseDurationSeconds).toBe(1800);
      expect(result.metadata).toMatchObject({ cert_name: "test-ca", common_name: "vaultsmith-test-client" });
      const unnamed = await new CertAuth({ mountPath: "tls-clients" }).login(transport);
      expect(unnamed.tokenPolicies).toEqual(expect.arrayContaining(["svc-tls"]));
    } finally {
      await transport.close();
    }
  });

  it("refuses a transport without a client certificate with a typed error", async () => {
    const transport = new HttpTransport({ address: target.address, tls: serverTrust() });
    try {
      const failure = await new CertAuth({ mountPath: "tls-clients" }).login(transport).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AuthLoginError);
      const error = failure as AuthLoginError;
      expect(error).toMatchObject({ authMethod: "cert", mountPath: "tls-clients", path: "auth/tls-clients/login" });
      expect([400, 403]).toContain(error.status);
      expect(String(error)).not.toContain("PRIVATE KEY");
    } finally {
      await transport.close();
    }
  });
});
