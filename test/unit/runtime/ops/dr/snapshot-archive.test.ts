import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { SnapshotInvalidError, verifySnapshotArchive } from "../../../../../runtime/ops/dr/snapshot-archive";
import { selectExpired } from "../../../../../runtime/ops/dr/backup-schedule";

/** A ustar entry, written here so the tests control every byte the verifier reads. */
function entry(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, "utf8");
  header.write("0000600\0", 100, "ascii");
  header.write("0000000\0", 108, "ascii");
  header.write("0000000\0", 116, "ascii");
  header.write(`${data.length.toString(8).padStart(11, "0")}\0`, 124, "ascii");
  header.write("00000000000\0", 136, "ascii");
  header.write("        ", 148, "ascii");
  header.write("0", 156, "ascii");
  header.write("ustar\0", 257, "ascii");
  header.write("00", 263, "ascii");
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return Buffer.concat([header, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

function archive(options: { meta?: Buffer; state?: Buffer; sums?: string; sealed?: Buffer; omit?: string } = {}): Buffer {
  const meta = options.meta ?? Buffer.from(JSON.stringify({ ID: "2-10-1", Index: 10, Term: 2 }));
  const state = options.state ?? Buffer.from("raft state bytes");
  const sums = options.sums ?? `${sha(meta)}  meta.json\n${sha(state)}  state.bin\n`;
  const files: [string, Buffer][] = [
    ["meta.json", meta],
    ["state.bin", state],
    ["SHA256SUMS", Buffer.from(sums)],
    ["SHA256SUMS.sealed", options.sealed ?? Buffer.from("sealed")],
  ];
  return gzipSync(Buffer.concat([...files.filter(([n]) => n !== options.omit).map(([n, d]) => entry(n, d)), Buffer.alloc(1024)]));
}

function reason(bytes: Uint8Array): SnapshotInvalidError {
  try {
    verifySnapshotArchive(bytes);
  } catch (e) {
    if (e instanceof SnapshotInvalidError) return e;
    throw e;
  }
  throw new Error("accepted");
}

describe("verifySnapshotArchive", () => {
  it("accepts a well-formed archive and reports its metadata and sums", () => {
    const bytes = archive();
    const v = verifySnapshotArchive(bytes);
    expect(v.meta).toEqual({ index: 10, term: 2, id: "2-10-1" });
    expect(v.sha256).toBe(sha(bytes));
    expect(v.entries["state.bin"]).toBe(16);
  });

  it("names what is wrong", () => {
    expect(reason(new Uint8Array()).message).toContain("empty");
    expect(reason(archive().subarray(0, 40)).message).toContain("gzip");
    expect(reason(gzipSync(entry("meta.json", Buffer.alloc(2000, 1)).subarray(0, 1000))).message).toContain("cut short");
    expect(reason(gzipSync(entry("meta.json", Buffer.from("x")))).message).toContain("end marker");
    expect(reason(archive({ omit: "SHA256SUMS.sealed" })).file).toBe("SHA256SUMS.sealed");
    expect(reason(archive({ sealed: Buffer.alloc(0) })).message).toContain("midstream");
    expect(reason(archive({ sums: "nonsense\n" })).file).toBe("SHA256SUMS");
    expect(reason(archive({ sums: `${"0".repeat(64)}  meta.json\n` })).file).toBe("meta.json");
    const state = Buffer.from("raft state bytes");
    expect(
      reason(
        archive({
          sums: `${sha(Buffer.from(JSON.stringify({ ID: "2-10-1", Index: 10, Term: 2 })))}  meta.json\n${sha(Buffer.from("other"))}  state.bin\n`,
          state,
        }),
      ).file,
    ).toBe("state.bin");
    const badMeta = Buffer.from("{nope");
    expect(reason(archive({ meta: badMeta })).message).toContain("not JSON");
    const noIndex = Buffer.from("{}");
    expect(reason(archive({ meta: noIndex })).message).toContain("Index");
    const corruptHeader = Buffer.concat([entry("meta.json", Buffer.from("x")), Buffer.alloc(1024)]);
    corruptHeader[0] ^= 1;
    expect(reason(gzipSync(corruptHeader)).message).toContain("checksum");
  });
});

describe("backup retention", () => {
  const at = (iso: string) => ({ path: iso, takenAt: new Date(iso) });
  const files = [at("2026-01-01T00:00:00Z"), at("2026-01-02T00:00:00Z"), at("2026-01-03T00:00:00Z"), at("2026-01-04T00:00:00Z")];
  const now = Date.parse("2026-01-04T12:00:00Z");

  it("keeps the newest N and drops older than the age limit, never the newest", () => {
    expect(selectExpired(files, { keepLast: 2 }, now).map((f) => f.path)).toEqual(["2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z"]);
    expect(selectExpired(files, { maxAgeMs: 36 * 3600_000 }, now).map((f) => f.path)).toEqual([
      "2026-01-02T00:00:00Z",
      "2026-01-01T00:00:00Z",
    ]);
    expect(selectExpired(files, { maxAgeMs: 1 }, now).map((f) => f.path)).toHaveLength(3);
    expect(selectExpired(files, {}, now)).toEqual([]);
  });
});
