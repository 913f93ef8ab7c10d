/**
 * `vaultsmith cert watch --config FILE`: the certificate daemon of a node. Runs a
 * CertificateManager over the certificates the file declares (see `cert-watch-config`), keeps
 * their PEM and PKCS#12 files current, prints one line per event (one JSON object per line with
 * `--json`), and on SIGINT/SIGTERM stops cleanly: renewal timers cleared, token upkeep stopped,
 * connections closed, exit 0. A certificate that cannot be obtained at start is a failure (exit 1)
 * after the same clean-up: a daemon that would never deliver must not look healthy.
 */
import { execFile } from "node:child_process";
import { Command } from "commander";
import { CertificateManager, ManagedCertificateSpec } from "../runtime/certs/certificate-manager";
import { CertificateSink, pemFileSink, pkcs12FileSink } from "../runtime/certs/cert-sinks";
import { CliIo, Runner, UsageError } from "./cli-io";
import { ServerConnection, connect, loadWatchFile } from "./server-connection";
import { AfterRenewal, CertWatchConfig, WatchedCertificate } from "./cert-watch-config";

/** Add `cert watch` to the `cert` command. */
export function registerCertWatch(cert: Command, io: CliIo, run: Runner): void {
  cert
    .command("watch")
    .description("keep the certificates a file declares current (PEM and PKCS#12 files) until SIGINT/SIGTERM; one line per event")
    .option("--config <file>", "the watch YAML: certificates, files, after_renewal, and vault_integration (or VAULT_ADDR/VAULT_TOKEN)")
    .option("--address <url>", "server address when the file has no vault_integration (default VAULT_ADDR)")
    .option("--json", "print each event as one JSON object per line")
    .addHelpText(
      "after",
      `
Events: started, obtained, renewed, expiring, expired, error, stopped. SIGINT or SIGTERM stop it
cleanly with exit 0; a certificate that cannot be obtained at start exits 1.

Examples:
  $ vaultsmith cert watch --config examples/cassandra/cert-watch.yaml
  $ vaultsmith cert watch --config /etc/vaultsmith/cert-watch.yaml --json
`,
    )
    .action(run((options: WatchOptions) => runCertWatch(options, io)));
}

/** Options of `cert watch`. */
export interface WatchOptions {
  readonly config?: string;
  readonly address?: string;
  readonly json?: boolean;
}

/** One event line of the daemon, as `--json` prints it (text mode prints the same fields). */
export interface WatchEventLine {
  /** When it was printed (ISO 8601). */
  readonly at: string;
  /** `started`, `obtained`, `renewed`, `expiring`, `expired`, `error`, `stopped`. */
  readonly event: string;
  /** Managed certificate name, for certificate events. */
  readonly name?: string;
  /** Further fields of the event (serials, dates, the error's name and message — never a key or token). */
  readonly [field: string]: unknown;
}

/** The text form of an event line: `<at> <event> <name> key=value ...`. */
export function formatEventLine(line: WatchEventLine): string {
  const { at, event, name, ...rest } = line;
  const fields = Object.entries(rest).map(
    ([k, v]) => `${k}=${typeof v === "string" ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`,
  );
  return [at, event, ...(name === undefined ? [] : [name]), ...fields].join(" ");
}

/** A password source reading `name` from the command's environment when a keystore is written. */
function envPassword(io: CliIo, name: string): () => string {
  return () => {
    const value = io.env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
  };
}

/** The CertificateManager spec of one watched certificate: role, request, key and file sinks. */
export function managedSpec(io: CliIo, c: WatchedCertificate): ManagedCertificateSpec {
  const sinks: CertificateSink[] = [];
  if (c.pem) sinks.push(pemFileSink(c.pem));
  if (c.pkcs12) {
    sinks.push(
      pkcs12FileSink({
        keystorePath: c.pkcs12.keystorePath,
        alias: c.pkcs12.alias,
        password: envPassword(io, c.pkcs12.passwordEnv),
        ...(c.pkcs12.truststorePath ? { truststorePath: c.pkcs12.truststorePath } : {}),
        ...(c.pkcs12.truststorePasswordEnv ? { truststorePassword: envPassword(io, c.pkcs12.truststorePasswordEnv) } : {}),
      }),
    );
  }
  const reload = c.afterRenewal;
  let first = true;
  return {
    name: c.name,
    role: c.role,
    request: c.request,
    key: c.key,
    sinks,
    ...(c.purpose ? { purpose: c.purpose } : {}),
    // The first certificate is written before the service runs on it; only renewals need a reload.
    ...(reload ? { onCertificate: () => (first ? void (first = false) : runAfterRenewal(reload)) } : {}),
  };
}

/** Thrown when the after-renewal command fails; the delivery is then retried with the same certificate. */
export class AfterRenewalError extends Error {
  /** @internal */
  constructor(command: readonly string[], detail: string) {
    super(`after_renewal command "${command.join(" ")}" ${detail}`);
    this.name = "AfterRenewalError";
  }
}

/** Run `reload` (no shell), resolving on exit code 0 and rejecting with the exit status and the last stderr line otherwise. */
export function runAfterRenewal(reload: AfterRenewal): Promise<void> {
  const [program, ...args] = reload.command;
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: reload.timeoutMs, maxBuffer: 1 << 20 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const last = String(stderr).trim().split("\n").at(-1)?.slice(0, 200) ?? "";
      const status = error.killed ? `timed out after ${reload.timeoutMs} ms` : `failed (${error.code ?? error.message})`;
      reject(new AfterRenewalError(reload.command, `${status}${last ? `: ${last}` : ""}`));
    });
  });
}

/** Resolves when `io.stop` aborts or, without one, on SIGINT/SIGTERM; `dispose` removes the listeners. */
function stopRequested(io: CliIo): { readonly promise: Promise<string>; dispose(): void } {
  if (io.stop) {
    const signal = io.stop;
    let listener: (() => void) | undefined;
    const promise = new Promise<string>((resolve) => {
      if (signal.aborted) return resolve("abort");
      listener = () => resolve("abort");
      signal.addEventListener("abort", listener, { once: true });
    });
    return { promise, dispose: () => listener && signal.removeEventListener("abort", listener) };
  }
  const handlers: [NodeJS.Signals, () => void][] = [];
  const promise = new Promise<string>((resolve) => {
    for (const name of ["SIGINT", "SIGTERM"] as const) {
      const handler = (): void => resolve(name);
      handlers.push([name, handler]);
      process.once(name, handler);
    }
  });
  return { promise, dispose: () => handlers.forEach(([name, handler]) => process.removeListener(name, handler)) };
}

/** Run `vaultsmith cert watch`. */
export async function runCertWatch(values: WatchOptions, io: CliIo): Promise<number> {
  if (values.config === undefined) throw new UsageError("cert watch needs --config FILE");
  const config: CertWatchConfig = loadWatchFile(io, values.config);
  const print = (line: Omit<WatchEventLine, "at">): void => {
    const full = { at: new Date().toISOString(), ...line } as WatchEventLine;
    io.stdout(`${values.json ? JSON.stringify(full) : formatEventLine(full)}\n`);
  };

  const stop = stopRequested(io);
  // The runtime's timers are unref'd (a renewal must not keep a library user's process alive), so
  // the daemon holds the process open itself until it is told to stop.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  stop.promise.finally(() => clearInterval(keepAlive));
  let stopping: string | undefined;
  let connection: ServerConnection | undefined;
  let manager: CertificateManager | undefined;
  const shutdown = async (): Promise<void> => {
    await manager?.stop();
    await connection?.close();
  };
  // A signal during start-up (e.g. a login waiting out an outage) stops at once too.
  const stopped = stop.promise.then(async (reason) => {
    stopping = reason;
    await shutdown();
  });
  try {
    connection = await connect(io, { address: values.address, vaultIntegration: config.vaultIntegration, renewToken: true });
    if (stopping) throw new Error("stopped");
    manager = new CertificateManager({
      requester: connection.client,
      mount: config.mount,
      ...(config.minMarginMs !== undefined ? { minMarginMs: config.minMarginMs } : {}),
    });
    const m = manager;
    m.on("obtained", (e) =>
      print({ event: "obtained", name: e.name, serial: e.serial, notAfter: e.notAfter.toISOString(), renewAt: e.renewAt.toISOString() }),
    );
    m.on("renewed", (e) =>
      print({
        event: "renewed",
        name: e.name,
        serial: e.serial,
        previousSerial: e.previousSerial,
        notAfter: e.notAfter.toISOString(),
        renewAt: e.renewAt.toISOString(),
        failedAttempts: e.failedAttempts,
      }),
    );
    m.on("expiring", (e) => print({ event: "expiring", name: e.name, serial: e.serial, notAfter: e.notAfter.toISOString() }));
    m.on("expired", (e) => print({ event: "expired", name: e.name, serial: e.serial, notAfter: e.notAfter.toISOString() }));
    m.on("error", (e) =>
      print({
        event: "error",
        name: e.name,
        error: `${e.error.name}: ${e.error.message}`,
        attempt: e.attempt,
        retryInMs: e.retryInMs,
        currentValid: e.currentValid,
      }),
    );
    print({ event: "started", mount: config.mount, certificates: config.certificates.map((c) => `${c.name}:${c.role}`).join(",") });
    for (const certificate of config.certificates) {
      if (stopping) break;
      await m.manage(managedSpec(io, certificate));
    }
  } catch (error) {
    stop.dispose();
    clearInterval(keepAlive);
    if (stopping) {
      await stopped;
      print({ event: "stopped", reason: stopping });
      return 0;
    }
    await shutdown();
    throw error;
  }
  await stopped;
  stop.dispose();
  print({ event: "stopped", reason: stopping ?? "abort" });
  return 0;
}
