/**
 * Where audit lines come from: a file device's log (tailed: appended bytes are read as they
 * arrive; a file that shrinks or is replaced — rotation — is read again from the start), a socket
 * device's stream (a TCP server accepting any number of connections: OpenBao reconnects after a
 * failed write; OpenBao 2.6.1's socket device has no TLS option) and an `http` device's POSTs
 * (one entry per request, over HTTPS when given a certificate — the encrypted stream OpenBao offers).
 */
import { statSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { IncomingMessage, ServerResponse, Server as HttpServer, createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { Server, Socket, createServer as createTcpServer } from "node:net";
import { AuditStream } from "./audit-stream";

/** Options of {@link tailAuditFile}. */
export interface TailOptions {
  /** Read what the file already holds first. @default true */
  readonly fromStart?: boolean;
  /** How often to look for new bytes, in ms. @default 100 */
  readonly pollMs?: number;
}

/** A running tail; `stop` reads what is left, then ends. */
export interface AuditTail {
  /** Stop tailing after one last read; the stream gets `end` for the file. */
  stop(): Promise<void>;
  /** Bytes read so far. */
  readonly bytesRead: number;
}

/**
 * Tail `path` into `stream` (source name = the path). The file may not exist yet. On rotation the
 * new file is read from its start; bytes the server wrote to the old file after the last poll are
 * not read (rotate with a copy-truncate-free scheme and a poll interval below the rotation gap).
 */
export function tailAuditFile(path: string, stream: AuditStream, options: TailOptions = {}): AuditTail {
  // "From the end" is the end when the tail is created, taken now: a first poll that is late (a
  // busy event loop) must not skip lines written in between. A file that appears later is all new.
  let offset = options.fromStart === false ? sizeNow(path) : 0;
  let ino = -1;
  let total = 0;
  let stopped = false;
  let busy: Promise<void> = Promise.resolve();
  const pollMs = options.pollMs ?? 100;
  const readMore = async (): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (!info) return;
    if (info.ino !== ino || info.size < offset) {
      if (ino !== -1) {
        stream.end(path);
        offset = 0;
      }
      ino = info.ino;
    }
    if (info.size <= offset) return;
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(Math.min(info.size - offset, 8 * 1024 * 1024));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      offset += bytesRead;
      total += bytesRead;
      stream.push(path, buffer.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  };
  const loop = (): void => {
    if (stopped) return;
    busy = readMore()
      .catch(() => undefined)
      .then(() => {
        if (!stopped) timer = setTimeout(loop, pollMs);
      });
  };
  let timer: NodeJS.Timeout | undefined = setTimeout(loop, 0);
  return {
    get bytesRead() {
      return total;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await busy;
      // Drain: a file keeps growing while the last requests are answered.
      for (let before = -1; before !== total;) {
        before = total;
        await readMore().catch(() => undefined);
      }
      stream.end(path);
    },
  };
}

/** Options of {@link AuditSocketReceiver.listen}. */
export interface SocketReceiverOptions {
  /** Loopback or interface address. @default "127.0.0.1" */
  readonly host?: string;
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
}

/** Receives a socket audit device's stream into an {@link AuditStream}. */
export class AuditSocketReceiver {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private next = 0;

  /** @param stream where lines go; each connection is its own source (`socket#N`) */
  constructor(private readonly stream: AuditStream) {}

  /** Start listening; resolves with the bound address (`host:port`) to put in the device's `address` option. */
  async listen(options: SocketReceiverOptions = {}): Promise<string> {
    const onConnection = (socket: Socket): void => {
      const source = `socket#${++this.next}`;
      this.sockets.add(socket);
      socket.on("data", (chunk: Buffer) => this.stream.push(source, chunk));
      socket.on("close", () => {
        this.sockets.delete(socket);
        this.stream.end(source);
      });
      socket.on("error", () => undefined);
    };
    const server = createTcpServer(onConnection);
    this.server = server;
    const host = options.host ?? "127.0.0.1";
    return `${host}:${await listenOn(server, host, options.port, "socket receiver")}`;
  }

  /** Stop accepting, close open connections (their partial lines are flushed). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Options of {@link AuditHttpReceiver.listen}. */
export interface HttpReceiverOptions extends SocketReceiverOptions {
  /** Serve HTTPS with this PEM certificate and key. @default plain HTTP */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Require this exact `Authorization` header (set it in the device's `headers` option). @default none */
  readonly authorization?: string;
}

/**
 * Receives an OpenBao `http` audit device's POSTs (each body is one entry) into an
 * {@link AuditStream}; answers 204, or 401 without the expected `Authorization`, so the server
 * sees a failed write (OpenBao then fails the request if no other device logged it).
 */
export class AuditHttpReceiver {
  private server: HttpServer | undefined;
  private next = 0;

  /** @param stream where entries go; each POST is its own source (`http#N`) */
  constructor(private readonly stream: AuditStream) {}

  /** Start listening; resolves with the URL to put in the device's `uri` option. */
  async listen(options: HttpReceiverOptions = {}): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      if (req.method !== "POST" || (options.authorization !== undefined && req.headers.authorization !== options.authorization)) {
        req.resume();
        res.writeHead(req.method !== "POST" ? 405 : 401).end();
        return;
      }
      const source = `http#${++this.next}`;
      req.on("data", (chunk: Buffer) => this.stream.push(source, chunk));
      req.on("end", () => {
        this.stream.end(source);
        res.writeHead(204).end();
      });
    };
    const server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createHttpServer(handler);
    this.server = server;
    const host = options.host ?? "127.0.0.1";
    return `${options.tls ? "https" : "http"}://${host}:${await listenOn(server, host, options.port, "HTTP receiver")}/audit`;
  }

  /** Stop accepting and close connections. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

/** Listen on `host:port` (port 0: any free one) and return the port bound; `what` names the receiver in errors. */
async function listenOn(server: Server, host: string, port: number | undefined, what: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error(`${what} has no TCP address`);
  return address.port;
}

/** The size of `path` now, 0 when it does not exist (yet). */
function sizeNow(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
