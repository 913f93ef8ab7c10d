/**
 * Pure helpers of the transit engine: base64 for the caller's bytes and text, the key version in
 * a `vault:v<n>:` prefix, and the planning of `batch_input` into requests the server accepts.
 *
 * Why batches are split: OpenBao (2.6.1) refuses a request body whose JSON has more than 1,000
 * strings — object keys included — with 400 "refused JSON input due to high complexity: exceeded
 * maximum number of strings" (listener `max_request_json_strings`), and it also bounds an estimate
 * of the decoded JSON's memory (`max_request_json_memory`, 32.5 MiB) and the body size
 * (`max_request_size`, 32 MiB). An item `{"plaintext": "…"}` costs two strings, so one encrypt
 * request holds at most 499 plain items (249 with a `context`). {@link planBatches} packs items in
 * order into as few requests as those limits allow, counting exactly what the server counts.
 */

/** Bytes, or text that is sent as its UTF-8 encoding. A string is never read as base64. */
export type TransitData = Uint8Array | string;

/** Base64 (standard alphabet, padded) of `value`; a string is encoded as UTF-8 first. */
export function toBase64(value: TransitData): string {
  if (typeof value === "string") return Buffer.from(value, "utf8").toString("base64");
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  throw new TypeError(`expected a Uint8Array or a string, got ${value === null ? "null" : typeof value}`);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes of standard, padded base64 (what OpenBao sends); throws a TypeError naming `what` on anything else. */
export function fromBase64(value: string, what = "value"): Uint8Array {
  if (typeof value !== "string" || !BASE64.test(value)) throw new TypeError(`${what} is not standard base64`);
  return new Uint8Array(Buffer.from(value, "base64"));
}

/** The key version a transit ciphertext, signature or HMAC was made with (`vault:v3:…` → 3), or undefined when it has no such prefix. */
export function ciphertextVersion(value: string): number | undefined {
  const match = /^vault:v(\d+):/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/** What the server counts in a JSON body: strings (keys included), its memory estimate, and bytes on the wire. */
export interface JsonCost {
  /** Strings, object keys included. */
  readonly strings: number;
  /** OpenBao's estimate of the memory its decoder needs, in bytes. */
  readonly memory: number;
  /** UTF-8 bytes of the serialised JSON. */
  readonly bytes: number;
}

/** A JSON value as this module builds request bodies. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

// OpenBao's per-token estimate (http/json.go): 16 bytes for any token, plus 8 for a number, 16
// plus the length for a string, 24 for an array, 72 for an object, 1 for a bool or null.
const BASE = 16;

/** Printable ASCII that JSON writes as is: a string of these takes its length plus two quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

interface MutableCost {
  strings: number;
  memory: number;
  bytes: number;
}

function addString(value: string, into: MutableCost): void {
  into.strings += 1;
  if (PLAIN.test(value)) {
    into.memory += BASE + 16 + value.length;
    into.bytes += value.length + 2;
  } else {
    into.memory += BASE + 16 + Buffer.byteLength(value, "utf8");
    into.bytes += Buffer.byteLength(JSON.stringify(value), "utf8");
  }
}

/**
 * Add `value`'s cost to `into`, without serialising it: batch items are costed one by one, and
 * a 10,000-item batch would otherwise spend more time in `JSON.stringify` than on the wire.
 */
function addCost(value: JsonValue, into: MutableCost): void {
  if (typeof value === "string") return addString(value, into);
  if (typeof value === "number") {
    into.memory += BASE + 8;
    into.bytes += JSON.stringify(value).length;
    return;
  }
  if (typeof value === "boolean" || value === null) {
    into.memory += BASE + 1;
    into.bytes += String(value).length;
    return;
  }
  let count = 0;
  if (Array.isArray(value)) {
    into.memory += BASE + 24;
    for (const element of value as readonly JsonValue[]) {
      addCost(element, into);
      count++;
    }
  } else {
    into.memory += BASE + 72;
    const object = value as { readonly [key: string]: JsonValue | undefined };
    for (const key in object) {
      const element = object[key];
      if (element === undefined) continue;
      addString(key, into);
      into.bytes += 1; // the colon
      addCost(element, into);
      count++;
    }
  }
  into.bytes += 2 + Math.max(0, count - 1); // brackets and commas
}

/** The cost of `value` as OpenBao counts it. */
export function jsonCost(value: JsonValue): JsonCost {
  const cost: MutableCost = { strings: 0, memory: 0, bytes: 0 };
  addCost(value, cost);
  return cost;
}

/** Limits one request must stay within (a listener's settings). */
export interface TransitRequestLimits {
  /** Listener `max_request_json_strings`. @default 1000 */
  readonly maxJsonStrings?: number;
  /** Listener `max_request_json_memory`, in bytes. @default 34078720 (32.5 MiB) */
  readonly maxJsonMemory?: number;
  /** Listener `max_request_size`, in bytes. @default 33554432 (32 MiB) */
  readonly maxRequestBytes?: number;
  /** Items per request, for servers with a limit of their own. @default no limit */
  readonly maxItems?: number;
}

/** OpenBao 2.6.1's defaults (http/handler.go, vault/request_handling.go). */
export const OPENBAO_REQUEST_LIMITS: Required<TransitRequestLimits> = {
  maxJsonStrings: 1000,
  maxJsonMemory: 32 * 1024 * 1024 + 512 * 1024,
  maxRequestBytes: 32 * 1024 * 1024,
  maxItems: Number.POSITIVE_INFINITY,
};

/** Consecutive items `[start, end)` sent in one request. */
export interface BatchRange {
  readonly start: number;
  readonly end: number;
}

/** How {@link planBatches} splits a batch. */
export interface BatchPlan {
  /** Requests to send, in input order; together they hold every item not in `oversized`. */
  readonly ranges: readonly BatchRange[];
  /** Items too large for any request on their own (refused client-side, reported at their index). */
  readonly oversized: readonly number[];
}

/**
 * Split `items` (their costs) into consecutive ranges, each sent as `envelope` (the body's other
 * fields with an empty `batch_input`) plus its items, so that no request passes `limits`. Order is
 * kept; an item that would not fit even alone is listed in `oversized` and sent nowhere.
 */
export function planBatches(items: readonly JsonCost[], envelope: JsonCost, limits: TransitRequestLimits = {}): BatchPlan {
  const max = { ...OPENBAO_REQUEST_LIMITS, ...limits };
  if (!(max.maxItems >= 1)) throw new RangeError(`maxItems must be at least 1, got ${max.maxItems}`);
  const fits = (strings: number, memory: number, bytes: number): boolean =>
    envelope.strings + strings <= max.maxJsonStrings &&
    envelope.memory + memory <= max.maxJsonMemory &&
    envelope.bytes + bytes <= max.maxRequestBytes;
  const ranges: BatchRange[] = [];
  const oversized: number[] = [];
  let start = -1;
  let count = 0;
  let strings = 0;
  let memory = 0;
  let bytes = 0;
  const close = (end: number): void => {
    if (count > 0) ranges.push({ start, end });
    start = -1;
    count = strings = memory = bytes = 0;
  };
  items.forEach((item, index) => {
    // A comma separates every item after the first.
    const extra = count > 0 ? 1 : 0;
    if (count > 0 && (count >= max.maxItems || !fits(strings + item.strings, memory + item.memory, bytes + item.bytes + extra)))
      close(index);
    if (!fits(item.strings, item.memory, item.bytes)) {
      close(index);
      oversized.push(index);
      return;
    }
    if (count === 0) start = index;
    bytes += count > 0 ? item.bytes + 1 : item.bytes;
    strings += item.strings;
    memory += item.memory;
    count++;
  });
  close(items.length);
  return { ranges, oversized };
}

/** Run `task` for each of `count` indexes with at most `concurrency` running; the first failure rejects (nothing new starts after it). */
export async function forEachBounded(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < count) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
