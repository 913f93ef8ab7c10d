/**
 * `npm run demo`: build the server if it is not cached yet, start a local dev server (OpenBao by default; `VAULTSMITH_SERVER=vault` for
 * HashiCorp Vault), write a secret twice, read both versions back, print the server's version and
 * health, and stop. With `VAULTSMITH_SERVER=external` it uses the server at `VAULT_ADDR` with
 * `VAULT_TOKEN` (and `VAULT_CACERT` for a private CA) and starts nothing.
 *
 * Secret values are never printed: the demo prints whether what it read matches what it wrote.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { VaultClient, VaultClientOptions } from "../../runtime";
import { buildServers } from "../../tools/server-build";
import { startDevServer } from "../../test/support/dev-server";
import { selectedFlavors } from "../../test/support/server-binaries";

interface Target {
  readonly label: string;
  readonly options: VaultClientOptions;
  readonly stop: () => Promise<void>;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`VAULTSMITH_SERVER=external needs ${name}`);
  return value;
}

async function target(): Promise<Target> {
  const choice = process.env.VAULTSMITH_SERVER ?? "openbao";
  if (choice === "external") {
    const address = requireEnv("VAULT_ADDR");
    const ca = process.env.VAULT_CACERT ? readFileSync(process.env.VAULT_CACERT, "utf8") : undefined;
    return {
      label: `external server ${address}`,
      options: { address, token: requireEnv("VAULT_TOKEN"), tls: { ca } },
      stop: async () => undefined,
    };
  }
  const [flavor] = selectedFlavors(choice);
  buildServers([flavor]);
  const server = await startDevServer(flavor);
  return {
    label: `local ${flavor} dev server ${server.address}`,
    options: { address: server.address, token: server.token },
    stop: server.stop,
  };
}

async function main(): Promise<void> {
  const t = await target();
  const client = new VaultClient(t.options);
  try {
    console.log(`vaultsmith demo against the ${t.label}`);
    const health = await client.sys.health();
    const seal = await client.sys.sealStatus();
    console.log(
      `  server version ${health.body.version}, health ${health.state} (HTTP ${health.status}), sealed=${seal.sealed}, storage=${seal.storage_type ?? "n/a"}`,
    );

    const path = `vaultsmith-demo/${randomBytes(4).toString("hex")}`;
    const first = { password: randomBytes(12).toString("base64url") };
    const second = { password: randomBytes(12).toString("base64url") };
    const v1 = await client.kv().write(path, first);
    const v2 = await client.kv().write(path, second, { cas: v1.version });
    console.log(`  wrote secret/${path} twice: versions ${v1.version} and ${v2.version} (second write with check-and-set)`);

    const latest = await client.kv().read(path);
    const old = await client.kv().read(path, { version: v1.version });
    const matches = latest?.data.password === second.password && old?.data.password === first.password;
    console.log(
      `  read back latest (v${latest?.metadata.version}) and v${old?.metadata.version}: ${matches ? "both match what was written" : "MISMATCH"}`,
    );
    if (!matches) process.exitCode = 1;
  } finally {
    await client.close();
    await t.stop();
    console.log("  stopped");
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
