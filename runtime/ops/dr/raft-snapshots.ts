/**
 * Raft snapshots through the API (`sys/storage/raft/snapshot`): save a verified archive, restore
 * one. A restore is checked offline first, so a corrupt or truncated file is refused here with
 * the reason and never reaches the cluster. OpenBao refuses a plain restore of a snapshot sealed
 * by other unseal keys ("use the snapshot-force API"): that is the rebuilt-cluster case, and
 * `force: true` sends it to `snapshot-force` — afterwards the cluster is unsealed with the keys of
 * the cluster the snapshot came from.
 */
import { POLICIES, Requester } from "../../transport/requester";
import { VerifiedSnapshot, verifySnapshotArchive } from "./snapshot-archive";

/** Options of {@link RaftSnapshots.restore}. */
export interface SnapshotRestoreOptions {
  /**
   * Restore into a cluster with other unseal keys (a rebuilt cluster): `snapshot-force`, which
   * skips the sealed-hash check. The archive's own sums are still checked here. @default false
   */
  readonly force?: boolean;
  /** Deadline of the upload, in ms. @default 120000 */
  readonly deadlineMs?: number;
}

/** Save and restore Raft snapshots of the cluster a requester talks to (root namespace). */
export class RaftSnapshots {
  /** @param requester how requests are sent (a `VaultClient` with a token allowed on `sys/storage/raft/snapshot*`) */
  constructor(private readonly requester: Requester) {}

  /**
   * Take a snapshot and verify it before returning: an archive cut off midstream (OpenBao then
   * lacks `SHA256SUMS.sealed`) throws instead of becoming a backup that cannot be restored.
   */
  async save(options: { deadlineMs?: number } = {}): Promise<VerifiedSnapshot> {
    const res = await this.requester.request<Uint8Array>(
      { method: "GET", path: "sys/storage/raft/snapshot", responseType: "bytes" },
      { ...POLICIES.read, kind: "write", deadlineMs: options.deadlineMs ?? 120_000 },
    );
    return verifySnapshotArchive(res.body ?? new Uint8Array());
  }

  /**
   * Install `archive` as the cluster's state. Verified first (throws `SnapshotInvalidError` and
   * sends nothing when it is damaged). The server answers once the data is staged and applies it
   * in the background; callers wait for the cluster to serve again.
   */
  async restore(archive: Uint8Array, options: SnapshotRestoreOptions = {}): Promise<VerifiedSnapshot> {
    const verified = verifySnapshotArchive(archive);
    await this.requester.request(
      { method: "POST", path: options.force ? "sys/storage/raft/snapshot-force" : "sys/storage/raft/snapshot", body: verified.bytes },
      { ...POLICIES.creatingWrite, deadlineMs: options.deadlineMs ?? 120_000 },
    );
    return verified;
  }
}
