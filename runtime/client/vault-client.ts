/**
 * VaultClient: the facade an application holds. It routes every request over the node set
 * (health-probed, leader-aware, with per-node circuit breakers), retries by request class within
 * a deadline, holds operations while the cluster is sealed or leaderless, and caches reads.
 */
import { inspect } from "node:util";
import { SecretCache, SecretCacheOptions } from "../cache/secret-cache";
import { VaultHttpError } from "../core/errors";
import { Cluster, ClusterAvailability, ClusterOptions } from "../cluster/cluster";
import { DatabaseApi } from "../engines/database";
import { Kv2Api } from "../engines/kv2";
import { PkiApi } from "../engines/pki";
import { SysApi } from "../engines/sys";
import { TransitApi } from "../engines/transit";
import { RuntimeMetrics } from "../metrics/runtime-metrics";
import { RequestExecutor, RetryOptions } from "./request-executor";
import { HttpTransportOptions, VaultRequest, VaultResponse } from "../transport/http-transport";
import { RequestPolicy, Requester } from "../transport/requester";

/** Options of {@link VaultClient}. */
export interface VaultClientOptions
  extends Omit<HttpTransportOptions, "address">, Omit<ClusterOptions, "addresses" | keyof HttpTransportOptions> {
  /** Address of a single node. Give this or `addresses`. */
  readonly address?: string;
  /** Addresses of every node of the cluster. Give this or `address`. */
  readonly addresses?: readonly string[];
  /** Retries, backoff and deadline. */
  readonly retry?: RetryOptions;
  /** Read cache; `false` turns it off. @default { ttlMs: 300000, maxEntries: 10000 } */
  readonly cache?: SecretCacheOptions | false;
  /** Prefix of the Prometheus metric names. @default "vaultsmith_" */
  readonly metricsPrefix?: string;
}

/** Client for a Vault or OpenBao cluster (or a single server). */
export class VaultClient implements Requester {
  /** `sys/` endpoints. */
  public readonly sys: SysApi;
  /** The node set, its probes and events. */
  public readonly cluster: Cluster;
  /** Prometheus metrics of this client. */
  public readonly metrics: RuntimeMetrics;
  /** The read cache, when enabled. */
  public readonly cache: SecretCache | undefined;
  private readonly executor: RequestExecutor;
  private readonly kvMounts = new Map<string, Kv2Api>();
  private readonly pkiMounts = new Map<string, PkiApi>();
  private readonly transitMounts = new Map<string, TransitApi>();
  private readonly databaseMounts = new Map<string, DatabaseApi>();
  private readonly recoveryListeners = new Set<() => void>();
  private readonly refusalListeners = new Set<() => void>();
  private readonly started: Promise<void>;

  /** A client for the node(s) in `options`; it starts probing them at once. */
  constructor(options: VaultClientOptions) {
    const { address, addresses, retry, cache, metricsPrefix, ...rest } = options;
    const all = addresses ?? (address === undefined ? [] : [address]);
    if (all.length === 0 || (address !== undefined && addresses !== undefined)) {
      throw new TypeError("VaultClient needs exactly one of `address` or `addresses` (non-empty)");
    }
    this.metrics = new RuntimeMetrics(metricsPrefix);
    this.cluster = new Cluster({ ...rest, addresses: all });
    this.executor = new RequestExecutor(this.cluster, retry, this.metrics);
    this.cache =
      cache === false
        ? undefined
        : new SecretCache({
            ...cache,
            onLookup: (result) => {
              this.metrics.cache.inc({ result });
              cache?.onLookup?.(result);
            },
          });
    this.sys = new SysApi(this);
    // One cluster listener for any number of token managers (no MaxListeners warning on stderr).
    this.cluster.on("availability", (availability: ClusterAvailability) => {
      if (availability === "available") notifyAll(this.recoveryListeners);
    });
    this.started = this.cluster.start().catch(() => undefined);
  }

  /**
   * Send one request under `policy` (see {@link Requester}). The first waits for the first round
   * of health probes (one `sys/health` per node, at most `probeTimeoutMs`): before it no node is
   * known to be active, and a request would go to whichever node the rotation gives — on OpenBao
   * a standby, which answers some requests from its own replica (an AppRole login right after its
   * secret ID was created on the active node: 400 "invalid role or secret ID").
   */
  request<T>(req: VaultRequest, policy: RequestPolicy): Promise<VaultResponse<T>> {
    return this.started
      .then(() => this.executor.execute<T>(req, policy))
      .catch((error: unknown) => {
        if (error instanceof VaultHttpError && error.status === 403 && sentWithClientToken(req)) notifyAll(this.refusalListeners);
        throw error;
      });
  }

  /** The KV v2 mount at `mount`. @param mount mount path, e.g. `secret` */
  kv(mount = "secret"): Kv2Api {
    return this.engine(this.kvMounts, mount, () => new Kv2Api(this, mount, this.cache));
  }

  /** The PKI mount at `mount` (issue, sign, revoke, CRL, OCSP). @param mount mount path, e.g. `pki` */
  pki(mount = "pki"): PkiApi {
    return this.engine(this.pkiMounts, mount, () => new PkiApi(this, mount));
  }

  /** The transit mount at `mount` (encrypt, decrypt, rewrap, keys, sign, HMAC, data keys). @param mount mount path, e.g. `transit` */
  transit(mount = "transit"): TransitApi {
    return this.engine(this.transitMounts, mount, () => new TransitApi(this, mount));
  }

  /** The database mount at `mount` (dynamic and static credentials, leases). @param mount mount path, e.g. `database` */
  database(mount = "database"): DatabaseApi {
    return this.engine(this.databaseMounts, mount, () => new DatabaseApi(this, mount));
  }

  /** One API object per mount, so callers share it (and its cache keys) however often they ask. */
  private engine<T>(mounts: Map<string, T>, mount: string, create: () => T): T {
    let api = mounts.get(mount);
    if (!api) {
      api = create();
      mounts.set(mount, api);
    }
    return api;
  }

  /** What `util.inspect` shows: the node addresses, never a token or a cached secret. */
  [inspect.custom](): string {
    return `VaultClient(${this.cluster.nodes.map((n) => n.address).join(", ")})`;
  }

  /** What `JSON.stringify` shows: the node addresses. */
  toJSON(): { addresses: string[] } {
    return { addresses: this.cluster.nodes.map((n) => n.address) };
  }

  /** Replace the token every node's transport sends from now on (a TokenManager calls it). */
  setToken(token: string | undefined): void {
    this.cluster.setToken(token);
  }

  /** {@inheritDoc Requester.onRecovered} Fired when the cluster becomes available again. */
  onRecovered(listener: () => void): () => void {
    this.recoveryListeners.add(listener);
    return () => this.recoveryListeners.delete(listener);
  }

  /** {@inheritDoc Requester.onTokenRefused} */
  onTokenRefused(listener: () => void): () => void {
    this.refusalListeners.add(listener);
    return () => this.refusalListeners.delete(listener);
  }

  /** Stop probing, fail queued operations, release connections. */
  async close(): Promise<void> {
    await this.cluster.stop();
    await this.started;
  }
}

/** Call every listener; one listener's failure must not keep the others from running. */
function notifyAll(listeners: ReadonlySet<() => void>): void {
  for (const listener of [...listeners]) {
    try {
      listener();
    } catch {
      // ignored: see above
    }
  }
}

/** Whether `req` carried the client's own token: not a login, not unauthenticated, no token of its own. */
function sentWithClientToken(req: VaultRequest): boolean {
  if (req.unauthenticated) return false;
  if (req.headers && Object.keys(req.headers).some((h) => h.toLowerCase() === "x-vault-token")) return false;
  return !/^auth\/.+\/login(\/|$)/.test(req.path);
}
