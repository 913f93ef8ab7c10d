/**
 * The servers the acceptance suite applies stacks to: an OpenBao dev server (one node, plain
 * HTTP, in memory) and a 3-node OpenBao Raft cluster with TLS listeners signed by a test CA —
 * the shape of a production deployment. Both are reached the way a user reaches them:
 * terraform through `VAULT_ADDR`/`VAULT_TOKEN` (and `VAULT_CACERT`, a file, for TLS), the runtime
 * through its own client, the harness's raw calls for changes made behind Terraform's back.
 */
import { VaultClient } from "../../../runtime";
import { DevServer, startDevServer } from "../../support/dev-server";
import { HarnessTls, RawAnswer, call } from "../../support/harness-http";
import { RaftCluster, startRaftCluster } from "../../support/raft-cluster";

/** A running server or cluster a stack is applied to. */
export interface DeployTarget {
  /** Short label for test names and figures. */
  readonly label: string;
  /** Every node's API address (one for the dev server). */
  readonly addresses: readonly string[];
  /** Root token. */
  readonly token: string;
  /** The CA of the listeners' certificates, when they serve TLS. */
  readonly caCert?: string;
  /**
   * What terraform is given, as a user would: `VAULT_ADDR` (the active node: a standby would
   * forward writes but, on OpenBao with integrated storage, answer reads from its own replica,
   * which may lag the write the provider just made), `VAULT_TOKEN`, and for TLS `VAULT_CACERT`
   * (the provider reads the CA file from it, like the vault CLI; the stacks name no address, token or CA).
   */
  readonly terraformEnv: Readonly<Record<string, string>>;
  /** The address of the node that reports itself active now. */
  activeAddress(): Promise<string>;
  /** A runtime client for every node (TLS verified against the CA), no cache. */
  client(options?: { namespace?: string; token?: string }): VaultClient;
  /** A raw API call to the active node as root (the harness's own HTTP, not the runtime). */
  call<T>(method: "GET" | "PUT" | "POST" | "DELETE", path: string, body?: unknown): Promise<RawAnswer<T>>;
  /** Stop every process and delete the data. */
  stop(): Promise<void>;
}

function devTarget(server: DevServer): DeployTarget {
  return {
    label: "dev server",
    addresses: [server.address],
    token: server.token,
    terraformEnv: { VAULT_ADDR: server.address, VAULT_TOKEN: server.token },
    activeAddress: () => Promise.resolve(server.address),
    client: (o = {}) =>
      new VaultClient({ address: server.address, token: o.token, ...(o.namespace ? { namespace: o.namespace } : {}), cache: false }),
    call: (method, path, body) => call(server.address, method, path, { token: server.token, body }),
    stop: () => server.stop(),
  };
}

async function clusterTarget(cluster: RaftCluster): Promise<DeployTarget> {
  const pki = cluster.pki;
  if (!pki) throw new Error("the deploy cluster must serve TLS");
  const tls: HarnessTls = { ca: pki.caCert };
  const active = async (): Promise<string> => (await cluster.waitForLeader({ timeoutMs: 30_000 })).address;
  const leader = await active();
  return {
    label: "3-node TLS Raft cluster",
    addresses: cluster.nodes.map((n) => n.address),
    token: cluster.rootToken,
    caCert: pki.caCert,
    terraformEnv: { VAULT_ADDR: leader, VAULT_TOKEN: cluster.rootToken, VAULT_CACERT: pki.files.caCert },
    activeAddress: active,
    client: (o = {}) =>
      new VaultClient({
        addresses: cluster.nodes.map((n) => n.address),
        token: o.token,
        ...(o.namespace ? { namespace: o.namespace } : {}),
        tls: { ca: pki.caCert },
        cache: false,
      }),
    call: async (method, path, body) => call(await active(), method, path, { token: cluster.rootToken, body, tls }),
    stop: () => cluster.stop(),
  };
}

/** The targets every acceptance file runs against, by label, each started on demand. */
export const DEPLOY_TARGETS: readonly (readonly [label: string, start: () => Promise<DeployTarget>])[] = [
  ["dev server", async () => devTarget(await startDevServer("openbao"))],
  [
    "3-node TLS Raft cluster",
    async () => {
      // No KV at `secret/`: the stacks mount their own engines there.
      const cluster = await startRaftCluster("openbao", { nodes: 3, tls: true, mountKv: false });
      try {
        return await clusterTarget(cluster);
      } catch (error) {
        await cluster.stop();
        throw error;
      }
    },
  ],
];
