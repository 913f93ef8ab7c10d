/**
 * A dev-mode server (in memory, unsealed, KV v2 at `secret/`) on a free loopback port with a
 * random root token.
 */
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENV_PREFIX } from "../../tools/server-versions";
import { call, waitFor } from "./harness-http";
import { freePort } from "./ports";
import { serverTempDir } from "./run-registry";
import { ServerFlavor, requireServerBinary } from "./server-binaries";
import { ServerProcess } from "./server-process";

/** A reachable server with a root token. */
export interface DevServer {
  /** Which server this is. */
  readonly flavor: ServerFlavor;
  /** `http://127.0.0.1:<port>`. */
  readonly address: string;
  /** Root token (random per server). */
  readonly token: string;
  /** Version `sys/health` reports. */
  readonly version: string;
  /** Stop the process and delete its directory. */
  stop(): Promise<void>;
}

/** A random token in the server's own format, distinct per run. */
export function randomRootToken(): string {
  return `root-${randomBytes(16).toString("hex")}`;
}

/** Start a dev server of `flavor`; resolves once `sys/health` answers 200. */
export async function startDevServer(
  flavor: ServerFlavor,
  options: {
    timeoutMs?: number;
    /**
     * Extra server configuration (HCL) loaded next to dev mode's own, e.g. OpenBao's declarative
     * `audit "file" "path" { … }` stanzas — the only way OpenBao 2.x creates audit devices.
     */
    config?: string;
    /** Extra environment (e.g. `SSL_CERT_FILE` so an `http` audit device trusts a test CA). */
    env?: Readonly<Record<string, string>>;
  } = {},
): Promise<DevServer> {
  const binary = requireServerBinary(flavor);
  const dir = serverTempDir(`${flavor}-dev`);
  const port = await freePort();
  const token = randomRootToken();
  const address = `http://127.0.0.1:${port}`;
  const prefix = ENV_PREFIX[flavor];
  const extra: string[] = [];
  if (options.config !== undefined) {
    const file = join(dir, "extra-config.hcl");
    writeFileSync(file, options.config);
    extra.push(`-config=${file}`);
  }
  const proc = new ServerProcess({
    binary,
    args: ["server", "-dev", `-dev-listen-address=127.0.0.1:${port}`, "-dev-no-store-token", ...extra],
    env: { ...options.env, [`${prefix}DEV_ROOT_TOKEN_ID`]: token },
    home: dir,
    secrets: [token],
  });
  const stop = async (): Promise<void> => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const health = await waitFor(
      async () => {
        if (!proc.isRunning) throw new Error(`exited early`);
        const res = await call<{ version: string }>(address, "GET", "sys/health");
        return res.status === 200 ? res.body : undefined;
      },
      {
        timeoutMs: options.timeoutMs ?? 30_000,
        describe: () => `${flavor} dev server on ${address} did not become healthy:\n${proc.output()}`,
      },
    );
    return { flavor, address, token, version: health.version, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
