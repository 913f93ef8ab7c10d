import { loadSeedConfig } from "../../../../constructs/model/seed-config";
import { AppRoleAuth, ClientConfigError, KubernetesAuth, TokenAuth, authMethodFromConfig, clientFromConfig } from "../../../../runtime";

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
});
