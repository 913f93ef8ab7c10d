/**
 * A TCP forwarder on loopback that a test can partition: while `blackhole`d it accepts
 * connections and silently drops every byte in both directions, on existing and new connections
 * (a silent network partition, not a refused connection); `heal` cuts the connections that lost
 * bytes and forwards again.
 */
import { Server, Socket, createConnection, createServer } from "node:net";
import { freePort } from "./ports";

/** A running proxy. */
export class TcpProxy {
  private blackholed = false;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** Port the proxy listens on (127.0.0.1). */
    public readonly port: number,
  ) {}

  /** Forward 127.0.0.1:<new port> to `targetPort`. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const port = await freePort();
    const server = createServer();
    const proxy = new TcpProxy(server, port);
    server.on("connection", (client) => proxy.accept(client, targetPort));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    return proxy;
  }

  private accept(client: Socket, targetPort: number): void {
    this.track(client);
    if (this.blackholed) {
      client.on("data", () => undefined);
      return;
    }
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    this.track(upstream);
    client.on("data", (chunk) => {
      if (!this.blackholed) upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (!this.blackholed) client.write(chunk);
    });
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
  }

  /** Start dropping traffic silently. */
  blackhole(): void {
    this.blackholed = true;
  }

  /** Cut the connections that lost bytes and forward again. */
  heal(): void {
    for (const socket of this.sockets) socket.destroy();
    this.blackholed = false;
  }

  /** Close the listener and every connection. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
