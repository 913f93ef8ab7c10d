/**
 * A real Raft cluster on loopback: N nodes (1 or 3 in practice), Shamir 1-of-1, joined with
 * `retry_join`, fast elections (`performance_multiplier = 1`), optionally TLS on the API
 * listener with a CA the test creates. Nodes can be stopped, killed, restarted and unsealed.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HarnessTls, call, waitFor } from "./harness-http";
import { freePort } from "./ports";
import { serverTempDir } from "./run-registry";
import { ServerFlavor, requireServerBinary } from "./server-binaries";
import { ServerProcess } from "./server-process";
import { TestPki, createTestPki } from "./tls-ca";

/** Options of {@link startRaftCluster}. */
export interface RaftClusterOptions {
  /** Number of nodes. @default 3 */
  readonly nodes?: number;
  /** Serve the API over TLS with a fresh test CA. @default false */
  readonly tls?: boolean;
  /** Require a client certificate signed by the test CA on the API listener (needs `tls`). @default false */
  readonly requireClientCert?: boolean;
  /** Enable KV v2 at `secret/` once the cluster is up. @default true */
  readonly mountKv?: boolean;
  /** Deadline for start-up, in milliseconds. @default 60000 */
  readonly timeoutMs?: number;
}

/** One node of the cluster. */
export interface RaftNode {
  /** Raft node id (`n1`, `n2`, ...). */
  readonly id: string;
  /** API address, `http(s)://127.0.0.1:<port>`. */
  readonly address: string;
  /** True while its process runs. */
  readonly isRunning: boolean;
}

interface NodeState {
  readonly id: string;
  readonly address: string;
  readonly configFile: string;
  readonly home: string;
  proc: ServerProcess | undefined;
}

interface LeaderBody {
  readonly ha_enabled: boolean;
  readonly is_self: boolean;
  readonly leader_address: string;
}

/** A running cluster. Always call {@link RaftCluster.stop}. */
export class RaftCluster {
  private unsealKey = "";
  private token = "";

  private constructor(
    /** Which server this is. */
    public readonly flavor: ServerFlavor,
    private readonly binary: string,
    private readonly dir: string,
    private readonly state: NodeState[],
    /** Test PKI when the cluster serves TLS. */
    public readonly pki: TestPki | undefined,
  ) {}

  /** Root token of the cluster. */
  get rootToken(): string {
    return this.token;
  }

  /** @internal assembled by {@link startRaftCluster} */
  static async create(flavor: ServerFlavor, options: RaftClusterOptions): Promise<RaftCluster> {
    const count = options.nodes ?? 3;
    if (count < 1) throw new RangeError(`a cluster needs at least one node, got ${count}`);
    if (options.requireClientCert && !options.tls) throw new TypeError("requireClientCert needs tls: true");
    const binary = requireServerBinary(flavor);
    const dir = serverTempDir(`${flavor}-raft`);
    const pki = options.tls ? await createTestPki(dir) : undefined;
    const scheme = pki ? "https" : "http";
    const ports = await Promise.all(Array.from({ length: count * 2 }, () => freePort()));
    const nodes = Array.from({ length: count }, (_, i) => ({ id: `n${i + 1}`, api: ports[2 * i], cluster: ports[2 * i + 1] }));
    const state: NodeState[] = nodes.map((node) => {
      const home = join(dir, node.id);
      mkdirSync(join(home, "data"), { recursive: true });
      const peers = nodes.filter((p) => p.id !== node.id);
      const listenerTls = pki
        ? [
            `  tls_cert_file = "${pki.files.serverCert}"`,
            `  tls_key_file = "${pki.files.serverKey}"`,
            `  tls_client_ca_file = "${pki.files.caCert}"`,
            ...(options.requireClientCert ? ["  tls_require_and_verify_client_cert = true"] : []),
          ]
        : ["  tls_disable = true"];
      const config = [
        `storage "raft" {`,
        `  path = "${join(home, "data")}"`,
        `  node_id = "${node.id}"`,
        `  performance_multiplier = 1`,
        ...peers.flatMap((p) => [
          `  retry_join {`,
          `    leader_api_addr = "${scheme}://127.0.0.1:${p.api}"`,
          ...(pki ? [`    leader_ca_cert_file = "${pki.files.caCert}"`] : []),
          ...(pki && options.requireClientCert
            ? [`    leader_client_cert_file = "${pki.files.serverCert}"`, `    leader_client_key_file = "${pki.files.serverKey}"`]
            : []),
          `  }`,
        ]),
        `}`,
        `listener "tcp" {`,
        `  address = "127.0.0.1:${node.api}"`,
        `  cluster_address = "127.0.0.1:${node.cluster}"`,
        ...listenerTls,
        `}`,
        `api_addr = "${scheme}://127.0.0.1:${node.api}"`,
        `cluster_addr = "https://127.0.0.1:${node.cluster}"`,
        `disable_mlock = true`,
        `ui = false`,
        ...(flavor === "openbao" ? [`unsafe_allow_api_audit_creation = true`] : []),
      ].join("\n");
      const configFile = join(home, "config.hcl");
      writeFileSync(configFile, `${config}\n`);
      return { id: node.id, address: `${scheme}://127.0.0.1:${node.api}`, configFile, home, proc: undefined };
    });
    const cluster = new RaftCluster(flavor, binary, dir, state, pki);
    try {
      for (let i = 0; i < count; i++) cluster.spawn(i);
      const first = state[0];
      const init = await waitFor(
        async () => {
          const res = await call<{ keys_base64: string[]; root_token: string }>(first.address, "PUT", "sys/init", {
            body: { secret_shares: 1, secret_threshold: 1 },
            tls: cluster.harnessTls,
          });
          return res.status === 200 ? res.body : undefined;
        },
        { timeoutMs: options.timeoutMs ?? 60_000, describe: () => `${flavor} node n1 could not be initialised:\n${cluster.outputOf(0)}` },
      );
      cluster.unsealKey = init.keys_base64[0];
      cluster.token = init.root_token;
      await cluster.unseal(0, options.timeoutMs);
      await cluster.waitForLeader({ timeoutMs: options.timeoutMs });
      for (let i = 1; i < count; i++) await cluster.unseal(i, options.timeoutMs);
      await cluster.waitForVoters(count, options.timeoutMs ?? 60_000);
      if (options.mountKv ?? true) await cluster.mountKv();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /**
   * The unseal key and root token, for a disaster-recovery drill: a snapshot restored into another
   * cluster brings its keyring, so that cluster is then unsealed with these (see {@link adoptKeys}).
   */
  get keys(): { readonly unsealKey: string; readonly rootToken: string } {
    return { unsealKey: this.unsealKey, rootToken: this.token };
  }

  /** Use another cluster's unseal key and root token from now on (after restoring its snapshot here). */
  adoptKeys(keys: { readonly unsealKey: string; readonly rootToken: string }): void {
    this.unsealKey = keys.unsealKey;
    this.token = keys.rootToken;
  }

  /** The nodes, in id order. */
  get nodes(): readonly RaftNode[] {
    return this.state.map((s) => ({ id: s.id, address: s.address, isRunning: s.proc?.isRunning ?? false }));
  }

  /** PEM CA for clients when TLS is on. */
  get caCert(): string | undefined {
    return this.pki?.caCert;
  }

  /** What the harness presents over TLS: the CA and the test client certificate. */
  private get harnessTls(): HarnessTls | undefined {
    return this.pki ? { ca: this.pki.caCert, cert: this.pki.client.cert, key: this.pki.client.key } : undefined;
  }

  private spawn(index: number): void {
    const node = this.state[index];
    node.proc = new ServerProcess({
      binary: this.binary,
      args: ["server", `-config=${node.configFile}`],
      home: node.home,
    });
  }

  private outputOf(index: number): string {
    return this.state[index].proc?.output() ?? "(not running)";
  }

  /** Unseal node `index` with the cluster key; resolves when it reports unsealed. */
  async unseal(index: number, timeoutMs = 60_000): Promise<void> {
    const node = this.state[index];
    await waitFor(
      async () => {
        const status = await call<{ sealed: boolean }>(node.address, "GET", "sys/seal-status", { tls: this.harnessTls });
        if (!status.body.sealed) return true;
        await call(node.address, "PUT", "sys/unseal", { body: { key: this.unsealKey }, tls: this.harnessTls });
        return undefined;
      },
      { timeoutMs, intervalMs: 250, describe: () => `${this.flavor} node ${node.id} did not unseal:\n${this.outputOf(index)}` },
    );
  }

  /** Seal node `index` (PUT sys/seal with the root token). */
  async seal(index: number): Promise<void> {
    const node = this.state[index];
    const res = await call(node.address, "PUT", "sys/seal", { token: this.rootToken, tls: this.harnessTls });
    if (res.status !== 204 && res.status !== 200) throw new Error(`sealing ${node.id} answered HTTP ${res.status}`);
  }

  /** The node that reports itself active, polling until one does (skipping `exclude`). */
  async waitForLeader(options: { exclude?: readonly string[]; timeoutMs?: number } = {}): Promise<RaftNode> {
    const exclude = new Set(options.exclude ?? []);
    const id = await waitFor(
      async () => {
        for (const node of this.state) {
          if (exclude.has(node.id) || !node.proc?.isRunning) continue;
          const res = await call<LeaderBody>(node.address, "GET", "sys/leader", { tls: this.harnessTls, timeoutMs: 2_000 }).catch(
            () => undefined,
          );
          if (res?.status === 200 && res.body.is_self) return node.id;
        }
        return undefined;
      },
      { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 200, describe: () => `${this.flavor} cluster elected no leader` },
    );
    const found = this.nodes.find((n) => n.id === id);
    if (!found) throw new Error(`leader ${id} is not a node of this cluster`);
    return found;
  }

  private async waitForVoters(count: number, timeoutMs: number): Promise<void> {
    await waitFor(
      async () => {
        const leader = await this.waitForLeader({ timeoutMs: 5_000 });
        const res = await call<{ data: { config: { servers: { voter: boolean }[] } } }>(
          leader.address,
          "GET",
          "sys/storage/raft/configuration",
          {
            token: this.rootToken,
            tls: this.harnessTls,
          },
        );
        const voters = res.status === 200 ? res.body.data.config.servers.filter((s) => s.voter).length : 0;
        return voters === count ? true : undefined;
      },
      { timeoutMs, intervalMs: 500, describe: () => `${this.flavor} cluster did not reach ${count} voters` },
    );
  }

  private async mountKv(): Promise<void> {
    const leader = await this.waitForLeader();
    const res = await call(leader.address, "POST", "sys/mounts/secret", {
      token: this.rootToken,
      tls: this.harnessTls,
      body: { type: "kv", options: { version: "2" } },
    });
    if (res.status !== 204 && res.status !== 200) throw new Error(`enabling kv-v2 at secret/ answered HTTP ${res.status}`);
    // A new kv-v2 mount upgrades itself in the background and refuses data calls meanwhile.
    await waitFor(
      async () => {
        const probe = await call(leader.address, "POST", "secret/data/.harness-ready", {
          token: this.rootToken,
          tls: this.harnessTls,
          body: { data: {} },
        });
        return probe.status === 200 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, describe: () => `${this.flavor} kv-v2 mount at secret/ never became writable` },
    );
    await call(leader.address, "DELETE", "secret/metadata/.harness-ready", { token: this.rootToken, tls: this.harnessTls });
  }

  /** Stop node `index`: SIGTERM is a graceful shutdown, SIGKILL a crash. */
  async stopNode(index: number, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    await this.state[index].proc?.stop(signal);
  }

  /** Start a stopped node again (it comes back sealed; call {@link RaftCluster.unseal}). */
  startNode(index: number): void {
    if (this.state[index].proc?.isRunning) throw new Error(`node ${this.state[index].id} is already running`);
    this.spawn(index);
  }

  /** Index of the node with `id`. */
  indexOf(id: string): number {
    const index = this.state.findIndex((s) => s.id === id);
    if (index < 0) throw new Error(`no node ${id}`);
    return index;
  }

  /** Stop every node and delete all data. */
  async stop(): Promise<void> {
    await Promise.all(this.state.map((s) => s.proc?.stop()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Start a Raft cluster of `flavor` with a known leader and all nodes unsealed and voting. */
export function startRaftCluster(flavor: ServerFlavor, options: RaftClusterOptions = {}): Promise<RaftCluster> {
  return RaftCluster.create(flavor, options);
}
