/**
 * The transit engine's pure logic: base64 for bytes and text, the version prefix, OpenBao's JSON
 * cost rule and the batch planner built on it, bounded concurrency, and the cutting of sent values
 * out of error messages (which a real server has no reason to echo, so it is checked here only).
 * Against real OpenBao: test/integration/runtime/engines/transit.test.ts, which also shows the
 * planner's 499-item split is exactly where the server starts refusing.
 */
import fc from "fast-check";
import {
  OPENBAO_REQUEST_LIMITS,
  TransitCiphertextError,
  TransitContextError,
  TransitError,
  TransitKeyNotFoundError,
  TransitKeyVersionTooOldError,
  VaultConnectionError,
  VaultHttpError,
} from "../../../../runtime";
import {
  JsonCost,
  JsonValue,
  ciphertextVersion,
  forEachBounded,
  fromBase64,
  jsonCost,
  planBatches,
  toBase64,
} from "../../../../runtime/engines/transit-batch";
import { classifyTransitError } from "../../../../runtime/engines/transit-errors";

describe("base64 for the caller's data", () => {
  it("encodes text as UTF-8 and bytes as they are, a view into a larger buffer included", () => {
    expect(toBase64("héllo ✓")).toBe(Buffer.from("héllo ✓", "utf8").toString("base64"));
    expect(toBase64("")).toBe("");
    const backing = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(toBase64(backing.subarray(2, 4))).toBe(Buffer.from([3, 4]).toString("base64"));
    expect(toBase64(Buffer.from([0xff, 0x00]))).toBe("/wA=");
    // A string is text, never read as base64.
    expect(toBase64("aGVsbG8=")).not.toBe("aGVsbG8=");
    expect(() => toBase64(42 as unknown as string)).toThrow(TypeError);
  });

  it("decodes standard padded base64 into a plain Uint8Array and refuses anything else", () => {
    const bytes = fromBase64("/wA=");
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect([...bytes]).toEqual([0xff, 0x00]);
    expect(fromBase64("")).toEqual(new Uint8Array());
    for (const bad of ["_wA=", "/wA", "a", "ab=c", "aGVsbG8=\n", "aGVs bG8="])
      expect(() => fromBase64(bad, "x")).toThrow("x is not standard base64");
  });

  it("round-trips any bytes and any text", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => expect(fromBase64(toBase64(bytes))).toEqual(bytes)));
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 100 }), (text) =>
        expect(Buffer.from(fromBase64(toBase64(text))).toString("utf8")).toBe(text),
      ),
    );
  });

  it("reads the key version from a vault:v<n>: prefix", () => {
    expect(ciphertextVersion("vault:v12:AAAA")).toBe(12);
    expect(ciphertextVersion("vault:v1:")).toBe(1);
    expect(ciphertextVersion("vault:vx:AAAA")).toBeUndefined();
    expect(ciphertextVersion("AAAA")).toBeUndefined();
  });
});

describe("OpenBao's JSON cost rule", () => {
  it("counts strings (keys included), the memory estimate and bytes as OpenBao's http/json.go does", () => {
    expect(jsonCost({})).toEqual({ strings: 0, memory: 16 + 72, bytes: 2 });
    // {"batch_input":[]}: object 88, key 16+16+11, array 16+24.
    expect(jsonCost({ batch_input: [] })).toEqual({ strings: 1, memory: 88 + 43 + 40, bytes: 18 });
    // {"plaintext":"aGVsbG8="}: object 88, key 16+16+9, value 16+16+8.
    expect(jsonCost({ plaintext: "aGVsbG8=" })).toEqual({ strings: 2, memory: 88 + 41 + 40, bytes: 24 });
    expect(jsonCost({ n: 1, b: true, z: null })).toEqual({ strings: 3, memory: 88 + 3 * 33 + 24 + 17 + 17, bytes: 25 });
    // Multi-byte text counts its UTF-8 bytes.
    expect(jsonCost({ t: "é" }).memory).toBe(88 + 33 + 34);
    expect(jsonCost({ skipped: undefined })).toEqual({ strings: 0, memory: 88, bytes: 2 });
  });
});

describe("jsonCost against a plain reference", () => {
  /** The rule written the obvious way: walk the parsed value, serialise for the bytes. */
  function reference(value: unknown): { strings: number; memory: number } {
    if (typeof value === "string") return { strings: 1, memory: 32 + Buffer.byteLength(value) };
    if (typeof value === "number") return { strings: 0, memory: 24 };
    if (typeof value === "boolean" || value === null) return { strings: 0, memory: 17 };
    const parts = Array.isArray(value)
      ? value.map(reference)
      : Object.entries(value as object).flatMap(([k, v]) => [reference(k), reference(v)]);
    return parts.reduce((a, b) => ({ strings: a.strings + b.strings, memory: a.memory + b.memory }), {
      strings: 0,
      memory: Array.isArray(value) ? 40 : 88,
    });
  }

  it("gives the same strings and memory as the reference and exactly the serialised bytes, for any JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = JSON.parse(JSON.stringify(value)) as JsonValue;
        expect(jsonCost(parsed)).toEqual({ ...reference(parsed), bytes: Buffer.byteLength(JSON.stringify(parsed)) });
      }),
      { numRuns: 300 },
    );
  });
});

describe("planBatches", () => {
  const item = (strings: number, memory = 100, bytes = 30): JsonCost => ({ strings, memory, bytes });
  const envelope = jsonCost({ type: "ecdsa-p256", batch_input: [] });

  it("puts 10,000 plain encrypt items in requests of 499 (the most under 1,000 strings), in order", () => {
    const cost = jsonCost({ plaintext: "aGVsbG8=" });
    const plan = planBatches(new Array<JsonCost>(10_000).fill(cost), jsonCost({ batch_input: [] }));
    expect(plan.oversized).toEqual([]);
    expect(plan.ranges.slice(0, 2)).toEqual([
      { start: 0, end: 499 },
      { start: 499, end: 998 },
    ]);
    expect(plan.ranges).toHaveLength(Math.ceil(10_000 / 499));
    expect(plan.ranges.at(-1)).toEqual({ start: 9_980, end: 10_000 });
  });

  it("fits 249 items with a context, and the sentinel type costs two strings more", () => {
    const withContext = jsonCost({ plaintext: "aGVsbG8=", context: "YXBwLWE=" });
    expect(planBatches(new Array<JsonCost>(600).fill(withContext), jsonCost({ batch_input: [] })).ranges[0]).toEqual({
      start: 0,
      end: 249,
    });
    const plain = jsonCost({ plaintext: "aGVsbG8=" });
    expect(planBatches(new Array<JsonCost>(600).fill(plain), envelope).ranges[0]).toEqual({ start: 0, end: 498 });
  });

  it("splits on bytes and memory too, and honours maxItems", () => {
    const big = item(2, 100, 1_000);
    expect(planBatches([big, big, big], envelope, { maxRequestBytes: 2_100 }).ranges).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 3 },
    ]);
    expect(planBatches([big, big, big], envelope, { maxJsonMemory: envelope.memory + 250 }).ranges).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 3 },
    ]);
    expect(planBatches([item(2), item(2), item(2)], envelope, { maxItems: 1 }).ranges).toHaveLength(3);
    expect(() => planBatches([item(2)], envelope, { maxItems: 0 })).toThrow(RangeError);
  });

  it("reports an item too large for any request and keeps the ones around it in order", () => {
    const plan = planBatches([item(2), item(2), item(5_000), item(2)], envelope);
    expect(plan.oversized).toEqual([2]);
    expect(plan.ranges).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 4 },
    ]);
    expect(planBatches([], envelope)).toEqual({ ranges: [], oversized: [] });
  });

  it("for any items and limits: ranges stay within the limits, cover every item once in order, and are as full as they can be", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            strings: fc.integer({ min: 0, max: 30 }),
            memory: fc.integer({ min: 1, max: 400 }),
            bytes: fc.integer({ min: 1, max: 200 }),
          }),
          {
            maxLength: 200,
          },
        ),
        fc.record({
          maxJsonStrings: fc.integer({ min: 1, max: 120 }),
          maxJsonMemory: fc.integer({ min: 200, max: 3_000 }),
          maxRequestBytes: fc.integer({ min: 30, max: 1_500 }),
          maxItems: fc.integer({ min: 1, max: 50 }),
        }),
        (items, limits) => {
          const env = { strings: 1, memory: 171, bytes: 18 };
          const { ranges, oversized } = planBatches(items, env, limits);
          const within = (start: number, end: number): boolean => {
            const part = items.slice(start, end);
            const sum = (f: (c: JsonCost) => number): number => part.reduce((n, c) => n + f(c), 0);
            return (
              end - start <= limits.maxItems &&
              env.strings + sum((c) => c.strings) <= limits.maxJsonStrings &&
              env.memory + sum((c) => c.memory) <= limits.maxJsonMemory &&
              env.bytes + sum((c) => c.bytes) + (end - start - 1) <= limits.maxRequestBytes
            );
          };
          const seen: number[] = [];
          for (const { start, end } of ranges) {
            expect(end).toBeGreaterThan(start);
            expect(within(start, end)).toBe(true);
            for (let i = start; i < end; i++) seen.push(i);
            // Greedy: the next item, if it was not refused, did not fit.
            if (end < items.length && !oversized.includes(end)) expect(within(start, end + 1)).toBe(false);
          }
          for (const index of oversized) expect(within(index, index + 1)).toBe(false);
          expect([...seen, ...oversized].sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
          expect(seen).toEqual([...seen].sort((a, b) => a - b));
        },
      ),
    );
  });

  it("defaults to OpenBao 2.6.1's listener limits", () => {
    expect(OPENBAO_REQUEST_LIMITS).toEqual({
      maxJsonStrings: 1000,
      maxJsonMemory: 34_078_720,
      maxRequestBytes: 33_554_432,
      maxItems: Number.POSITIVE_INFINITY,
    });
  });
});

describe("forEachBounded", () => {
  it("runs every index with never more than `concurrency` at once", async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachBounded(20, 3, async (i) => {
      running++;
      peak = Math.max(peak, running);
      await Promise.resolve();
      await Promise.resolve();
      done.push(i);
      running--;
    });
    expect(peak).toBe(3);
    expect([...done].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("rejects with the first failure and starts nothing after it", async () => {
    const started: number[] = [];
    const failure = await forEachBounded(10, 1, async (i) => {
      started.push(i);
      if (i === 2) throw new Error("boom");
    }).catch((e: unknown) => e);
    expect((failure as Error).message).toBe("boom");
    expect(started).toEqual([0, 1, 2]);
    await expect(forEachBounded(1, 0, async () => undefined)).rejects.toThrow(RangeError);
  });
});

describe("classifyTransitError", () => {
  const site = { mount: "transit", key: "app" };
  const refusal = (message: string, status = 400): VaultHttpError =>
    new VaultHttpError("POST", "transit/decrypt/app", status, [message], "req-1");

  it("cuts every sent value out of OpenBao's messages, should one ever be echoed", () => {
    const ciphertext = "vault:v1:c2VjcmV0LWNpcGhlcnRleHQ=";
    const plaintext = "c2VjcmV0LXBsYWludGV4dA==";
    const error = classifyTransitError(refusal(`cannot use ${ciphertext} or ${plaintext}`), site, {
      contextSent: false,
      sensitive: [ciphertext, plaintext],
    }) as TransitError;
    expect(error).toBeInstanceOf(TransitError);
    expect(error.message).not.toContain(ciphertext);
    expect(error.message).not.toContain(plaintext);
    expect(error.errors).toEqual(["cannot use [redacted] or [redacted]"]);
    expect(error.message).toContain('transit key "app" on mount "transit"');
    expect(error.message).toContain("transit/decrypt/app");
    expect(error.requestId).toBe("req-1");
  });

  it("tells the refusals apart by OpenBao's wording", () => {
    const facts = { contextSent: false, ciphertext: "vault:v3:AAAA" };
    expect(classifyTransitError(refusal("encryption key not found"), site, facts)).toBeInstanceOf(TransitKeyNotFoundError);
    expect(classifyTransitError(refusal("no existing key named app could be found"), site, facts)).toBeInstanceOf(TransitKeyNotFoundError);
    const tooOld = classifyTransitError(refusal("ciphertext or signature version is disallowed by policy (too old)"), site, facts);
    expect(tooOld).toBeInstanceOf(TransitKeyVersionTooOldError);
    expect((tooOld as TransitKeyVersionTooOldError).version).toBe(3);
    expect(classifyTransitError(refusal("missing 'context' for key derivation; …"), site, facts)).toMatchObject({ reason: "missing" });
    expect(classifyTransitError(refusal("cipher: message authentication failed"), site, { contextSent: true })).toMatchObject({
      reason: "mismatch",
    });
    expect(classifyTransitError(refusal("cipher: message authentication failed"), site, facts)).toBeInstanceOf(TransitCiphertextError);
    expect(classifyTransitError(refusal("invalid ciphertext: no prefix"), site, facts)).toBeInstanceOf(TransitCiphertextError);
    const other = classifyTransitError(refusal("key type aes256-gcm96 does not support signing"), site, facts);
    expect(other).toBeInstanceOf(TransitError);
    expect(other).not.toBeInstanceOf(TransitCiphertextError);
    expect(other).not.toBeInstanceOf(TransitContextError);
    const denied = classifyTransitError(refusal("permission denied", 403), site, facts) as TransitError;
    expect(denied.constructor).toBe(TransitError);
    expect(denied.status).toBe(403);
    const offline = new VaultConnectionError("POST", "transit/decrypt/app", "http://127.0.0.1:1", new Error("refused"));
    expect(classifyTransitError(offline, site, facts)).toBe(offline);
  });
});
