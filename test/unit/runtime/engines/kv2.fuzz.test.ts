/**
 * Fuzzing KV v2 answer handling: whatever body a 200 carries (any JSON, or a real answer with a
 * field replaced by any JSON), reads, writes, metadata reads and lists return a value or raise a
 * VaultProtocolError naming the path — never a TypeError from deep inside. The answers come from
 * a stand-in requester (the real server never sends these shapes; a proxy in the way could).
 */
import fc from "fast-check";
import { VaultProtocolError } from "../../../../runtime/core/errors";
import { Kv2Api } from "../../../../runtime/engines/kv2";
import type { VaultRequest, VaultResponse } from "../../../../runtime/transport/http-transport";
import type { Requester } from "../../../../runtime/transport/requester";
import { fuzzAsync } from "../../../support/fuzz";

/** A requester that answers every request with HTTP 200 and `body`. */
function answeringStandIn(body: unknown): Requester {
  return { setToken: () => undefined, request: <T>(_req: VaultRequest) => Promise.resolve({ status: 200, body } as VaultResponse<T>) };
}

const meta = { version: 3, created_time: "2026-01-01T00:00:00Z", deletion_time: "", destroyed: false };
const realAnswers = {
  read: { data: { data: { user: "app" }, metadata: meta } },
  write: { data: meta },
  metadata: {
    data: {
      current_version: 3,
      oldest_version: 1,
      max_versions: 0,
      cas_required: false,
      delete_version_after: "0s",
      custom_metadata: null,
      versions: { "3": meta },
    },
  },
  list: { data: { keys: ["a", "b/"] } },
};

/** A real answer with one field, at any depth of its `data`, replaced by an arbitrary JSON value. */
const damaged = fc.tuple(fc.constantFrom(...Object.values(realAnswers)), fc.nat(), fc.jsonValue()).map(([answer, pick, value]) => {
  const copy = structuredClone(answer) as { data: Record<string, unknown> };
  const paths: (readonly string[])[] = [];
  const walk = (node: unknown, at: readonly string[]): void => {
    paths.push(at);
    if (typeof node === "object" && node !== null && !Array.isArray(node)) for (const [k, v] of Object.entries(node)) walk(v, [...at, k]);
  };
  walk(copy.data, []);
  const path = paths[pick % paths.length];
  if (path.length === 0) return { data: value };
  let node = copy.data as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
});

async function onlyProtocolErrors(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultProtocolError);
    expect((error as VaultProtocolError).path).toMatch(/^secret\/(data|metadata)\/app/);
  }
}

describe("KV v2 answers under fuzzing", () => {
  it("the real answers parse", async () => {
    expect((await new Kv2Api(answeringStandIn(realAnswers.read), "secret").read("app"))?.data).toEqual({ user: "app" });
    expect((await new Kv2Api(answeringStandIn(realAnswers.write), "secret").write("app", { a: 1 }, { ambiguous: "off" })).version).toBe(3);
    expect((await new Kv2Api(answeringStandIn(realAnswers.metadata), "secret").readMetadata("app"))?.currentVersion).toBe(3);
    expect(await new Kv2Api(answeringStandIn(realAnswers.list), "secret").list("app")).toEqual(["a", "b/"]);
  });

  it("read, write, readMetadata and list: a value or a VaultProtocolError", async () => {
    await fuzzAsync(
      "KV v2 answers (read, write, readMetadata, list)",
      fc.oneof(fc.jsonValue(), damaged, damaged, damaged),
      async (body) => {
        const kv = new Kv2Api(answeringStandIn(body), "secret");
        await onlyProtocolErrors(() => kv.read("app"));
        await onlyProtocolErrors(() => kv.write("app", { a: 1 }, { ambiguous: "off" }));
        await onlyProtocolErrors(() => kv.readMetadata("app"));
        await onlyProtocolErrors(() => kv.list("app"));
      },
      2_000,
    );
  });
});
