import { RuntimeMetrics, serveMetrics } from "../../../../runtime";

describe("serveMetrics", () => {
  it("serves the client's registry at /metrics and nothing else", async () => {
    const metrics = new RuntimeMetrics();
    metrics.requests.inc({ method: "GET", outcome: "ok" }, 3);
    const server = await serveMetrics(metrics.registry, { port: 0 });
    try {
      const ok = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toContain("text/plain");
      expect(await ok.text()).toContain('vaultsmith_requests_total{method="GET",outcome="ok"} 3');
      const other = await fetch(`http://127.0.0.1:${server.port}/`);
      expect(other.status).toBe(404);
      await other.text();
    } finally {
      await server.close();
    }
  });
});
