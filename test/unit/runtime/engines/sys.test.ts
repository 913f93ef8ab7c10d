/**
 * `sys/health` status codes → node states. A scripted requester answers with one status and
 * keeps the transport's rule (a non-2xx status not in `acceptStatus` is thrown as an HTTP error),
 * so a code missing from the accepted list fails here as it would against a server. Against real
 * OpenBao: 200 in test/integration/runtime/engines/sys.test.ts, standby (429) and sealed (503) node
 * states in test/integration/runtime/client/vault-client.test.ts; 472–474 and 530 are Vault-only: here only.
 */
import { SysApi, VaultHttpError, VaultRequest } from "../../../../runtime";
import type { Requester } from "../../../../runtime/transport/requester";

const BODY = { initialized: true, sealed: false, standby: false, server_time_utc: 1, version: "1.21.4" };

function answering(status: number, body: unknown): { requester: Requester; sent: VaultRequest[] } {
  const sent: VaultRequest[] = [];
  const requester: Requester = {
    setToken: () => undefined,
    request: async <T>(req: VaultRequest) => {
      sent.push(req);
      const ok = (status >= 200 && status < 300) || (req.acceptStatus ?? []).includes(status);
      if (!ok) throw new VaultHttpError(req.method, req.path, status, [], undefined);
      return { status, body: body as T };
    },
  };
  return { requester, sent };
}

describe("SysApi.health", () => {
  it.each([
    [200, "active"],
    [429, "standby"],
    [472, "dr-secondary"],
    [473, "performance-standby"],
    [474, "standby-unreachable-active"],
    [501, "uninitialized"],
    [503, "sealed"],
    [530, "removed"],
  ])("HTTP %i is %s (an answer, not an error)", async (status, state) => {
    const { requester, sent } = answering(status, BODY);
    await expect(new SysApi(requester).health()).resolves.toEqual({ state, status, body: BODY });
    expect(sent).toMatchObject([{ method: "GET", path: "sys/health" }]);
  });

  it("accepts exactly the documented non-2xx codes", async () => {
    const { requester, sent } = answering(200, BODY);
    await new SysApi(requester).health();
    expect([...(sent[0].acceptStatus ?? [])].sort()).toEqual([200, 429, 472, 473, 474, 501, 503, 530]);
  });

  it("names an undocumented 2xx status 'unknown' and throws on undocumented error statuses", async () => {
    await expect(new SysApi(answering(299, BODY).requester).health()).resolves.toMatchObject({ state: "unknown", status: 299 });
    await expect(new SysApi(answering(475, BODY).requester).health()).rejects.toBeInstanceOf(VaultHttpError);
    await expect(new SysApi(answering(500, BODY).requester).health()).rejects.toBeInstanceOf(VaultHttpError);
  });

  it("refuses an answer without a body", async () => {
    await expect(new SysApi(answering(200, undefined).requester).health()).rejects.toThrow("sys/health returned HTTP 200 without a body");
  });
});

describe("SysApi.sealStatus", () => {
  const SEAL = { type: "shamir", initialized: true, sealed: true, t: 3, n: 5, progress: 1, version: "2.6.1" };

  it("reads sys/seal-status and returns its body as the server sent it", async () => {
    const { requester, sent } = answering(200, SEAL);
    await expect(new SysApi(requester).sealStatus()).resolves.toEqual(SEAL);
    expect(sent).toEqual([{ method: "GET", path: "sys/seal-status" }]);
  });

  it("refuses an answer without a body", async () => {
    await expect(new SysApi(answering(200, undefined).requester).sealStatus()).rejects.toThrow(
      new TypeError("sys/seal-status returned no body"),
    );
  });
});
