/**
 * Fuzzing transit answer handling: whatever a 200 (or an accepted 400) carries — any JSON, or a
 * real answer with a field replaced — encrypt, decrypt, their batches, sign/verify and hmac
 * return a value or raise one of the runtime's typed errors (a VaultError: TransitError,
 * TransitInputError, VaultProtocolError, …) — never a TypeError from deep inside. The answers
 * come from a stand-in requester (the real server never sends these shapes).
 */
import fc from "fast-check";
import { VaultError } from "../../../../runtime/core/errors";
import { TransitApi } from "../../../../runtime/engines/transit";
import type { VaultRequest, VaultResponse } from "../../../../runtime/transport/http-transport";
import type { Requester } from "../../../../runtime/transport/requester";
import { fuzzAsync } from "../../../support/fuzz";

function answeringStandIn(status: number, body: unknown): Requester {
  return { setToken: () => undefined, request: <T>(_req: VaultRequest) => Promise.resolve({ status, body } as VaultResponse<T>) };
}

const CT = "vault:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
const real = [
  { data: { ciphertext: CT, key_version: 1 } },
  { data: { plaintext: Buffer.from("hello").toString("base64") } },
  { data: { batch_results: [{ ciphertext: CT, key_version: 1 }] } },
  { data: { batch_results: [{ plaintext: "aGVsbG8=" }] } },
  { data: { signature: CT, key_version: 1 } },
  { data: { valid: true } },
  { data: { hmac: CT, key_version: 1 } },
  { errors: ["encryption key not found"] },
];

const damaged = fc.tuple(fc.constantFrom(...real), fc.nat(), fc.jsonValue()).map(([answer, pick, value]) => {
  const copy = structuredClone(answer) as Record<string, unknown>;
  const data = copy.data as Record<string, unknown> | undefined;
  if (!data) return { errors: value };
  const keys = Object.keys(data);
  const key = keys[pick % keys.length];
  if (key === "batch_results" && Array.isArray(data.batch_results) && pick % 2 === 0) {
    const item = data.batch_results[0] as Record<string, unknown>;
    const itemKeys = Object.keys(item);
    item[itemKeys[pick % itemKeys.length]] = value;
  } else data[key] = value;
  return copy;
});

async function onlyTyped(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    // The untyped error's own text and where it came from, so a failure says what broke.
    if (!(error instanceof VaultError)) throw new Error(`not a typed error: ${error instanceof Error ? error.stack : String(error)}`);
  }
}

describe("transit answers under fuzzing", () => {
  it("a real answer parses", async () => {
    expect((await new TransitApi(answeringStandIn(200, real[0]), "transit").encrypt("k", "hello")).ciphertext).toBe(CT);
  });

  it("encrypt, decrypt, batches, sign, verify, hmac: a value or a typed error", async () => {
    await fuzzAsync(
      "transit answers (encrypt, decrypt, batches, sign, verify, hmac)",
      fc.tuple(fc.constantFrom(200, 400), fc.oneof(fc.jsonValue(), damaged, damaged, damaged)),
      async ([status, body]) => {
        const transit = new TransitApi(answeringStandIn(status, body), "transit");
        await onlyTyped(() => transit.encrypt("k", "hello"));
        await onlyTyped(() => transit.decrypt("k", CT));
        await onlyTyped(async () => {
          for (const r of await transit.encryptBatch("k", ["hello"])) if (!r.ok) expect(r.error).toBeInstanceOf(VaultError);
        });
        await onlyTyped(async () => {
          for (const r of await transit.decryptBatch("k", [CT])) if (!r.ok) expect(r.error).toBeInstanceOf(VaultError);
        });
        await onlyTyped(() => transit.sign("k", "hello"));
        await onlyTyped(() => transit.verify("k", "hello", CT));
        await onlyTyped(() => transit.hmac("k", "hello"));
      },
      1_000,
    );
  });
});
