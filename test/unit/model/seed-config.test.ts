import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ModelValidationError } from "../../../model/errors";
import { loadSeedConfig } from "../../../model/seed-config";

const SEED = readFileSync(join(__dirname, "../../fixtures/constructs/seed-vault-integration.yaml"), "utf8");

function errorOf(text: string, env: Record<string, string> = {}, envMode: "resolve" | "report" = "report"): ModelValidationError {
  try {
    loadSeedConfig(text, { file: "vault.yaml", env, envMode });
  } catch (e) {
    if (e instanceof ModelValidationError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

const minimal = (extra = ""): string =>
  [
    "vault_integration:",
    '  address: "https://vault.example.com:8200"',
    "  authentication:",
    "    method: approle",
    "    role_id: r",
    "    secret_id: s",
    extra,
  ].join("\n");

describe("seed vault_integration YAML", () => {
  it("loads the seed story's example with durations in seconds and reports ${ENV} references", () => {
    const { config, unresolved } = loadSeedConfig(SEED, { env: {} });
    expect(config.address).toBe("https://vault.example.com:8200");
    expect(config.namespace).toBe("cassandra-cert-manager");
    expect(config.engines.pki).toEqual({ mount_path: "pki", roles: { server: "server-cert", client: "client-cert" }, ttl: 2_592_000 });
    expect(config.engines.kv).toEqual({ mount_path: "secret", version: 2 });
    expect(config.engines.transit).toEqual({ mount_path: "transit", key_name: "cassandra-encryption" });
    expect(config.performance).toEqual({
      max_retries: 3,
      retry_wait_min: 1,
      retry_wait_max: 30,
      connection_timeout: 30,
      max_idle_connections: 10,
    });
    expect(config.caching).toEqual({ enable: true, ttl: 300, max_entries: 10_000 });
    expect(unresolved).toEqual([
      { path: "vault_integration.authentication.role_id", name: "VAULT_ROLE_ID" },
      { path: "vault_integration.authentication.secret_id", name: "VAULT_SECRET_ID" },
    ]);
  });

  it("resolves ${ENV} references from the given environment", () => {
    const { config, unresolved } = loadSeedConfig(SEED, { env: { VAULT_ROLE_ID: "role-1", VAULT_SECRET_ID: "secret-1" } });
    expect(config.authentication).toMatchObject({ method: "approle", role_id: "role-1", secret_id: "secret-1" });
    expect(unresolved).toEqual([]);
  });

  it("in resolve mode an unset variable is an error with its line", () => {
    const e = errorOf(SEED, {}, "resolve");
    expect(e.issues[0]).toMatchObject({
      path: "vault_integration.authentication.role_id",
      line: 7,
      message: "environment variable VAULT_ROLE_ID is not set",
    });
  });

  it("a TTL of 10x names the field, the rule and the line", () => {
    const e = errorOf(minimal("  engines:\n    pki:\n      ttl: 10x"));
    expect(e.issues).toEqual([expect.objectContaining({ path: "vault_integration.engines.pki.ttl", file: "vault.yaml", line: 9 })]);
    expect(e.message).toMatch(/^vault\.yaml:9:\d+: vault_integration\.engines\.pki\.ttl: invalid duration "10x"/);
  });

  it("an unknown key is rejected at its line", () => {
    const e = errorOf(minimal("  cachng:\n    enable: true"));
    expect(e.issues).toEqual([expect.objectContaining({ path: "vault_integration.cachng", message: 'unknown key "cachng"', line: 7 })]);
  });

  it("malformed YAML gives the line, not a parser stack", () => {
    const e = errorOf("vault_integration:\n  address: [\n  namespace: x\n");
    expect(e.issues[0].path).toBe("(yaml)");
    expect(e.issues[0].line).toBeGreaterThanOrEqual(2);
    expect(e.message).toMatch(/malformed YAML/);
  });

  it("a missing required field points at its parent's line", () => {
    const e = errorOf("vault_integration:\n  address: https://v:8200\n  authentication:\n    method: approle\n    role_id: r\n");
    expect(e.issues).toEqual([expect.objectContaining({ path: "vault_integration.authentication.secret_id", line: 4 })]);
  });

  it("cross-field rules: retry bounds, client cert pairs, cert auth needs a client cert", () => {
    expect(errorOf(minimal("  performance:\n    retry_wait_min: 1m\n    retry_wait_max: 30s")).issues[0]).toMatchObject({
      path: "vault_integration.performance.retry_wait_min",
      message: "retry_wait_min exceeds retry_wait_max",
      line: 8,
    });
    expect(errorOf(minimal("  tls:\n    client_cert: /c.pem")).issues[0]).toMatchObject({ path: "vault_integration.tls.client_key" });
    const cert = ["vault_integration:", "  address: https://v:8200", "  authentication:", "    method: cert"].join("\n");
    expect(errorOf(cert).issues[0]).toMatchObject({ path: "vault_integration.authentication.method" });
  });

  it("only KV version 2 is accepted", () => {
    expect(errorOf(minimal("  engines:\n    kv:\n      version: 1")).issues[0].path).toBe("vault_integration.engines.kv.version");
  });
});
