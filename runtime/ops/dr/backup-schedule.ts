/**
 * Scheduled Raft snapshot backups with retention: every interval a verified snapshot is written
 * to a folder (0600, atomically — a crash never leaves a half file with a backup's name), then
 * backups beyond the retention (a count and/or an age) are deleted, oldest first. The newest
 * backup is never deleted, whatever the rules say: a schedule must not leave zero restore points.
 */
import { EventEmitter } from "node:events";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../certs/cert-sinks";
import { Clock, systemClock } from "../../core/clock";
import { RaftSnapshots } from "./raft-snapshots";

/** Which backups to keep. */
export interface BackupRetention {
  /** Keep at most this many (newest). @default unlimited */
  readonly keepLast?: number;
  /** Delete backups older than this, in ms. @default unlimited */
  readonly maxAgeMs?: number;
}

/** Options of {@link BackupScheduler}. */
export interface BackupSchedulerOptions {
  /** Folder of the backup files (created 0700 when missing). */
  readonly dir: string;
  /** Time between backups, in ms. */
  readonly intervalMs: number;
  /** What to keep. */
  readonly retention: BackupRetention;
  /** Time source. @default the system clock */
  readonly clock?: Clock;
}

/** One backup file. */
export interface BackupFile {
  /** Absolute path. */
  readonly path: string;
  /** When it was taken (from its name). */
  readonly takenAt: Date;
}

/** What one run did. */
export interface BackupRun {
  /** The file written. */
  readonly written: BackupFile;
  /** SHA-256 of the archive. */
  readonly sha256: string;
  /** Files deleted by retention. */
  readonly pruned: readonly string[];
}

const NAME = /^raft-(\d{8}T\d{6}\d{3}Z)\.snap$/;

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, "");
}

function parseStamp(text: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(text);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`) : new Date(NaN);
}

/** The backups in `dir`, oldest first (files named by {@link BackupScheduler}; others are ignored). */
export async function listBackups(dir: string): Promise<BackupFile[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => ({ name, m: NAME.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({ path: join(dir, name), takenAt: parseStamp(m[1]) }))
    .sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
}

/** The files retention would delete now (never the newest). */
export function selectExpired(files: readonly BackupFile[], retention: BackupRetention, now: number): BackupFile[] {
  const newestFirst = [...files].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  return newestFirst.filter((file, index) => {
    if (index === 0) return false;
    if (retention.keepLast !== undefined && index >= retention.keepLast) return true;
    return retention.maxAgeMs !== undefined && now - file.takenAt.getTime() > retention.maxAgeMs;
  });
}

/**
 * Takes a backup every `intervalMs` once started. Events: `backup` ({@link BackupRun}) and
 * `error` (the failure; the schedule carries on — one failed snapshot must not end backups).
 */
export class BackupScheduler extends EventEmitter {
  private readonly clock: Clock;
  private cancel: (() => void) | undefined;
  private running: Promise<unknown> = Promise.resolve();

  /** A scheduler writing snapshots of `snapshots`' cluster into `options.dir`. */
  constructor(
    private readonly snapshots: RaftSnapshots,
    private readonly options: BackupSchedulerOptions,
  ) {
    super();
    if (!(options.intervalMs > 0)) throw new RangeError(`intervalMs must be positive, got ${options.intervalMs}`);
    for (const [k, v] of Object.entries(options.retention)) {
      if (v !== undefined && !(typeof v === "number" && v > 0)) throw new RangeError(`retention.${k} must be positive, got ${String(v)}`);
    }
    this.clock = options.clock ?? systemClock;
  }

  /** Take one backup now and apply retention. */
  async runOnce(): Promise<BackupRun> {
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const snapshot = await this.snapshots.save();
    const takenAt = new Date(this.clock.now());
    const path = join(this.options.dir, `raft-${stamp(takenAt)}.snap`);
    await writeFileAtomic(path, snapshot.bytes);
    const expired = selectExpired(await listBackups(this.options.dir), this.options.retention, this.clock.now());
    for (const file of expired) await rm(file.path, { force: true });
    const run: BackupRun = { written: { path, takenAt }, sha256: snapshot.sha256, pruned: expired.map((f) => f.path) };
    this.emit("backup", run);
    return run;
  }

  /** Start the schedule (first backup after one interval). */
  start(): void {
    if (this.cancel) return;
    const tick = (): void => {
      this.running = this.runOnce().catch((error: unknown) => {
        // An `error` event without a listener would throw out of the timer: failures are reported only to listeners.
        if (this.listenerCount("error") > 0) this.emit("error", error);
      });
      void this.running.finally(() => {
        if (this.cancel) this.cancel = this.clock.schedule(tick, this.options.intervalMs);
      });
    };
    this.cancel = this.clock.schedule(tick, this.options.intervalMs);
  }

  /** Stop the schedule; resolves after a backup in progress has finished. */
  async stop(): Promise<void> {
    const cancel = this.cancel;
    this.cancel = undefined;
    cancel?.();
    await this.running;
  }
}

/** Size of a backup file in bytes (for reports). */
export async function backupSize(file: BackupFile): Promise<number> {
  return (await stat(file.path)).size;
}
