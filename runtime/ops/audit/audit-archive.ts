/**
 * Retention of the audit stream as compressed files, segregated per namespace: exchanges are
 * appended to `<dir>/<namespace or _root>/audit-<YYYYMMDDHH>.jsonl.gz` (each flush adds a gzip
 * member; gunzip reads concatenated members as one file), files are 0600 in 0700 folders, and
 * files older than the retention period are deleted. A tenant's auditor gets its own folder and
 * nothing of another tenant's. Entries are written as the server logged them (HMAC'd), never with
 * plaintext.
 */
import { appendFile, mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { AuditExchange } from "./audit-correlator";

/** Options of {@link AuditArchive}. */
export interface AuditArchiveOptions {
  /** Root folder. */
  readonly dir: string;
  /** Keep files for this long, in ms. */
  readonly retentionMs: number;
  /** Flush when this many exchanges are buffered. @default 1000 */
  readonly flushEvery?: number;
}

const FILE = /^audit-(\d{4})(\d{2})(\d{2})(\d{2})\.jsonl\.gz$/;

/** The folder name of a namespace: `_root` for the root namespace, else the path with `/` → `__`. */
export function namespaceFolder(namespace: string): string {
  const clean = namespace.replace(/^\/+|\/+$/g, "");
  return clean === "" ? "_root" : clean.replace(/\//g, "__");
}

/** Buffers exchanges and writes them, gzip-compressed, into per-namespace hourly files. */
export class AuditArchive {
  private buffer = new Map<string, string[]>();
  private count = 0;

  /** @param options where and how long */
  constructor(private readonly options: AuditArchiveOptions) {
    if (!(options.retentionMs > 0)) throw new RangeError(`retentionMs must be positive, got ${options.retentionMs}`);
  }

  /** Queue one exchange; flushes when the buffer is full. */
  async add(exchange: AuditExchange): Promise<void> {
    const hour = exchange.request.time.toISOString().slice(0, 13).replace(/[-T]/g, "");
    const file = join(namespaceFolder(exchange.namespace), `audit-${hour}.jsonl.gz`);
    const line = JSON.stringify({ request: exchange.request, response: exchange.response });
    const list = this.buffer.get(file) ?? [];
    list.push(line);
    this.buffer.set(file, list);
    if (++this.count >= (this.options.flushEvery ?? 1000)) await this.flush();
  }

  /** Write everything buffered. */
  async flush(): Promise<void> {
    const pending = this.buffer;
    this.buffer = new Map();
    this.count = 0;
    for (const [file, lines] of pending) {
      const path = join(this.options.dir, file);
      await mkdir(join(path, ".."), { recursive: true, mode: 0o700 });
      await appendFile(path, gzipSync(`${lines.join("\n")}\n`), { mode: 0o600 });
    }
  }

  /** Delete files older than the retention period; returns the deleted paths. */
  async prune(now: number = Date.now()): Promise<string[]> {
    const deleted: string[] = [];
    for (const folder of await readdir(this.options.dir).catch(() => [] as string[])) {
      for (const name of await readdir(join(this.options.dir, folder)).catch(() => [] as string[])) {
        const m = FILE.exec(name);
        if (!m) continue;
        // An hourly file is complete at the end of its hour; it expires retention after that.
        const end = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]) + 1);
        if (now - end > this.options.retentionMs) {
          const path = join(this.options.dir, folder, name);
          await rm(path, { force: true });
          deleted.push(path);
        }
      }
    }
    return deleted;
  }
}
