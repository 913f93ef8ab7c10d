/**
 * A minimal HTTP endpoint for Prometheus to scrape: `GET /metrics` answers the registry's text
 * exposition; everything else is 404. Binds to loopback unless told otherwise.
 */
import { Server, createServer } from "node:http";
import { AddressInfo } from "node:net";
import { Registry } from "prom-client";

/** Options of {@link serveMetrics}. */
export interface MetricsServerOptions {
  /** Port to listen on; 0 picks a free one. @default 9464 */
  readonly port?: number;
  /** Interface to bind. @default "127.0.0.1" */
  readonly host?: string;
}

/** A running metrics endpoint. */
export interface MetricsServer {
  /** The port it listens on. */
  readonly port: number;
  /** Stop listening. */
  close(): Promise<void>;
}

/** Serve `registry` (e.g. `client.metrics.registry`) at `http://host:port/metrics`. */
export async function serveMetrics(registry: Registry, options: MetricsServerOptions = {}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 9464, options.host ?? "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
