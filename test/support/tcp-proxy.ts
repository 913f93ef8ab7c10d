/**
 * A TCP forwarder on loopback that a test can break in the ways real networks break, and that
 * counts the HTTP requests crossing it by path:
 * - `refuse`: the listener is closed, so connecting fails at once with ECONNREFUSED (a stopped
 *   server or a load balancer with no backend); open connections are cut.
 * - `drop`: connections are accepted and every byte is silently dropped in both directions, on
 *   existing and new connections (a silent partition: the client only learns by timing out).
 * - `reset`: every new connection is reset as soon as it is accepted (ECONNRESET), open ones too.
 * - `delay`: bytes are forwarded after `delayMs` in each direction (a slow link).
 * `heal` cuts the connections that lived through the fault and forwards normally again.
 */
import { Server, Socket, createConnection, createServer } from "node:net";
import { freePort } from "./ports";

/** How the proxy treats traffic. */
export type ProxyMode = "forward" | "refuse" | "drop" | "reset" | "delay";

/** One HTTP request seen on its way to the server. */
export interface SeenRequest {
  /** Milliseconds since the epoch when its head was read. */
  readonly at: number;
  /** HTTP method (`GET`, `POST`, …). */
  readonly method: string;
  /** Request path without the query, e.g. `/v1/sys/health`. */
  readonly path: string;
  /** Whether it was forwarded (false: dropped by the `drop` mode). */
  readonly forwarded: boolean;
}

/**
 * Splits one connection's client-to-server bytes into HTTP/1.1 requests (head, then a
 * Content-Length or chunked body), so requests are counted even on keep-alive connections.
 */
class RequestScanner {
  private buffer = Buffer.alloc(0);
  private bodyLeft = 0;
  private chunked = false;

  constructor(private readonly onRequest: (method: string, path: string) => void) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, this.buffer.length);
        this.buffer = this.buffer.subarray(take);
        this.bodyLeft -= take;
        if (this.bodyLeft > 0) return;
      }
      if (this.chunked) {
        const end = this.buffer.indexOf("\r\n0\r\n\r\n");
        const atStart = this.buffer.subarray(0, 5).toString() === "0\r\n\r\n";
        if (!atStart && end < 0) return;
        this.buffer = this.buffer.subarray(atStart ? 5 : end + 7);
        this.chunked = false;
      }
      const headEnd = this.buffer.indexOf("\r\n\r\n");
      if (headEnd < 0) return;
      const head = this.buffer.subarray(0, headEnd).toString("latin1");
      this.buffer = this.buffer.subarray(headEnd + 4);
      const [requestLine, ...headers] = head.split("\r\n");
      const [method = "?", target = "?"] = requestLine.split(" ");
      this.onRequest(method, target.split("?")[0]);
      for (const header of headers) {
        const [name, ...value] = header.split(":");
        const key = name.trim().toLowerCase();
        if (key === "content-length") this.bodyLeft = Number(value.join(":").trim()) || 0;
        if (key === "transfer-encoding" && /chunked/i.test(value.join(":"))) this.chunked = true;
      }
    }
  }
}

/** A running proxy. */
export class TcpProxy {
  private current: ProxyMode = "forward";
  private delayMs = 0;
  private readonly sockets = new Set<Socket>();
  private readonly seen: SeenRequest[] = [];
  private server: Server;

  private constructor(
    server: Server,
    /** Port the proxy listens on (127.0.0.1). */
    public readonly port: number,
    private readonly targetPort: number,
  ) {
    this.server = server;
  }

  /** Forward 127.0.0.1:<new port> to `targetPort`. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const port = await freePort();
    const proxy = new TcpProxy(createServer(), port, targetPort);
    await proxy.listen();
    return proxy;
  }

  /** The mode in force. */
  get mode(): ProxyMode {
    return this.current;
  }

  /** Every request seen so far, in order. */
  get requests(): readonly SeenRequest[] {
    return this.seen;
  }

  /** Requests whose path ends with `suffix` (e.g. `sys/health`), optionally only from `since` (epoch ms). */
  count(suffix: string, since = 0): number {
    return this.seen.filter((r) => r.at >= since && r.path.endsWith(suffix)).length;
  }

  /** Requests that were not health probes, from `since` (epoch ms). */
  countExcept(suffix: string, since = 0): number {
    return this.seen.filter((r) => r.at >= since && !r.path.endsWith(suffix)).length;
  }

  /** Connections refused from now on, and the open ones cut. */
  async refuse(): Promise<void> {
    this.current = "refuse";
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Drop every byte silently from now on, on existing and new connections. */
  blackhole(): void {
    this.current = "drop";
  }

  /** Reset every connection, open and new, from now on. */
  reset(): void {
    this.current = "reset";
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  /** Forward with `ms` of added latency in each direction. */
  delay(ms: number): void {
    this.current = "delay";
    this.delayMs = ms;
  }

  /** Cut the connections that lived through the fault and forward normally again. */
  async heal(): Promise<void> {
    const wasRefusing = this.current === "refuse";
    this.cutAll();
    this.current = "forward";
    if (wasRefusing) await this.listen();
  }

  /** Close the listener and every connection. */
  async stop(): Promise<void> {
    this.cutAll();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.port, "127.0.0.1", () => resolve());
    });
  }

  private cutAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.current === "reset") {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: "127.0.0.1", port: this.targetPort });
    this.track(upstream);
    const scanner = new RequestScanner((method, path) =>
      this.seen.push({ at: Date.now(), method, path, forwarded: this.current !== "drop" }),
    );
    client.on("data", (chunk: Buffer) => {
      scanner.push(chunk);
      this.relay(chunk, upstream);
    });
    upstream.on("data", (chunk: Buffer) => this.relay(chunk, client));
    const close = (): void => {
      const cut = (): void => {
        client.destroy();
        upstream.destroy();
      };
      // A delayed link delivers what is still on its way before the close.
      if (this.current === "delay") setTimeout(cut, this.delayMs + 10).unref();
      else cut();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  }

  private relay(chunk: Buffer, to: Socket): void {
    if (this.current === "drop") return;
    if (this.current === "delay") {
      setTimeout(() => to.destroyed || to.write(chunk), this.delayMs).unref();
      return;
    }
    to.write(chunk);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
  }
}
