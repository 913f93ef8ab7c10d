/** Kv2Api checks made before anything is sent. The engine against real OpenBao: test/integration/runtime/engines/kv2.test.ts. */
import { Kv2Api } from "../../../../runtime/engines/kv2";
import type { VaultRequest, VaultResponse } from "../../../../runtime/transport/http-transport";
import type { Requester } from "../../../../runtime/transport/requester";

const realAnswers = { write: { data: { version: 1, created_time: "2026-01-01T00:00:00Z", deletion_time: "", destroyed: false } } };

describe("KV v2 write options", () => {
  it("refuses an unknown ambiguous-write mode before sending anything", async () => {
    const sent: VaultRequest[] = [];
    const requester: Requester = {
      setToken: () => undefined,
      request: <T>(req: VaultRequest) => {
        sent.push(req);
        return Promise.resolve({ status: 200, body: realAnswers.write } as VaultResponse<T>);
      },
    };
    await expect(new Kv2Api(requester, "secret").write("app", { a: 1 }, { ambiguous: "retyr" as "retry" })).rejects.toThrow(
      'ambiguous must be "retry", "report" or "off", got "retyr"',
    );
    expect(sent).toEqual([]);
  });
});
