/**
 * `npm run demo`: build the server if it is not cached yet, start a local dev server (OpenBao by default; `VAULTSMITH_SERVER=vault` for
 * HashiCorp Vault), write a secret twice, read both versions back, print the server's version and
 * health; then (only on the server it started itself), as an application would: log in with AppRole (set up by the operator part with the
 * root token), write a batch of secrets, read one hot secret many times through the cache, print
 * the client's Prometheus metrics, revoke its token and stop. With `VAULTSMITH_SERVER=external` it uses the server at `VAULT_ADDR` with
 * `VAULT_TOKEN` (and `VAULT_CACERT` for a private CA) and starts nothing.
 *
 * Secret values are never printed: the demo prints whether what it read matches what it wrote.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { AppRoleAuth, POLICIES, TokenManager, VaultClient, VaultClientOptions, countTokenEvents } from "../../runtime";
import { buildServers } from "../../tools/server-build";
import { startDevServer } from "../../test/support/dev-server";
import { selectedFlavors } from "../../test/support/server-binaries";

interface Target {
  readonly label: string;
  /** True for a server the demo started itself: only there may it change auth configuration. */
  readonly disposable: boolean;
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
      disposable: false,
      options: { address, token: requireEnv("VAULT_TOKEN"), tls: { ca } },
      stop: async () => undefined,
    };
  }
  const [flavor] = selectedFlavors(choice);
  buildServers([flavor]);
  const server = await startDevServer(flavor);
  return {
    label: `local ${flavor} dev server ${server.address}`,
    disposable: true,
    options: { address: server.address, token: server.token },
    stop: server.stop,
  };
}

/** Operator part: an AppRole `demo-app` allowed to use `secret/vaultsmith-demo/app/*` only. */
async function setUpAppRole(admin: VaultClient): Promise<{ roleId: string; secretId: string }> {
  const write = (path: string, body: unknown) => admin.request({ method: "POST", path, body }, POLICIES.idempotentWrite);
  const mounts = await admin.request<Record<string, unknown>>({ method: "GET", path: "sys/auth" }, POLICIES.read);
  if (!mounts.body || !("approle/" in mounts.body)) await write("sys/auth/approle", { type: "approle" });
  const policy = ['path "secret/data/vaultsmith-demo/app/*" { capabilities = ["create", "read", "update"] }'].join("\n");
  await admin.request({ method: "PUT", path: "sys/policies/acl/demo-app", body: { policy } }, POLICIES.idempotentWrite);
  await write("auth/approle/role/demo-app", { token_policies: ["demo-app"], token_ttl: "60s", token_max_ttl: "10m", secret_id_ttl: "10m" });
  const role = await admin.request<{ data: { role_id: string } }>(
    { method: "GET", path: "auth/approle/role/demo-app/role-id" },
    POLICIES.read,
  );
  const secret = await admin.request<{ data: { secret_id: string } }>(
    { method: "POST", path: "auth/approle/role/demo-app/secret-id" },
    POLICIES.creatingWrite,
  );
  if (!role.body || !secret.body) throw new Error("AppRole set-up returned no role_id / secret_id");
  return { roleId: role.body.data.role_id, secretId: secret.body.data.secret_id };
}

/** Application part: AppRole login, batch writes, cached reads, metrics. */
async function asAnApplication(admin: VaultClient, options: VaultClientOptions): Promise<void> {
  const credentials = await setUpAppRole(admin);
  const app = new VaultClient({ ...options, token: undefined });
  const tokens = new TokenManager({ requester: app.requester, methods: [new AppRoleAuth(credentials)], revokeOnStop: true });
  countTokenEvents(tokens, app.metrics);
  try {
    await tokens.token();
    const info = tokens.info;
    console.log(
      `  app logged in with AppRole: policies [${info?.policies.join(", ")}], renewable=${info?.renewable}, accessor ${info?.accessor}`,
    );

    const items = Array.from({ length: 200 }, (_, i) => ({
      path: `vaultsmith-demo/app/item-${i}`,
      data: { value: randomBytes(8).toString("hex") },
    }));
    const started = Date.now();
    const results = await app.kv().writeBatch(items, { concurrency: 16 });
    const failed = results.filter((r) => !r.ok).length;
    console.log(
      `  batch of ${items.length} writes (16 in flight): ${failed} failed, ${((items.length / (Date.now() - started)) * 1000).toFixed(0)} secrets/s`,
    );
    const denied = await app
      .kv()
      .write("vaultsmith-demo/elsewhere", { x: 1 })
      .then(
        () => "allowed",
        (e: Error) => e.message,
      );
    console.log(`  a write outside the app's policy: ${denied}`);

    const reads = 1_000;
    const readStart = process.hrtime.bigint();
    for (let i = 0; i < reads; i++) await app.kv().read("vaultsmith-demo/app/item-0");
    const perRead = Number(process.hrtime.bigint() - readStart) / 1e6 / reads;
    const stats = app.cache?.stats();
    console.log(`  ${reads} reads of one hot secret: ${perRead.toFixed(3)} ms each, cache hits ${stats?.hits}, misses ${stats?.misses}`);

    const metrics = (await app.metrics.text())
      .split("\n")
      .filter((line) => /^vaultsmith_(requests_total|cache_lookups_total|token_events_total)/.test(line));
    console.log("  metrics (excerpt):");
    for (const line of metrics) console.log(`    ${line}`);
  } finally {
    await tokens.stop();
    await app.close();
  }
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
    if (t.disposable) await asAnApplication(client, t.options);
    else
      console.log(
        "  application part skipped: it would enable AppRole and write a policy on a server you did not give the demo to throw away",
      );
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
