/**
 * A real OpenBao Agent (`bao agent`) or OpenBao Proxy (`bao proxy`) — the same pinned binary as the
 * servers — next to a dev server, logging in with AppRole auto-auth from role_id / secret_id
 * files. The agent writes its token to a file sink; the proxy listens on a loopback port and
 * forwards requests with its auto-auth token (`api_proxy { use_auto_auth_token = true }`).
 * Config syntax: OpenBao's agent/proxy docs (auto_auth method "approle" with role_id_file_path /
 * secret_id_file_path, sink "file", api_proxy, listener "tcp"), checked against the 2.6.1 binary.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DevServer } from "./dev-server";
import { call, waitFor } from "./harness-http";
import { freePort } from "./ports";
import { serverTempDir } from "./run-registry";
import { requireServerBinary } from "./server-binaries";
import { ServerProcess } from "./server-process";
import { admin, enableAuth } from "./vault-admin";

/** A running agent or proxy. */
export interface BaoAgent {
  readonly mode: "agent" | "proxy";
  /** Agent: the token sink file. */
  readonly sinkPath: string;
  /** Proxy: `http://127.0.0.1:<port>` of its listener. */
  readonly address: string;
  /** Its captured output (secrets redacted), for failure messages. */
  output(): string;
  /** Stop the process and delete its directory. */
  stop(): Promise<void>;
}

/** AppRole login the agent/proxy uses: role `name` with `policies`, tokens of `tokenTtl` / `tokenMaxTtl`. */
export interface AgentRole {
  readonly name: string;
  readonly policies: readonly string[];
  readonly tokenTtl: string;
  readonly tokenMaxTtl: string;
}

/** Enable AppRole (once per server) and write `role`; returns its role id and a fresh secret id. */
export async function appRoleCredentials(vault: DevServer, role: AgentRole): Promise<{ roleId: string; secretId: string }> {
  const auths = await admin<{ data?: Record<string, unknown> }>(vault, "GET", "sys/auth");
  if (!auths.data?.["approle/"]) await enableAuth(vault, "approle");
  await admin(vault, "POST", `auth/approle/role/${role.name}`, {
    token_policies: role.policies,
    token_ttl: role.tokenTtl,
    token_max_ttl: role.tokenMaxTtl,
  });
  const roleId = await admin<{ data: { role_id: string } }>(vault, "GET", `auth/approle/role/${role.name}/role-id`);
  const secretId = await admin<{ data: { secret_id: string } }>(vault, "POST", `auth/approle/role/${role.name}/secret-id`, {});
  return { roleId: roleId.data.role_id, secretId: secretId.data.secret_id };
}

/** Start `bao agent` or `bao proxy` against `vault` with AppRole auto-auth. */
export async function startBaoAgent(
  vault: DevServer,
  mode: "agent" | "proxy",
  login: { roleId: string; secretId: string },
  options: { timeoutMs?: number } = {},
): Promise<BaoAgent> {
  const binary = requireServerBinary("openbao");
  const dir = serverTempDir(`openbao-${mode}`);
  const roleIdPath = join(dir, "role_id");
  const secretIdPath = join(dir, "secret_id");
  const sinkPath = join(dir, "token");
  writeFileSync(roleIdPath, login.roleId, { mode: 0o600 });
  writeFileSync(secretIdPath, login.secretId, { mode: 0o600 });
  const port = await freePort();
  const address = `http://127.0.0.1:${port}`;
  const autoAuth = [
    "auto_auth {",
    '  method "approle" {',
    '    mount_path = "auth/approle"',
    "    config = {",
    `      role_id_file_path = ${JSON.stringify(roleIdPath)}`,
    `      secret_id_file_path = ${JSON.stringify(secretIdPath)}`,
    "      remove_secret_id_file_after_reading = false",
    "    }",
    "  }",
    ...(mode === "agent"
      ? ['  sink "file" {', "    config = {", `      path = ${JSON.stringify(sinkPath)}`, "      mode = 0600", "    }", "  }"]
      : []),
    "}",
  ];
  const config = [
    "vault {",
    `  address = ${JSON.stringify(vault.address)}`,
    "}",
    ...autoAuth,
    ...(mode === "proxy"
      ? [
          "api_proxy {",
          "  use_auto_auth_token = true",
          "}",
          'listener "tcp" {',
          `  address = "127.0.0.1:${port}"`,
          "  tls_disable = true",
          "}",
        ]
      : []),
    "",
  ].join("\n");
  const configPath = join(dir, `${mode}.hcl`);
  writeFileSync(configPath, config, { mode: 0o600 });
  const proc = new ServerProcess({ binary, args: [mode, `-config=${configPath}`], home: dir, secrets: [login.secretId, login.roleId] });
  const stop = async (): Promise<void> => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (!proc.isRunning) throw new Error(`bao ${mode} exited early:\n${proc.output()}`);
        if (mode === "proxy") {
          const res = await call(address, "GET", "auth/token/lookup-self").catch(() => undefined);
          return res?.status === 200 ? true : undefined;
        }
        try {
          return readFileSync(sinkPath, "utf8").trim().length > 0 ? true : undefined;
        } catch {
          return undefined;
        }
      },
      { timeoutMs: options.timeoutMs ?? 30_000, describe: () => `bao ${mode} did not log in:\n${proc.output()}` },
    );
    return { mode, sinkPath, address, output: () => proc.output(), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
