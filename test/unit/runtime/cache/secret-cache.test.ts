import { inspect } from "node:util";
import { SecretCache, VaultConnectionError, VaultDeadlineError, VaultHttpError, VaultUnavailableError } from "../../../../runtime";

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const outage = (): VaultConnectionError =>
  new VaultConnectionError("GET", "secret/data/a", "http://127.0.0.1:1", new Error("ECONNREFUSED"));

describe("SecretCache", () => {
  it("serves fresh entries, refills after the TTL and counts hits and misses", async () => {
    const c = clock();
    const cache = new SecretCache({ ttlMs: 1_000, now: c.now });
    let fills = 0;
    const fill = async (): Promise<{ value: string }> => ({ value: `v${++fills}` });
    expect(await cache.get("k", fill)).toBe("v1");
    expect(await cache.get("k", fill)).toBe("v1");
    c.advance(1_001);
    expect(await cache.get("k", fill)).toBe("v2");
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2, size: 1 });
  });

  it("expires leased values at the lease when it is shorter than the TTL", async () => {
    const c = clock();
    const cache = new SecretCache({ ttlMs: 60_000, now: c.now });
    let fills = 0;
    const fill = async (): Promise<{ value: number; leaseMs: number }> => ({ value: ++fills, leaseMs: 500 });
    await cache.get("lease", fill);
    c.advance(499);
    expect(await cache.get("lease", fill)).toBe(1);
    c.advance(2);
    expect(await cache.get("lease", fill)).toBe(2);
  });

  it("expires leased values at the cache TTL when the lease is longer (a lease never extends an entry)", async () => {
    const c = clock();
    const cache = new SecretCache({ ttlMs: 1_000, now: c.now });
    let fills = 0;
    const fill = async (): Promise<{ value: number; leaseMs: number }> => ({ value: ++fills, leaseMs: 3_600_000 });
    await cache.get("long-lease", fill);
    c.advance(999);
    expect(await cache.get("long-lease", fill)).toBe(1);
    c.advance(2);
    expect(await cache.get("long-lease", fill)).toBe(2);
  });

  it("ignores a zero or negative lease (the TTL applies)", async () => {
    for (const leaseMs of [0, -5]) {
      const c = clock();
      const cache = new SecretCache({ ttlMs: 1_000, now: c.now });
      let fills = 0;
      const fill = async (): Promise<{ value: number; leaseMs: number }> => ({ value: ++fills, leaseMs });
      await cache.get("k", fill);
      c.advance(999);
      expect(await cache.get("k", fill)).toBe(1);
      c.advance(1);
      expect(await cache.get("k", fill)).toBe(2);
    }
  });

  it("shares one fill among concurrent misses", async () => {
    const cache = new SecretCache();
    let fills = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const fill = async (): Promise<{ value: string }> => {
      fills++;
      await gate;
      return { value: "shared" };
    };
    const all = Promise.all(Array.from({ length: 10 }, () => cache.get("k", fill)));
    release();
    expect(await all).toEqual(Array(10).fill("shared"));
    expect(fills).toBe(1);
  });

  it("evicts the least recently used entry beyond maxEntries", async () => {
    const cache = new SecretCache({ maxEntries: 2 });
    const fill = (v: string) => async () => ({ value: v });
    await cache.get("a", fill("a"));
    await cache.get("b", fill("b"));
    await cache.get("a", fill("a2"));
    await cache.get("c", fill("c"));
    expect(await cache.get("a", fill("refilled"))).toBe("a");
    expect(await cache.get("b", fill("refilled"))).toBe("refilled");
    expect(cache.stats().evictions).toBe(2);
  });

  it("serves a critical entry stale during an outage, but never on an answer like 403", async () => {
    const c = clock();
    const cache = new SecretCache({ ttlMs: 1_000, staleIfErrorMs: 10_000, now: c.now });
    await cache.get("crit", async () => ({ value: "last-known" }), { critical: true });
    c.advance(5_000);
    let offered: boolean | undefined;
    const stale = await cache.get(
      "crit",
      async (hasFallback) => {
        offered = hasFallback;
        throw outage();
      },
      { critical: true },
    );
    expect(stale).toBe("last-known");
    expect(offered).toBe(true);
    expect(cache.stats().stale).toBe(1);

    const denied = new VaultHttpError("GET", "secret/data/a", 403, ["permission denied"], undefined);
    await expect(cache.get("crit", async () => Promise.reject(denied), { critical: true })).rejects.toBe(denied);
    await expect(cache.get("crit", async () => Promise.reject(outage()))).rejects.toBeInstanceOf(VaultConnectionError);
    c.advance(10_000);
    await expect(cache.get("crit", async () => Promise.reject(outage()), { critical: true })).rejects.toBeInstanceOf(VaultConnectionError);
  });

  it("invalidates by key and prefix and never caches undefined", async () => {
    const cache = new SecretCache();
    let n = 0;
    const fill = async (): Promise<{ value: number }> => ({ value: ++n });
    await cache.get("kv2:secret/a@latest", fill);
    await cache.get("kv2:secret/a@1", fill);
    await cache.get("kv2:secret/b@latest", fill);
    cache.invalidatePrefix("kv2:secret/a@");
    expect(cache.stats().size).toBe(1);
    cache.invalidate("kv2:secret/b@latest");
    expect(cache.stats().size).toBe(0);
    expect(await cache.get("missing", async () => ({ value: undefined }))).toBeUndefined();
    expect(cache.stats().size).toBe(0);
  });

  it("rejects nonsensical bounds", () => {
    expect(() => new SecretCache({ ttlMs: 0 })).toThrow("cache ttlMs must be positive, got 0");
    expect(() => new SecretCache({ maxEntries: 0 })).toThrow("cache maxEntries must be a positive integer, got 0");
  });

  it("rejects NaN and negative settings, and a fractional size", () => {
    expect(() => new SecretCache({ ttlMs: Number.NaN })).toThrow("cache ttlMs must be positive, got NaN");
    expect(() => new SecretCache({ ttlMs: -1 })).toThrow("cache ttlMs must be positive, got -1");
    expect(() => new SecretCache({ maxEntries: 1.5 })).toThrow("cache maxEntries must be a positive integer, got 1.5");
    expect(() => new SecretCache({ maxEntries: -3 })).toThrow("cache maxEntries must be a positive integer");
    expect(() => new SecretCache({ staleIfErrorMs: -1 })).toThrow("cache staleIfErrorMs must be zero or positive, got -1");
    expect(() => new SecretCache({ staleIfErrorMs: Number.NaN })).toThrow("cache staleIfErrorMs must be zero or positive, got NaN");
    expect(() => new SecretCache({ ttlMs: 1, maxEntries: 1, staleIfErrorMs: 0 })).not.toThrow();
  });

  it("an entry is stale at exactly its expiry instant, not one millisecond later", async () => {
    const c = clock();
    const cache = new SecretCache({ ttlMs: 1_000, now: c.now });
    let fills = 0;
    const fill = async (): Promise<{ value: number }> => ({ value: ++fills });
    await cache.get("k", fill);
    c.advance(999);
    expect(await cache.get("k", fill)).toBe(1);
    c.advance(1);
    expect(await cache.get("k", fill)).toBe(2);
  });

  it("set() keeps a value for the TTL even with a longer lease, for a shorter lease only that long", async () => {
    const c = clock();
    const cache = new SecretCache({ ttlMs: 1_000, now: c.now });
    const refill = async (): Promise<{ value: string }> => ({ value: "refilled" });
    cache.set("long", "L", 3_600_000);
    cache.set("short", "S", 100);
    cache.set("none", "N", 0);
    c.advance(99);
    expect(await cache.get("short", refill)).toBe("S");
    c.advance(1);
    expect(await cache.get("short", refill)).toBe("refilled");
    c.advance(899);
    expect(await cache.get("long", refill)).toBe("L");
    expect(await cache.get("none", refill)).toBe("N");
    c.advance(1);
    expect(await cache.get("long", refill)).toBe("refilled");
    expect(await cache.get("none", refill)).toBe("refilled");
  });

  it("falls back on a critical entry for every kind of outage, and on none of 501 or 4xx", async () => {
    const outages = [
      outage(),
      new VaultUnavailableError("GET", "p", "no-healthy-node", "all nodes unreachable"),
      new VaultDeadlineError("GET", "p", 1_000, 3),
      new VaultHttpError("GET", "p", 500, ["internal error"], undefined),
      new VaultHttpError("GET", "p", 503, ["sealed"], undefined),
    ];
    for (const error of outages) {
      const c = clock();
      const cache = new SecretCache({ ttlMs: 10, now: c.now });
      await cache.get("k", async () => ({ value: "old" }), { critical: true });
      c.advance(10);
      expect(await cache.get("k", () => Promise.reject(error), { critical: true })).toBe("old");
    }
    for (const error of [new VaultHttpError("GET", "p", 501, [], undefined), new VaultHttpError("GET", "p", 404, [], undefined)]) {
      const c = clock();
      const cache = new SecretCache({ ttlMs: 10, now: c.now });
      await cache.get("k", async () => ({ value: "old" }), { critical: true });
      c.advance(10);
      await expect(cache.get("k", () => Promise.reject(error), { critical: true })).rejects.toBe(error);
    }
  });
});

describe("SecretCache invalidation races", () => {
  it("does not store what a fill read before an invalidation, and later readers do not join that fill", async () => {
    const cache = new SecretCache();
    let release: (v: { value: string }) => void = () => undefined;
    const oldFill = cache.get("kv2:secret/a@latest", () => new Promise<{ value: string }>((r) => (release = r)));
    cache.invalidatePrefix("kv2:secret/a@");
    const fresh = cache.get("kv2:secret/a@latest", async () => ({ value: "NEW" }));
    release({ value: "OLD" });
    expect(await oldFill).toBe("OLD");
    expect(await fresh).toBe("NEW");
    expect(await cache.get("kv2:secret/a@latest", async () => ({ value: "refilled" }))).toBe("NEW");
  });

  it("the stale fallback ends exactly at expiry + staleIfErrorMs", async () => {
    let t = 0;
    const cache = new SecretCache({ ttlMs: 10, staleIfErrorMs: 100, now: () => t });
    await cache.get("k", async () => ({ value: "v" }), { critical: true });
    const down = (): Promise<never> => Promise.reject(new VaultConnectionError("GET", "p", "a", new Error("x")));
    t = 109;
    expect(await cache.get("k", down, { critical: true })).toBe("v");
    t = 110;
    await expect(cache.get("k", down, { critical: true })).rejects.toBeInstanceOf(VaultConnectionError);
    expect(cache.stats().size).toBe(0);
  });

  it("forgets entries too old even for the stale fallback", async () => {
    let t = 0;
    const cache = new SecretCache({ ttlMs: 10, staleIfErrorMs: 100, now: () => t });
    await cache.get("k", async () => ({ value: "v" }));
    t = 200;
    await expect(
      cache.get("k", () => Promise.reject(new VaultConnectionError("GET", "p", "a", new Error("x"))), { critical: true }),
    ).rejects.toBeInstanceOf(VaultConnectionError);
    expect(cache.stats().size).toBe(0);
  });
});

/** A fill that resolves when the test says so, counting how often the cache called it. */
function deferredFills(): { fill: () => Promise<{ value: string }>; calls: () => number; resolve: (i: number, value: string) => void } {
  const resolvers: ((v: { value: string }) => void)[] = [];
  return {
    fill: () => new Promise<{ value: string }>((r) => resolvers.push(r)),
    calls: () => resolvers.length,
    resolve: (i, value) => resolvers[i]({ value }),
  };
}

describe("SecretCache bookkeeping", () => {
  it("reports every lookup as a miss, hit or stale answer, in order", async () => {
    let t = 0;
    const seen: string[] = [];
    const cache = new SecretCache({ ttlMs: 10, now: () => t, onLookup: (r) => seen.push(r) });
    await cache.get("k", async () => ({ value: "v" }), { critical: true });
    await cache.get("k", async () => ({ value: "unused" }), { critical: true });
    t = 20;
    expect(await cache.get("k", () => Promise.reject(outage()), { critical: true })).toBe("v");
    expect(seen).toEqual(["miss", "hit", "miss", "stale"]);
    expect(cache.stats()).toEqual({ hits: 1, misses: 2, stale: 1, evictions: 0, size: 1 });
  });

  it("invalidate(key) drops that key only, cached or being filled", async () => {
    const cache = new SecretCache();
    await cache.get("a", async () => ({ value: "A" }));
    await cache.get("b", async () => ({ value: "B" }));
    const fills = deferredFills();
    const pendingB = cache.get("b2", fills.fill);
    cache.invalidate("a");
    expect(await cache.get("b", async () => ({ value: "refilled" }))).toBe("B");
    expect(await cache.get("a", async () => ({ value: "A2" }))).toBe("A2");
    // The fill of b2 is still shared: invalidating "a" did not forget it.
    const joined = cache.get("b2", fills.fill);
    expect(fills.calls()).toBe(1);
    fills.resolve(0, "B2");
    expect(await pendingB).toBe("B2");
    expect(await joined).toBe("B2");
  });

  it("a fill that ends after its key was invalidated does not forget the newer fill", async () => {
    const cache = new SecretCache();
    const fills = deferredFills();
    const first = cache.get("k", fills.fill);
    cache.invalidate("k");
    const second = cache.get("k", fills.fill);
    fills.resolve(0, "old");
    expect(await first).toBe("old");
    const third = cache.get("k", fills.fill);
    expect(fills.calls()).toBe(2);
    fills.resolve(1, "new");
    expect(await second).toBe("new");
    expect(await third).toBe("new");
  });

  it("clear() drops every entry and fill; a fill under way is not stored, even after further invalidations", async () => {
    const cache = new SecretCache();
    await cache.get("a", async () => ({ value: "A" }));
    const fills = deferredFills();
    const pending = cache.get("b", fills.fill);
    cache.invalidate("x");
    cache.clear();
    expect(cache.stats().size).toBe(0);
    fills.resolve(0, "B-before-clear");
    expect(await pending).toBe("B-before-clear");
    expect(cache.stats().size).toBe(0);
    expect(await cache.get("a", async () => ({ value: "A2" }))).toBe("A2");
    expect(await cache.get("b", async () => ({ value: "B2" }))).toBe("B2");
  });

  it("checks the stale window again when the fill starts (a clock that ticks between reads)", async () => {
    const times = [0, 0, 109, 110];
    let i = 0;
    const cache = new SecretCache({ ttlMs: 10, staleIfErrorMs: 100, now: () => times[Math.min(i++, times.length - 1)] });
    await cache.get("k", async () => ({ value: "v" }), { critical: true });
    let offered: boolean | undefined;
    const failing = (hasStaleFallback: boolean): Promise<never> => {
      offered = hasStaleFallback;
      return Promise.reject(outage());
    };
    await expect(cache.get("k", failing, { critical: true })).rejects.toBeInstanceOf(VaultConnectionError);
    expect(offered).toBe(false);
  });

  it("keeps an entry filled without a lease for the TTL", async () => {
    let t = 0;
    const cache = new SecretCache({ ttlMs: 50, now: () => t });
    cache.set("k", "direct");
    await cache.get("f", async () => ({ value: "filled" }));
    t = 49;
    expect(await cache.get("k", async () => ({ value: "refilled" }))).toBe("direct");
    expect(await cache.get("f", async () => ({ value: "refilled" }))).toBe("filled");
  });

  it("shows counters, never a cached value, to inspect and JSON.stringify", async () => {
    const cache = new SecretCache();
    await cache.get("db", async () => ({ value: "s3cr3t-value" }));
    expect(inspect(cache)).toBe('SecretCache({"hits":0,"misses":1,"stale":0,"evictions":0,"size":1})');
    expect(JSON.parse(JSON.stringify(cache))).toEqual({ hits: 0, misses: 1, stale: 0, evictions: 0, size: 1 });
    expect(JSON.stringify(cache)).not.toContain("s3cr3t");
  });
});
