/**
 * The node set: periodic `sys/health` probes, leader tracking, routing (writes to the active
 * node, reads spread over serving nodes), and the outage gate that holds operations while the
 * cluster is sealed, leaderless or unreachable.
 */
import { EventEmitter } from "node:events";
import { SysApi } from "../engines/sys";
import { OutageGate } from "../resilience/outage-gate";
import { HttpTransport, HttpTransportOptions } from "../transport/http-transport";
import type { RequestPolicy } from "../transport/request-policy";
import { BreakerOptions, ClusterNode, NodeState } from "./cluster-node";

/** Unsealed nodes that are not the active one. */
const STANDBY: ReadonlySet<NodeState> = new Set<NodeState>(["standby", "performance-standby", "standby-unreachable-active"]);

/** What the cluster as a whole can do right now. */
export type ClusterAvailability = "available" | "sealed" | "no-leader" | "unreachable";

/** Typed events of {@link Cluster}. */
export interface ClusterEvents {
  /** A node's state changed. */
  "node-state": [address: string, from: NodeState, to: NodeState];
  /** The active node changed (undefined: none known). */
  leader: [address: string | undefined];
  /** The cluster's availability changed. */
  availability: [availability: ClusterAvailability];
}

/** Options of {@link Cluster}. */
export interface ClusterOptions extends Omit<HttpTransportOptions, "address"> {
  /** Addresses of every node. */
  readonly addresses: readonly string[];
  /** Time between health probes, in ms; seal and leader changes are seen within one interval. @default 1000 */
  readonly probeIntervalMs?: number;
  /** Deadline of one probe, in ms. @default 2000 */
  readonly probeTimeoutMs?: number;
  /**
   * Where reads go. `active`: the active node only — read-after-write consistent. `any`: spread
   * over every serving node (client-side load balancing); on OpenBao with integrated storage,
   * standbys answer reads from their own replica, so a read right after a write may miss it
   * (OpenBao's documented eventual consistency; `disable_standby_reads` turns it off server-side).
   * @default "active"
   */
  readonly readFrom?: "any" | "active";
  /** Circuit breaker per node. */
  readonly breaker?: BreakerOptions;
  /** Most operations that may wait for the cluster to recover. @default 1000 */
  readonly outageQueueCapacity?: number;
}

/** A set of nodes of one Vault cluster. */
export class Cluster extends EventEmitter<ClusterEvents> {
  /** The nodes, in the order given. */
  public readonly nodes: readonly ClusterNode[];
  /** Gate operations wait at while the cluster cannot serve them. */
  public readonly gate: OutageGate;
  /** Separate, token-less transports for probes, so probes never queue behind requests. */
  private readonly probes: ReadonlyMap<ClusterNode, { readonly transport: HttpTransport; readonly sys: SysApi }>;
  private readonly probeIntervalMs: number;
  private readonly readFrom: "any" | "active";
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | undefined;
  private rotation = 0;
  private current: ClusterAvailability = "unreachable";
  private stopped = false;
  private leaderNode: ClusterNode | undefined;
  private readonly changeWaiters = new Set<() => void>();

  /** A node set for `options.addresses`; call {@link Cluster.start} to begin probing. */
  constructor(options: ClusterOptions) {
    super();
    if (options.addresses.length === 0) throw new TypeError("a cluster needs at least one address");
    const { addresses, probeIntervalMs, probeTimeoutMs, readFrom, breaker, outageQueueCapacity, ...transport } = options;
    this.nodes = addresses.map((address) => new ClusterNode({ ...transport, address }, breaker));
    this.probes = new Map(
      this.nodes.map((node) => {
        // No namespace: `sys/health` exists only in the root namespace (in any other, OpenBao answers
        // 400 "operation unavailable in namespaces"), and a node's health is not a namespace's.
        const probe = new HttpTransport({
          ...transport,
          address: node.address,
          token: undefined,
          namespace: undefined,
          timeoutMs: probeTimeoutMs ?? 2_000,
        });
        return [node, { transport: probe, sys: new SysApi(probe) }] as const;
      }),
    );
    this.probeIntervalMs = probeIntervalMs ?? 1_000;
    this.readFrom = readFrom ?? "active";
    this.gate = new OutageGate(outageQueueCapacity ?? 1_000);
  }

  /** Probe now and then every interval. Resolves after the first round. */
  async start(): Promise<void> {
    await this.probe();
    if (!this.timer && !this.stopped) {
      this.timer = setInterval(() => void this.probe(), this.probeIntervalMs);
      this.timer.unref();
    }
  }

  /** The active node, if one is known. */
  get leader(): ClusterNode | undefined {
    return this.leaderNode;
  }

  /** What the cluster can do, as of the last probe or failure. */
  get availability(): ClusterAvailability {
    return this.current;
  }

  /** Probe every node once (concurrent calls share one round); nothing once stopped. */
  probe(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.probing ??= this.probeRound().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async probeRound(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        const probe = this.probes.get(node);
        const state: NodeState = probe
          ? await probe.sys.health().then(
              (h) => h.state,
              () => "unreachable" as const,
            )
          : "unreachable";
        this.setState(node, state);
        // An answer, whatever it says, proves the node is reachable again: end its ejection.
        if (state !== "unreachable" && node.vouch()) this.changed();
      }),
    );
    this.recompute();
  }

  /**
   * Resolve after `ms`, or sooner when a node's state changes or an ejected node is vouched for
   * by a probe — so a request waiting for a usable node moves the moment one appears.
   */
  async waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0) return;
    signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        this.changeWaiters.delete(done);
        signal?.removeEventListener("abort", aborted);
      };
      const done = (): void => {
        settle();
        resolve();
      };
      const aborted = (): void => {
        settle();
        reject(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
      };
      const timer = setTimeout(done, ms);
      this.changeWaiters.add(done);
      signal?.addEventListener("abort", aborted, { once: true });
    });
  }

  /** Milliseconds until some ejected node may take a trial request (Infinity: none is ejected). */
  get nextTrialInMs(): number {
    const waits = this.nodes.map((n) => n.trialInMs).filter((ms) => ms > 0);
    return waits.length === 0 ? Infinity : Math.min(...waits);
  }

  private changed(): void {
    for (const wake of [...this.changeWaiters]) wake();
  }

  /** Record what a failed request revealed about a node, and re-probe soon. */
  reportFailure(node: ClusterNode, state: NodeState): void {
    this.setState(node, state);
    this.recompute();
    void this.probe();
  }

  private setState(node: ClusterNode, state: NodeState): void {
    const from = node.state;
    if (from === state || this.stopped) return;
    node.state = state;
    this.emit("node-state", node.address, from, state);
    this.changed();
  }

  private recompute(): void {
    const active = this.nodes.find((n) => n.state === "active");
    if (active !== this.leaderNode) {
      this.leaderNode = active;
      this.emit("leader", active?.address);
    }
    // "sealed" only when no unsealed node is up: while a sealed leader is being replaced, the
    // standbys answer and an election is under way, which is "no-leader".
    let availability: ClusterAvailability;
    if (active) availability = "available";
    else if (this.nodes.some((n) => STANDBY.has(n.state))) availability = "no-leader";
    else if (this.nodes.some((n) => n.state === "sealed")) availability = "sealed";
    else if (this.nodes.some((n) => n.state !== "unreachable" && n.state !== "unknown")) availability = "no-leader";
    else availability = "unreachable";
    // Hold operations only when nodes answer but cannot serve (sealed, no leader). When nodes do
    // not answer at all, requests keep trying them with backoff, so a real connection error is
    // known at the deadline and a fatal one (bad CA, pin mismatch) surfaces at once.
    if (availability === "sealed" || availability === "no-leader") this.gate.close();
    else this.gate.openGate();
    if (availability !== this.current) {
      this.current = availability;
      this.emit("availability", availability);
    }
  }

  /**
   * The node to send to: the active node for writes (and for reads and node-status questions with `readFrom: "active"`),
   * otherwise the next serving node in rotation. When no node is known to serve, any node whose
   * breaker lets a request through is tried (it may have recovered since the last probe; an
   * ejected node whose ejection is over takes the request as its breaker's trial; a node the
   * probe found unreachable takes one request at a time). Nodes in
   * `exclude` are skipped; undefined when nothing is left — see {@link Cluster.nextTrialInMs}.
   */
  pick(kind: RequestPolicy["kind"], exclude: ReadonlySet<ClusterNode> = new Set()): ClusterNode | undefined {
    const candidates = this.nodes.filter((n) => n.usable && !exclude.has(n));
    const leader = this.leaderNode;
    if (kind === "write" || this.readFrom === "active") {
      if (leader && candidates.includes(leader)) return leader;
    } else if (candidates.length > 0) {
      this.rotation = (this.rotation + 1) % candidates.length;
      return candidates[this.rotation];
    }
    const fallback = this.nodes.filter((n) => !exclude.has(n) && n.worthTrying);
    if (fallback.length === 0) return undefined;
    this.rotation = (this.rotation + 1) % fallback.length;
    return fallback[this.rotation];
  }

  /** Change the token every node's transport sends. */
  setToken(token: string | undefined): void {
    for (const node of this.nodes) node.transport.setToken(token);
  }

  /** Stop probing, refuse waiting operations, close connections. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.gate.stop();
    this.changed();
    await Promise.all([...this.nodes.map((n) => n.transport.close()), ...[...this.probes.values()].map((p) => p.transport.close())]);
  }
}
