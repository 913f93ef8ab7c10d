import { VaultClient, VaultHttpError } from "../../../../runtime";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { selectedFlavors } from "../../../support/server-binaries";

describe.each(selectedFlavors())("KV v2 against a real %s dev server", (flavor) => {
  let server: DevServer;
  let client: VaultClient;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    client = new VaultClient({ address: server.address, token: server.token });
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it("writes versions and reads the latest and a given version", async () => {
    const kv = client.kv("secret");
    const v1 = await kv.write("app/db", { user: "app", password: "first" });
    const v2 = await kv.write("app/db", { user: "app", password: "second" });
    expect(v1.version).toBe(1);
    expect(v2.version).toBe(2);
    expect(Date.parse(v2.createdTime)).toBeGreaterThanOrEqual(Date.parse(v1.createdTime));

    const latest = await kv.read("app/db");
    expect(latest?.data).toEqual({ user: "app", password: "second" });
    expect(latest?.metadata.version).toBe(2);

    const first = await kv.read("app/db", { version: 1 });
    expect(first?.data).toEqual({ user: "app", password: "first" });
    expect(first?.metadata.version).toBe(1);
  });

  it("enforces check-and-set with a typed error naming the path", async () => {
    const kv = client.kv();
    await kv.write("app/cas", { n: 1 }, { cas: 0 });
    const failure = await kv.write("app/cas", { n: 2 }, { cas: 0 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(VaultHttpError);
    const err = failure as VaultHttpError;
    expect(err.status).toBe(400);
    expect(err.path).toBe("secret/data/app/cas");
    expect(err.message).toContain("check-and-set");
    expect(err.message).not.toContain(server.token);
    expect((await kv.write("app/cas", { n: 2 }, { cas: 1 })).version).toBe(2);
  });

  it("reads a missing secret as undefined and refuses a bad token with 403", async () => {
    expect(await client.kv().read("does/not/exist")).toBeUndefined();
    const stranger = new VaultClient({ address: server.address, token: "not-a-real-token" });
    try {
      const failure = await stranger
        .kv()
        .read("app/db")
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(VaultHttpError);
      expect((failure as VaultHttpError).status).toBe(403);
    } finally {
      await stranger.close();
    }
  });

  it("patches, soft-deletes, undeletes and destroys versions", async () => {
    const kv = client.kv();
    await kv.write("life/cycle", { a: "1", b: "2" });
    const patched = await kv.patch("life/cycle", { b: null, c: "3" });
    expect(patched.version).toBe(2);
    expect((await kv.read("life/cycle", { cache: "bypass" }))?.data).toEqual({ a: "1", c: "3" });

    await kv.delete("life/cycle");
    expect(await kv.read("life/cycle", { cache: "bypass" })).toBeUndefined();
    await kv.undelete("life/cycle", [2]);
    expect((await kv.read("life/cycle", { cache: "bypass" }))?.metadata.version).toBe(2);

    await kv.destroy("life/cycle", [1]);
    expect(await kv.read("life/cycle", { version: 1, cache: "bypass" })).toBeUndefined();
    const meta = await kv.readMetadata("life/cycle");
    expect(meta?.currentVersion).toBe(2);
    expect(meta?.versions["1"].destroyed).toBe(true);
    expect(meta?.versions["2"].destroyed).toBe(false);
  });

  it("writes and reads metadata, lists keys and deletes everything", async () => {
    const kv = client.kv();
    await kv.write("meta/one", { x: 1 });
    await kv.write("meta/sub/two", { x: 2 });
    await kv.writeMetadata("meta/one", {
      maxVersions: 3,
      casRequired: true,
      deleteVersionAfter: "720h",
      customMetadata: { owner: "team-a" },
    });
    const meta = await kv.readMetadata("meta/one");
    expect(meta).toMatchObject({ maxVersions: 3, casRequired: true, deleteVersionAfter: "720h0m0s", customMetadata: { owner: "team-a" } });
    await expect(kv.write("meta/one", { x: 3 })).rejects.toMatchObject({ status: 400 });
    expect([...(await kv.list("meta"))].sort()).toEqual(["one", "sub/"]);
    expect(await kv.list("nothing-here")).toEqual([]);
    await kv.deleteMetadata("meta/one");
    expect(await kv.readMetadata("meta/one")).toBeUndefined();
  });

  it("batches writes and reads with bounded concurrency, one result per item and typed failures", async () => {
    const kv = client.kv();
    const items = Array.from({ length: 40 }, (_, i) => ({ path: `batch/${i}`, data: { i } }));
    const written = await kv.writeBatch([...items, { path: "batch/0", data: { again: true }, cas: 0 }], { concurrency: 8 });
    expect(written.slice(0, 40).every((r) => r.ok)).toBe(true);
    const conflict = written[40];
    expect(conflict.ok).toBe(false);
    expect(!conflict.ok && conflict.error).toBeInstanceOf(VaultHttpError);
    const read = await kv.readBatch(items.map((i) => i.path).concat("batch/missing"), { concurrency: 8 });
    expect(read.map((r) => (r.ok ? r.value?.data : "error"))).toEqual([...items.map((i) => i.data), undefined]);
  });

  it("serves repeated reads from the cache and drops the entry on write", async () => {
    const kv = client.kv();
    await kv.write("cached/value", { v: 1 });
    const before = client.cache?.stats();
    await kv.read("cached/value");
    await kv.read("cached/value");
    await kv.read("cached/value");
    const after = client.cache?.stats();
    expect((after?.hits ?? 0) - (before?.hits ?? 0)).toBe(2);
    await kv.write("cached/value", { v: 2 });
    expect((await kv.read("cached/value"))?.data).toEqual({ v: 2 });
  });

  it("keeps names with #, ? and %2e%2e inside the mount, as the literal secret names they are", async () => {
    const kv = client.kv();
    await kv.write("odd/a#1", { v: "hash" });
    await kv.write("odd/b?x=1", { v: "query" });
    await kv.write("odd/%2e%2e", { v: "dots" });
    expect((await kv.read("odd/a#1", { cache: "bypass" }))?.data).toEqual({ v: "hash" });
    expect((await kv.read("odd/b?x=1", { cache: "bypass" }))?.data).toEqual({ v: "query" });
    expect((await kv.read("odd/%2e%2e", { cache: "bypass" }))?.data).toEqual({ v: "dots" });
    expect(await kv.read("odd/a", { cache: "bypass" })).toBeUndefined();
    expect([...(await kv.list("odd"))].sort()).toEqual(["%2e%2e", "a#1", "b?x=1"]);
    await expect(kv.list("../../sys/policy")).rejects.toThrow('KV v2 list prefix must not contain "." or ".." segments');
  });

  it("rejects paths that would escape the mount before sending anything", async () => {
    await expect(client.kv().read("../sys/policies")).rejects.toThrow(
      'KV v2 secret path must not contain "." or ".." segments: "../sys/policies"',
    );
    await expect(client.kv().write("", {})).rejects.toThrow("KV v2 secret path must not be empty");
  });
});
