import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VaultIntegration, loadSeedConfig } from "../../../../model/seed-config";
import {
  AppRoleAuth,
  AuthMethod,
  CertAuth,
  ClientConfigError,
  JwtAuth,
  KubernetesAuth,
  LdapAuth,
  TokenAuth,
  VaultRequest,
  Requester,
  authMethodFromConfig,
  clientFromConfig,
} from "../../../../runtime";
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

/** What a method sends when it logs in, against a requester that answers every login. */
async function loginRequest(method: AuthMethod): Promise<VaultRequest> {
  const sent: VaultRequest[] = [];
  const requester: Requester = {
    request: async <T>(req: VaultRequest) => {
      sent.push(req);
      const body = { auth: { client_token: "hvs.x", lease_duration: 60, renewable: true, policies: [] }, data: { ttl: 60 } };
      return { status: 200, body: body as T };
    },
    setToken: () => undefined,
  };
  await method.login(requester);
  expect(sent).toHaveLength(1);
  return sent[0];
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("did not throw");
}

describe("authMethodFromConfig: what each method sends", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "vaultsmith-config-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("approle: role_id and secret_id to its mount", async () => {
    const method = authMethodFromConfig(config([], ['    method: "approle"', '    role_id: "r-1"', '    secret_id: "s-1"']));
    expect(await loginRequest(method)).toMatchObject({ path: "auth/approle/login", body: { role_id: "r-1", secret_id: "s-1" } });
  });

  it("kubernetes: the role and the service-account token read from token_path, trimmed, at login", async () => {
    const tokenPath = join(dir, "token");
    const method = authMethodFromConfig(
      config([], ['    method: "kubernetes"', '    role: "web"', '    mount_path: "k8s"', `    token_path: "${tokenPath}"`]),
    );
    expect(method).toBeInstanceOf(KubernetesAuth);
    writeFileSync(tokenPath, "eyJ.sa.token\n");
    expect(await loginRequest(method)).toMatchObject({ path: "auth/k8s/login", body: { role: "web", jwt: "eyJ.sa.token" } });
  });

  it("ldap: the username in the path, the password in the body", async () => {
    const method = authMethodFromConfig(
      config([], ['    method: "ldap"', '    username: "alice"', '    password: "pw"', '    mount_path: "corp-ldap"']),
    );
    expect(method).toBeInstanceOf(LdapAuth);
    expect(await loginRequest(method)).toMatchObject({ path: "auth/corp-ldap/login/alice", body: { password: "pw" } });
  });

  it("jwt: role and jwt to its mount", async () => {
    const method = authMethodFromConfig(
      config([], ['    method: "jwt"', '    role: "ci"', '    jwt: "eyJ.ci"', '    mount_path: "gitlab"']),
    );
    expect(method).toBeInstanceOf(JwtAuth);
    expect(await loginRequest(method)).toMatchObject({ path: "auth/gitlab/login", body: { role: "ci", jwt: "eyJ.ci" } });
  });

  it("cert: the certificate role name to its mount", async () => {
    const tls = ["  tls:", '    client_cert: "/etc/tls/c.pem"', '    client_key: "/etc/tls/k.pem"'];
    const method = authMethodFromConfig(config(tls, ['    method: "cert"', '    name: "node"', '    mount_path: "tls-cert"']));
    expect(method).toBeInstanceOf(CertAuth);
    expect(await loginRequest(method)).toMatchObject({ path: "auth/tls-cert/login", body: { name: "node" } });
  });

  it("token: the configured token, looked up with itself", async () => {
    const req = await loginRequest(authMethodFromConfig(config([])));
    expect(req).toMatchObject({ path: "auth/token/lookup-self", headers: { "x-vault-token": "t-1" } });
  });
});

describe("clientOptionsFromConfig: TLS files and errors", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "vaultsmith-tls-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the PEM files as text by default", () => {
    const ca = join(dir, "ca.pem");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const options = clientOptionsFromConfig(config(["  tls:", `    ca_cert: "${ca}"`]));
    expect(options.tls).toEqual({
      ca: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
      cert: undefined,
      key: undefined,
      serverName: undefined,
    });
  });

  it("asks the reader only for the files that are configured", () => {
    const read: string[] = [];
    const options = clientOptionsFromConfig(config(["  tls:", '    client_cert: "/c.pem"', '    client_key: "/k.pem"']), {
      readPem: (path) => (read.push(path), `pem of ${path}`),
    });
    expect(read).toEqual(["/c.pem", "/k.pem"]);
    expect(options.tls).toMatchObject({ ca: undefined, cert: "pem of /c.pem", key: "pem of /k.pem" });
  });

  it.each([
    ["client_cert", ["  tls:", '    client_cert: "/missing/c.pem"', '    client_key: "/k.pem"']],
    ["client_key", ["  tls:", '    client_cert: "/c.pem"', '    client_key: "/missing/k.pem"']],
  ])("names %s when its file cannot be read", (field, extra) => {
    const readPem = (path: string): string => {
      if (path.startsWith("/missing/")) throw Object.assign(new Error("no"), { code: "ENOENT" });
      return "pem";
    };
    const error = thrown(() => clientOptionsFromConfig(config(extra), { readPem })) as ClientConfigError;
    expect(error.field).toBe(`vault_integration.tls.${field}`);
    expect(error.message).toMatch(new RegExp(`^vault_integration\\.tls\\.${field}: cannot read /missing/.*: ENOENT$`));
  });

  it('says "error" when the reader fails without an error code', () => {
    const readPem = (): string => {
      throw new Error("boom");
    };
    expect(() => clientOptionsFromConfig(config(["  tls:", '    ca_cert: "/ca.pem"']), { readPem })).toThrow(
      "vault_integration.tls.ca_cert: cannot read /ca.pem: error",
    );
  });

  it("refuses insecure_skip_verify with a ClientConfigError that says what to do instead", () => {
    const error = thrown(() => clientOptionsFromConfig(config(["  tls:", "    insecure_skip_verify: true"]))) as ClientConfigError;
    expect(error.name).toBe("ClientConfigError");
    expect(error.message).toBe(
      "vault_integration.tls.insecure_skip_verify: vaultsmith never disables certificate verification; trust the server's CA with ca_cert (or pin it) instead",
    );
  });

  it("looks for unresolved references through a configuration built in code, absent fields included", () => {
    const base = config([]);
    const built = { ...base, namespace: undefined, tls: null } as unknown as VaultIntegration;
    expect(clientOptionsFromConfig(built).namespace).toBeUndefined();
    const nested = { ...base, engines: { kv: { mount_path: "${KV_MOUNT}", version: 2 } } } as unknown as VaultIntegration;
    expect(() => clientOptionsFromConfig(nested)).toThrow("vault_integration.engines.kv.mount_path: ${KV_MOUNT} was never resolved");
  });
});
