import { loadSeedConfig } from "../../../../model/seed-config";
import { AppRoleAuth, ClientConfigError, KubernetesAuth, TokenAuth, authMethodFromConfig, clientFromConfig } from "../../../../runtime";
import { clientOptionsFromConfig } from "../../../../runtime/config/client-from-config";

function config(extra: string[], auth = ['    method: "token"', '    token: "t-1"']) {
  return loadSeedConfig(
    ["vault_integration:", '  address: "https://vault.example.com:8200"', "  authentication:", ...auth, ...extra].join("\n"),
    { env: {} },
  ).config;
}

describe("clientFromConfig", () => {
  it("refuses insecure_skip_verify with the field named", () => {
    const failure = (() => {
      try {
        clientFromConfig(config(["  tls:", "    insecure_skip_verify: true"]));
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(ClientConfigError);
    expect((failure as ClientConfigError).field).toBe("vault_integration.tls.insecure_skip_verify");
  });

  it("names the TLS field whose file cannot be read, without the file's content", () => {
    const cfg = config(["  tls:", '    ca_cert: "/nonexistent/ca.pem"']);
    expect(() => clientFromConfig(cfg)).toThrow("vault_integration.tls.ca_cert: cannot read /nonexistent/ca.pem: ENOENT");
  });

  it("reads the configured PEM files through the given reader", async () => {
    const read: string[] = [];
    const cfg = config(["  tls:", '    ca_cert: "/etc/vault/ca.pem"', '    tls_server_name: "vault.example.com"']);
    const { client, tokens } = clientFromConfig(cfg, { readPem: (path) => (read.push(path), "-----BEGIN CERTIFICATE-----\n") });
    expect(read).toEqual(["/etc/vault/ca.pem"]);
    expect(client.cluster.nodes.map((n) => n.address)).toEqual(["https://vault.example.com:8200"]);
    await tokens.stop();
    await client.close();
  });

  it("maps each configured method to its auth class and mount", () => {
    const approle = authMethodFromConfig(
      config([], ['    method: "approle"', '    role_id: "r"', '    secret_id: "s"', '    mount_path: "apps/approle"']),
    );
    expect(approle).toBeInstanceOf(AppRoleAuth);
    expect(approle.mountPath).toBe("apps/approle");
    expect(authMethodFromConfig(config([], ['    method: "kubernetes"', '    role: "web"']))).toBeInstanceOf(KubernetesAuth);
    expect(authMethodFromConfig(config([]))).toBeInstanceOf(TokenAuth);
  });

  it("refuses a ${NAME} that was never resolved instead of sending it as a credential", () => {
    const cfg = config([], ['    method: "approle"', '    role_id: "${VAULT_ROLE_ID}"', '    secret_id: "s"']);
    expect(() => clientFromConfig(cfg)).toThrow(
      'vault_integration.authentication.role_id: ${VAULT_ROLE_ID} was never resolved; load the file with envMode "resolve" or set the variable',
    );
  });

  it("turns the cache off unless enabled", async () => {
    const off = clientFromConfig(config([]));
    const on = clientFromConfig(config(["  caching:", "    enable: true"]));
    expect(off.client.cache).toBeUndefined();
    expect(on.client.cache).toBeDefined();
    await Promise.all([off.tokens.stop(), on.tokens.stop(), off.client.close(), on.client.close()]);
  });

  it("turns the configured seconds into the client's milliseconds: timeout, retry waits and cache TTL", () => {
    const options = clientOptionsFromConfig(
      config([
        '  namespace: "team-a"',
        "  performance:",
        "    max_retries: 5",
        '    retry_wait_min: "2s"',
        '    retry_wait_max: "1m"',
        '    connection_timeout: "10s"',
        "    max_idle_connections: 4",
        "  caching:",
        "    enable: true",
        '    ttl: "5m"',
        "    max_entries: 50",
      ]),
    );
    expect(options).toEqual({
      addresses: ["https://vault.example.com:8200"],
      namespace: "team-a",
      tls: undefined,
      timeoutMs: 10_000,
      maxConnections: 4,
      retry: { maxRetries: 5, backoff: { minMs: 2_000, maxMs: 60_000 } },
      cache: { ttlMs: 300_000, maxEntries: 50 },
    });
  });

  it("maps the model's defaults to 30 s timeout, 1–30 s retry waits and no cache", () => {
    expect(clientOptionsFromConfig(config([]))).toMatchObject({
      timeoutMs: 30_000,
      maxConnections: 10,
      retry: { maxRetries: 3, backoff: { minMs: 1_000, maxMs: 30_000 } },
      cache: false,
    });
    expect(clientOptionsFromConfig(config(["  caching:", "    enable: true"])).cache).toEqual({ ttlMs: 300_000, maxEntries: 10_000 });
  });

  it("applies the given addresses and client overrides last", () => {
    const options = clientOptionsFromConfig(config(["  caching:", "    enable: true"]), {
      addresses: ["https://a:8200", "https://b:8200"],
      client: { timeoutMs: 1_234, cache: false },
    });
    expect(options).toMatchObject({ addresses: ["https://a:8200", "https://b:8200"], timeoutMs: 1_234, cache: false });
  });
});
