/**
 * A disaster-recovery drill: inventory the estate (checksums of every KV secret and policy), take
 * a verified snapshot, let the environment destroy the cluster and build an empty one, restore
 * the snapshot into it (`snapshot-force`: the new cluster has other unseal keys), unseal it with
 * the original keys, inventory again and compare. The recovery time is measured from the start
 * of the rebuild to the end of a verification that found every item bit-identical — the figure a
 * recovery time objective is held against. How a cluster is destroyed and rebuilt belongs to the
 * environment (processes here, machines elsewhere), so it is passed in as a {@link DrillLifecycle}.
 */
import { Clock, systemClock } from "../../core/clock";
import { Requester } from "../../transport/requester";
import { EstateDiff, diffInventories, inventoryEstate, isIdentical } from "../estate/estate-checksums";
import { RaftSnapshots } from "./raft-snapshots";

/** What the drill asks of the environment. */
export interface DrillLifecycle {
  /** Destroy the cluster and its data (the disaster). */
  destroy(): Promise<void>;
  /** Build a new, initialised, unsealed and empty cluster; resolve with a requester holding its root token. */
  rebuild(): Promise<Requester>;
  /**
   * After the restore was accepted: unseal with the keys of the snapshot's cluster and wait until
   * it serves; resolve with a requester holding a token of the restored estate (the original root token).
   */
  afterRestore(): Promise<Requester>;
}

/** Options of {@link runDrDrill}. */
export interface DrillOptions {
  /** KV v2 mounts to verify. */
  readonly kvMounts: readonly string[];
  /** Time source for the measurements. @default the system clock */
  readonly clock?: Clock;
}

/** The drill's outcome. */
export interface DrillReport {
  /** Snapshot that was restored. */
  readonly snapshot: { readonly sha256: string; readonly bytes: number; readonly raftIndex: number };
  /** Items verified: secrets and policies. */
  readonly verified: { readonly secrets: number; readonly policies: number };
  /** Inventory digests before and after; equal when nothing differs. */
  readonly digests: { readonly before: string; readonly after: string };
  /** Duration of each phase, in ms. */
  readonly phasesMs: {
    readonly snapshot: number;
    readonly destroy: number;
    readonly rebuild: number;
    readonly restore: number;
    readonly unseal: number;
    readonly verify: number;
  };
  /** Rebuild start → verification end, in ms. */
  readonly recoveryMs: number;
  /** Whether every secret and policy came back bit-identical. */
  readonly identical: boolean;
  /** What differs (empty lists on success). */
  readonly diff: EstateDiff;
}

/** Run a drill against the cluster `source` talks to. Throws only when a phase fails outright. */
export async function runDrDrill(source: Requester, lifecycle: DrillLifecycle, options: DrillOptions): Promise<DrillReport> {
  const clock = options.clock ?? systemClock;
  const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const start = clock.now();
    const value = await fn();
    return [value, clock.now() - start];
  };
  const before = await inventoryEstate(source, { kvMounts: options.kvMounts });
  const [snapshot, snapshotMs] = await time(() => new RaftSnapshots(source).save());
  const [, destroyMs] = await time(() => lifecycle.destroy());
  const recoveryStart = clock.now();
  const [fresh, rebuildMs] = await time(() => lifecycle.rebuild());
  const [, restoreMs] = await time(() => new RaftSnapshots(fresh).restore(snapshot.bytes, { force: true }));
  const [restored, unsealMs] = await time(() => lifecycle.afterRestore());
  const [after, verifyMs] = await time(() => inventoryEstate(restored, { kvMounts: options.kvMounts }));
  const recoveryMs = clock.now() - recoveryStart;
  const diff = diffInventories(before, after);
  return {
    snapshot: { sha256: snapshot.sha256, bytes: snapshot.bytes.length, raftIndex: snapshot.meta.index },
    verified: {
      secrets: before.entries.filter((e) => e.kind === "kv").length,
      policies: before.entries.filter((e) => e.kind === "policy").length,
    },
    digests: { before: before.digest, after: after.digest },
    phasesMs: { snapshot: snapshotMs, destroy: destroyMs, rebuild: rebuildMs, restore: restoreMs, unseal: unsealMs, verify: verifyMs },
    recoveryMs,
    identical: isIdentical(diff),
    diff,
  };
}
