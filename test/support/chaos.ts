/**
 * Chaos scenarios against real OpenBao Raft clusters, shared by `npm run chaos` (full size) and
 * the integration test (small size). Each scenario runs a workload of KV v2 writes (unique path,
 * `cas: 0`) and read-backs through a {@link VaultClient}, breaks something, repairs it, and then
 * checks on the server that every acknowledged write is there. It reports operations attempted,
 * failed, retried (by the client and by the ambiguous-write settlement), lost (acknowledged but
 * missing or different afterwards) and of unknown outcome (a write that failed without the client
 * knowing whether it applied).
 */
import {
  AppRoleAuth,
  CertificateManager,
  DatabaseCredentials,
  KvWriteOutcomeUnknownError,
  LeaseManager,
  TokenManager,
  VaultClient,
  VaultClientOptions,
} from "../../runtime";
import { isAmbiguousFailure } from "../../runtime/engines/kv2-ambiguous";
import { call } from "./harness-http";
import { RaftCluster } from "./raft-cluster";
import { TcpProxy } from "./tcp-proxy";
import { DatabaseUnderTest } from "./database-under-test";
import { setUpPkiMount, storedSerials, writePkiRole } from "./pki-mount";
import { admin, enableAuth, writePolicy } from "./vault-admin";

/** How big a run is. */
export interface ChaosSize {
  /** Concurrent writers. */
  readonly writers: number;
  /** How long the fault lasts, in ms. */
  readonly faultMs: number;
  /** Load before the fault and after the repair, in ms. */
  readonly steadyMs: number;
}

/** Small enough for `npm test`. */
export const SMALL: ChaosSize = { writers: 4, faultMs: 1_500, steadyMs: 500 };
/** `npm run chaos`. */
export const FULL: ChaosSize = { writers: 16, faultMs: 5_000, steadyMs: 3_000 };

/** What one scenario saw. */
export interface ChaosReport {
  /** Scenario name. */
  readonly scenario: string;
  /** Operations started (writes and read-backs). */
  readonly attempted: number;
  /** Writes acknowledged. */
  readonly acknowledged: number;
  /** Operations that raised an error with a known outcome (nothing written). */
  readonly failed: number;
  /** Attempts repeated by the client (executor retries plus ambiguous writes repeated). */
  readonly retried: number;
  /** Ambiguous writes settled on the server (applied or not). */
  readonly settled: number;
  /** Acknowledged writes missing or different afterwards. Must be zero. */
  readonly lost: number;
  /** Writes that failed with an unknown outcome. Must be zero. */
  readonly unknown: number;
  /** Error names seen, with counts (no values). */
  readonly errors: Readonly<Record<string, number>>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function retriesOf(metricsText: string): number {
  let sum = 0;
  for (const match of metricsText.matchAll(/^vaultsmith_retries_total\{[^}]*\} (\d+)/gm)) sum += Number(match[1]);
  return sum;
}

/** Writers that write unique paths and read back what they wrote, until stopped. */
class Workload {
  attempted = 0;
  failed = 0;
  unknown = 0;
  readonly acknowledged = new Map<string, { version: number; n: number }>();
  readonly errors: Record<string, number> = {};
  private running = true;
  private next = 0;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly client: VaultClient,
    private readonly prefix: string,
    writers: number,
  ) {
    this.loops = Array.from({ length: writers }, () => this.loop());
  }

  private note(error: unknown): void {
    const name = error instanceof Error ? error.name : typeof error;
    this.errors[name] = (this.errors[name] ?? 0) + 1;
  }

  private async loop(): Promise<void> {
    const kv = this.client.kv();
    while (this.running) {
      const n = this.next++;
      const path = `${this.prefix}/${n}`;
      this.attempted++;
      try {
        const meta = await kv.write(path, { n, note: `chaos-${n}` }, { cas: 0 });
        this.acknowledged.set(path, { version: meta.version, n });
      } catch (error) {
        this.note(error);
        if (error instanceof KvWriteOutcomeUnknownError || isAmbiguousFailure(error)) this.unknown++;
        else this.failed++;
        continue;
      }
      this.attempted++;
      try {
        const back = await kv.read(path, { cache: "bypass" });
        if (back?.data.n !== n) throw new Error(`read-back of ${path} did not return what was written`);
      } catch (error) {
        this.note(error);
        this.failed++;
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Acknowledged writes not on the server as acknowledged, read with the root token from `address`. */
  async lost(address: string, token: string): Promise<number> {
    let lost = 0;
    for (const [path, { version, n }] of this.acknowledged) {
      const res = await call<{ data: { data: { n?: number }; metadata: { version: number } } }>(address, "GET", `secret/data/${path}`, {
        token,
      });
      if (res.status !== 200 || res.body.data.data.n !== n || res.body.data.metadata.version !== version) lost++;
    }
    return lost;
  }
}

/** Run `fault` under load from `client` and report. `verifyAt` gives the node to check on afterwards. */
async function underLoad(
  scenario: string,
  client: VaultClient,
  size: ChaosSize,
  fault: () => Promise<void>,
  verifyAt: () => Promise<{ address: string; token: string }>,
): Promise<ChaosReport> {
  const kv = client.kv();
  await kv.write(`chaos/${scenario}/warmup`, { ok: true });
  const retriesBefore = retriesOf(await client.metrics.text());
  const statsBefore = kv.ambiguousWriteStats;
  const workload = new Workload(client, `chaos/${scenario}/${Date.now()}`, size.writers);
  try {
    await sleep(size.steadyMs);
    await fault();
    await sleep(size.steadyMs);
  } finally {
    await workload.stop();
  }
  const stats = kv.ambiguousWriteStats;
  const target = await verifyAt();
  return {
    scenario,
    attempted: workload.attempted,
    acknowledged: workload.acknowledged.size,
    failed: workload.failed,
    retried: retriesOf(await client.metrics.text()) - retriesBefore + (stats.repeated - statsBefore.repeated),
    settled: stats.detected - statsBefore.detected,
    lost: await workload.lost(target.address, target.token),
    unknown: workload.unknown,
    errors: workload.errors,
  };
}

const CLIENT: Partial<VaultClientOptions> = {
  cache: false,
  probeIntervalMs: 250,
  timeoutMs: 2_000,
  retry: { deadlineMs: 30_000, backoff: { minMs: 50, maxMs: 500 } },
};

async function restartIfDown(cluster: RaftCluster): Promise<void> {
  for (let i = 0; i < cluster.nodes.length; i++) {
    if (!cluster.nodes[i].isRunning) {
      cluster.startNode(i);
      await cluster.unseal(i);
    }
  }
  await cluster.waitForLeader();
}

/** SIGKILL the leader of a 3-node cluster under load; the survivors elect a new one. */
export async function leaderKill(cluster: RaftCluster, size: ChaosSize): Promise<ChaosReport> {
  const client = new VaultClient({ ...CLIENT, addresses: cluster.nodes.map((n) => n.address), token: cluster.rootToken });
  try {
    return await underLoad(
      "leader-kill",
      client,
      size,
      async () => {
        const leader = await cluster.waitForLeader();
        await cluster.stopNode(cluster.indexOf(leader.id), "SIGKILL");
        await cluster.waitForLeader({ exclude: [leader.id] });
        await sleep(size.faultMs);
      },
      async () => ({ address: (await cluster.waitForLeader()).address, token: cluster.rootToken }),
    );
  } finally {
    await client.close();
    await restartIfDown(cluster);
  }
}

/** The link to a single node stops forwarding (a silent partition), then heals. */
export async function partition(cluster: RaftCluster, size: ChaosSize): Promise<ChaosReport> {
  const proxy = await TcpProxy.start(Number(new URL(cluster.nodes[0].address).port));
  const client = new VaultClient({ ...CLIENT, address: `http://127.0.0.1:${proxy.port}`, token: cluster.rootToken });
  try {
    return await underLoad(
      "partition",
      client,
      size,
      async () => {
        proxy.blackhole();
        await sleep(size.faultMs);
        await proxy.heal();
      },
      async () => ({ address: cluster.nodes[0].address, token: cluster.rootToken }),
    );
  } finally {
    await client.close();
    await proxy.stop();
  }
}

/** Seal the single node under load, unseal it after the fault. */
export async function sealUnseal(cluster: RaftCluster, size: ChaosSize): Promise<ChaosReport> {
  const client = new VaultClient({ ...CLIENT, address: cluster.nodes[0].address, token: cluster.rootToken });
  try {
    return await underLoad(
      "seal-unseal",
      client,
      size,
      async () => {
        await cluster.seal(0);
        await sleep(size.faultMs);
        await cluster.unseal(0);
      },
      async () => ({ address: cluster.nodes[0].address, token: cluster.rootToken }),
    );
  } finally {
    await client.close();
  }
}

/** Stop the single node gracefully under load, start and unseal it again. */
export async function serverRestart(cluster: RaftCluster, size: ChaosSize): Promise<ChaosReport> {
  const client = new VaultClient({ ...CLIENT, address: cluster.nodes[0].address, token: cluster.rootToken });
  try {
    return await underLoad(
      "server-restart",
      client,
      size,
      async () => {
        await cluster.stopNode(0, "SIGTERM");
        await sleep(size.faultMs);
        cluster.startNode(0);
        await cluster.unseal(0);
        await cluster.waitForLeader();
      },
      async () => ({ address: cluster.nodes[0].address, token: cluster.rootToken }),
    );
  } finally {
    await client.close();
    await restartIfDown(cluster);
  }
}

/** The workload's AppRole token is revoked by an operator under load; the TokenManager logs in again. */
export async function tokenRevoked(cluster: RaftCluster, size: ChaosSize): Promise<ChaosReport> {
  const target = { address: cluster.nodes[0].address, token: cluster.rootToken };
  const auths = await admin<{ data: Record<string, unknown> }>(target, "GET", "sys/auth");
  if (!("chaos-approle/" in auths.data)) {
    await enableAuth(target, "approle", "chaos-approle");
    await writePolicy(target, "chaos-kv", 'path "secret/*" { capabilities = ["create", "read", "update", "list"] }');
    await admin(target, "POST", "auth/chaos-approle/role/app", { token_policies: ["chaos-kv"], token_ttl: "10m" });
  }
  const roleId = (await admin<{ data: { role_id: string } }>(target, "GET", "auth/chaos-approle/role/app/role-id")).data.role_id;
  const secretId = (await admin<{ data: { secret_id: string } }>(target, "POST", "auth/chaos-approle/role/app/secret-id")).data.secret_id;
  const client = new VaultClient({ ...CLIENT, address: cluster.nodes[0].address });
  const tokens = new TokenManager({
    requester: client,
    methods: [new AppRoleAuth({ roleId, secretId, mountPath: "chaos-approle" })],
  });
  try {
    await tokens.login();
    return await underLoad(
      "token-revoked",
      client,
      size,
      async () => {
        const accessor = tokens.info?.accessor;
        if (!accessor) throw new Error("the TokenManager has no token to revoke");
        await admin(target, "POST", "auth/token/revoke-accessor", { accessor });
        await sleep(size.faultMs);
      },
      async () => target,
    );
  } finally {
    await tokens.stop();
    await client.close();
  }
}

/** Uses of a credential or certificate, counted by a loop until stopped. */
async function usesUntil(
  stopAt: () => boolean,
  intervalMs: number,
  use: () => Promise<boolean> | boolean,
): Promise<{ attempted: number; failed: number }> {
  let attempted = 0;
  let failed = 0;
  while (!stopAt()) {
    attempted++;
    if (!(await use())) failed++;
    await sleep(intervalMs);
  }
  return { attempted, failed };
}

const hexOf = (serial: string): string => serial.replace(/[-:]/g, "").toLowerCase().replace(/^0+/, "");

/**
 * Certificates of a few seconds (`ttl` 4 s small, 10 s full) kept current by a CertificateManager
 * while the link to the server goes silent around the renewal point and heals. A use (every
 * 20 ms) fails when no certificate within its validity is held. Lost: a certificate handed over
 * already expired, or whose serial the server does not store.
 */
export async function certificateNearExpiry(cluster: RaftCluster, size: ChaosSize): Promise<ChaosReport> {
  const target = { address: cluster.nodes[0].address, token: cluster.rootToken };
  const mounts = await admin<{ data: Record<string, unknown> }>(target, "GET", "sys/mounts");
  if (!("chaos-pki/" in mounts.data)) {
    await setUpPkiMount(target, "chaos-pki", "Chaos Root");
    await writePkiRole(target, "chaos-pki", "short", {
      allowed_domains: ["example.com"],
      allow_subdomains: true,
      max_ttl: "1h",
      key_type: "any",
    });
  }
  const ttlMs = size === SMALL ? 4_000 : 10_000;
  const proxy = await TcpProxy.start(Number(new URL(target.address).port));
  const client = new VaultClient({ ...CLIENT, address: `http://127.0.0.1:${proxy.port}`, token: cluster.rootToken });
  const manager = new CertificateManager({ requester: client, mount: "chaos-pki", backoff: { minMs: 200, maxMs: 1_000 } });
  const handed: { serial: string; notAfter: number; at: number }[] = [];
  const errors: Record<string, number> = {};
  let retried = 0;
  manager.on("error", () => retried++);
  try {
    await manager.manage({
      name: "svc",
      role: "short",
      request: { common_name: "svc.example.com", ttl: `${ttlMs / 1000}s` },
      onCertificate: (c) => void handed.push({ serial: c.parsed.serial.hex, notAfter: c.parsed.notAfter.getTime(), at: Date.now() }),
    });
    let done = false;
    const uses = usesUntil(
      () => done,
      20,
      () => {
        const cert = manager.current("svc");
        const now = Date.now();
        return cert !== undefined && cert.parsed.notAfter.getTime() > now && cert.parsed.notBefore.getTime() <= now;
      },
    );
    await sleep(ttlMs * 0.35);
    proxy.blackhole();
    await sleep(Math.min(size.faultMs, ttlMs * 0.3));
    await proxy.heal();
    await sleep(ttlMs * 1.5);
    done = true;
    const { attempted, failed } = await uses;
    if (failed > 0) errors.NoValidCertificate = failed;
    const stored = new Set((await storedSerials(target, "chaos-pki")).map(hexOf));
    const lost = handed.filter((h) => h.notAfter <= h.at || !stored.has(hexOf(h.serial))).length;
    return {
      scenario: "certificate-near-expiry",
      attempted,
      acknowledged: handed.length,
      failed,
      retried,
      settled: 0,
      lost,
      unknown: 0,
      errors,
    };
  } finally {
    await manager.stop();
    await client.close();
    await proxy.stop();
  }
}

/**
 * Dynamic PostgreSQL credentials kept by a LeaseManager (lease 4 s small, 10 s full) while an
 * operator revokes the current lease out of band. A use (every 50 ms) logs in with the current
 * credentials; it fails between the revocation and the manager's next renewal, which finds the
 * lease gone and obtains new credentials. Lost: credentials handed over that could not log in.
 */
export async function leaseRevoked(cluster: RaftCluster, size: ChaosSize, db: DatabaseUnderTest): Promise<ChaosReport> {
  const target = { address: cluster.nodes[0].address, token: cluster.rootToken };
  const mounts = await admin<{ data: Record<string, unknown> }>(target, "GET", "sys/mounts");
  if (!("chaos-db/" in mounts.data)) {
    await admin(target, "POST", "sys/mounts/chaos-db", { type: "database" });
    await admin(target, "POST", "chaos-db/config/db", await db.connectionConfig("vault_chaos", ["app"]));
    await admin(target, "POST", "chaos-db/roles/app", {
      db_name: "db",
      creation_statements: db.creationStatements,
      default_ttl: size === SMALL ? "4s" : "10s",
      max_ttl: "1h",
    });
  }
  const client = new VaultClient({ ...CLIENT, address: target.address, token: cluster.rootToken });
  const manager = new LeaseManager({ requester: client, backoff: { minMs: 200, maxMs: 1_000 } });
  let retried = 0;
  let lost = 0;
  let handed = 0;
  manager.on("error", () => retried++);
  try {
    await manager.manage({
      name: "app",
      role: "app",
      mount: "chaos-db",
      onCredentials: async (update) => {
        handed++;
        if ((await db.canLogIn(update.current)) !== true) lost++;
      },
    });
    let done = false;
    const uses = usesUntil(
      () => done,
      50,
      async () => {
        const creds: DatabaseCredentials | undefined = manager.current("app");
        return creds !== undefined && (await db.canLogIn(creds)) === true;
      },
    );
    await sleep(size.steadyMs);
    const revoked = manager.current("app");
    if (!revoked) throw new Error("the LeaseManager holds no credentials to revoke");
    await admin(target, "POST", "sys/leases/revoke", { lease_id: revoked.leaseId });
    const deadline = Date.now() + 30_000;
    while (manager.current("app")?.leaseId === revoked.leaseId && Date.now() < deadline) await sleep(100);
    await sleep(size.steadyMs);
    done = true;
    const { attempted, failed } = await uses;
    const recovered = manager.current("app")?.leaseId !== revoked.leaseId;
    return {
      scenario: "lease-revoked",
      attempted,
      acknowledged: handed,
      failed,
      retried,
      settled: 0,
      lost,
      unknown: recovered ? 0 : 1,
      errors: failed > 0 ? { LoginRefused: failed } : {},
    };
  } finally {
    await manager.stop();
    await client.close();
  }
}
