import { loadSeedConfig } from "../../../../model/seed-config";
import { clientFromConfig } from "../../../../runtime";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { selectedFlavors } from "../../../support/server-binaries";
import { admin, enableAuth, writePolicy } from "../../../support/vault-admin";

describe.each(selectedFlavors())("a client built from seed-style YAML against a real %s server", (flavor) => {
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer(flavor);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("logs in with the configured AppRole from ${ENV} references and uses KV with the configured cache", async () => {
    await enableAuth(server, "approle");
    await writePolicy(server, "cassandra-app", 'path "secret/data/cassandra/*" { capabilities = ["create", "read", "update"] }');
    await admin(server, "POST", "auth/approle/role/cassandra", { token_policies: ["cassandra-app"], token_ttl: "5m" });
    const roleId = (await admin<{ data: { role_id: string } }>(server, "GET", "auth/approle/role/cassandra/role-id")).data.role_id;
    const secretId = (await admin<{ data: { secret_id: string } }>(server, "POST", "auth/approle/role/cassandra/secret-id")).data.secret_id;

    const yaml = [
      "vault_integration:",
      `  address: "${server.address}"`,
      "  authentication:",
      '    method: "approle"',
      '    role_id: "${VAULT_ROLE_ID}"',
      '    secret_id: "${VAULT_SECRET_ID}"',
      "  engines:",
      "    kv:",
      '      mount_path: "secret"',
      "      version: 2",
      "  performance:",
      "    max_retries: 3",
      '    retry_wait_min: "1s"',
      '    retry_wait_max: "30s"',
      '    connection_timeout: "30s"',
      "  caching:",
      "    enable: true",
      '    ttl: "5m"',
      "    max_entries: 10000",
    ].join("\n");
    const { config } = loadSeedConfig(yaml, { env: { VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretId }, envMode: "resolve" });
    const { client, tokens } = clientFromConfig(config);
    try {
      await tokens.token();
      expect(tokens.info?.policies).toContain("cassandra-app");
      const kv = client.kv(config.engines.kv?.mount_path);
      await kv.write("cassandra/prod/credentials", { username: "cassandra_app" });
      await kv.read("cassandra/prod/credentials");
      expect((await kv.read("cassandra/prod/credentials"))?.data).toEqual({ username: "cassandra_app" });
      expect(client.cache?.stats().hits).toBe(1);
      await expect(kv.write("elsewhere/x", { a: 1 })).rejects.toMatchObject({ status: 403 });
    } finally {
      await tokens.stop();
      await client.close();
    }
  });
});
