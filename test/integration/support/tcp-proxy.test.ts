import { request } from "node:http";
import { DevServer, startDevServer } from "../../support/dev-server";
import { TcpProxy } from "../../support/tcp-proxy";

/** GET `path` through the proxy; resolves with the status, or rejects with the socket error code (or "timeout"). */
function get(port: number, path: string, timeoutMs = 1_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "timeout" })));
    req.on("error", (e: NodeJS.ErrnoException) => reject(new Error(e.code ?? e.message)));
    req.end();
  });
}

describe("TcpProxy in front of a real server", () => {
  let server: DevServer;
  let proxy: TcpProxy;

  beforeAll(async () => {
    server = await startDevServer("openbao");
    proxy = await TcpProxy.start(Number(new URL(server.address).port));
  });

  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });

  afterEach(async () => {
    await proxy.heal();
  });

  it("forwards and counts requests by path, keep-alive bodies included", async () => {
    const since = Date.now();
    expect(await get(proxy.port, "/v1/sys/health")).toBe(200);
    expect(await get(proxy.port, "/v1/sys/health?standbyok=true")).toBe(200);
    const res = await fetch(`http://127.0.0.1:${proxy.port}/v1/sys/seal-status`, {
      method: "POST",
      body: JSON.stringify({ pad: "x".repeat(5_000) }),
    });
    await res.text();
    const again = await fetch(`http://127.0.0.1:${proxy.port}/v1/sys/leader`);
    expect(again.status).toBe(200);
    await again.text();
    expect(proxy.count("sys/health", since)).toBe(2);
    expect(proxy.count("sys/seal-status", since)).toBe(1);
    expect(proxy.count("sys/leader", since)).toBe(1);
    expect(proxy.countExcept("sys/health", since)).toBe(2);
    expect(proxy.requests.at(-1)).toMatchObject({ method: "GET", path: "/v1/sys/leader", forwarded: true });
  });

  it("refuses connections while refusing, and listens again on heal", async () => {
    await proxy.refuse();
    expect(proxy.mode).toBe("refuse");
    await expect(get(proxy.port, "/v1/sys/health")).rejects.toThrow("ECONNREFUSED");
    await proxy.heal();
    expect(await get(proxy.port, "/v1/sys/health")).toBe(200);
  });

  it("drops every byte silently while dropping: the client only learns by timing out", async () => {
    proxy.blackhole();
    const since = Date.now();
    await expect(get(proxy.port, "/v1/sys/health", 500)).rejects.toThrow("timeout");
    expect(proxy.requests.filter((r) => r.at >= since)).toEqual([expect.objectContaining({ path: "/v1/sys/health", forwarded: false })]);
  });

  it("resets every new connection while resetting", async () => {
    proxy.reset();
    await expect(get(proxy.port, "/v1/sys/health")).rejects.toThrow(/ECONNRESET|socket hang up/);
  });

  it("delays traffic in each direction while delaying", async () => {
    proxy.delay(300);
    const started = Date.now();
    expect(await get(proxy.port, "/v1/sys/health", 5_000)).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    await proxy.heal();
    const quick = Date.now();
    expect(await get(proxy.port, "/v1/sys/health")).toBe(200);
    expect(Date.now() - quick).toBeLessThan(300);
  });
});
