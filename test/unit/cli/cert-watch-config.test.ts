import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UnknownPkiRoleKeyError, loadCertWatchConfig, resolvePkiRoleKey } from "../../../cli/cert-watch-config";
import { ModelValidationError } from "../../../model/errors";
import { loadSeedConfig, seedPkiMount, seedPkiRoles } from "../../../model/seed-config";
import { cassandraEstate, cassandraOptionsFromSeed } from "../../../stacks/cassandra-estate";
import { TargetServer } from "../../../model/target";

const ROOT = join(__dirname, "../../..");
const SEED = [
  "vault_integration:",
  '  address: "https://vault.example.com:8200"',
  "  authentication:",
  "    method: token",
  '    token: "${VAULT_TOKEN}"',
  "  engines:",
  "    pki:",
  "      mount_path: pki-int",
  "      roles:",
  "        server: node-server",
  "        client: node-client",
  "      ttl: 48h",
];
const ENV = { VAULT_TOKEN: "t", KS: "pw" };

function load(lines: string[], env: Record<string, string> = ENV) {
  return loadCertWatchConfig(lines.join("\n"), { file: "watch.yaml", baseDir: "/etc/node", env });
}

function issuesOf(fn: () => unknown): ModelValidationError["issues"] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ModelValidationError) return error.issues;
    throw error;
  }
  throw new Error("expected a ModelValidationError");
}

const CERT = ["certificates:", "  - name: node", "    common_name: n1.example.com", "    pem: { cert: tls/n1.crt, key: /abs/n1.key }"];

describe("cert watch configuration", () => {
  it("resolves role keys through the embedded vault_integration, with its mount and TTL", () => {
    const config = load([
      ...SEED,
      ...CERT,
      "    role: server",
      "  - common_name: c.example.com",
      "    role: client",
      "    pkcs12:",
      "      keystore: ks.p12",
      "      password_env: KS",
    ]);
    expect(config.mount).toBe("pki-int");
    expect(config.certificates.map((c) => [c.name, c.roleKey, c.role, c.purpose])).toEqual([
      ["node", "server", "node-server", "server"],
      ["c.example.com", "client", "node-client", "client"],
    ]);
    expect(config.certificates[0].request).toEqual({ common_name: "n1.example.com", ttl: 172_800 });
    // Relative sink paths are relative to the watch file; absolute ones stay.
    expect(config.certificates[0].pem).toEqual({
      certPath: "/etc/node/tls/n1.crt",
      keyPath: "/abs/n1.key",
      chainPath: undefined,
      fullChainPath: undefined,
    });
    expect(config.certificates[1].pkcs12).toEqual({ keystorePath: "/etc/node/ks.p12", alias: "server", passwordEnv: "KS" });
    expect(config.certificates[0].key).toBe("vault");
  });

  it("reports an undeclared role key as a typed error at the role's line and column", () => {
    const lines = [...SEED, ...CERT, "    role: srever"];
    let error: unknown;
    try {
      load(lines);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownPkiRoleKeyError);
    const typed = error as UnknownPkiRoleKeyError;
    expect(typed.key).toBe("srever");
    expect(typed.issues[0]).toMatchObject({
      file: "watch.yaml",
      line: lines.indexOf("    role: srever") + 1,
      column: 5,
      path: "certificates[0].role",
    });
    expect(typed.message).toContain("declares server (node-server), client (node-client)");
    // code_signing is a real key but this seed does not declare it: still refused, never sent as a name.
    expect(() => load([...SEED, ...CERT, "    role: code_signing"])).toThrow(UnknownPkiRoleKeyError);
  });

  it("needs a vault_integration to resolve a role key, but takes a literal role_name without one", () => {
    expect(() => load([...CERT, "    role: server"])).toThrow(/role key "server" needs vault_integration/);
    const literal = load([...CERT, "    role_name: my-role"]);
    expect(literal.certificates[0]).toMatchObject({ role: "my-role", roleKey: undefined, purpose: undefined });
    expect(literal.mount).toBe("pki");
    expect(literal.vaultIntegration).toBeUndefined();
  });

  it("reports schema errors with file, line, column and field path", () => {
    const lines = [
      ...SEED,
      "certificates:",
      "  - name: node",
      "    role: server",
      "    common_name: n1.example.com",
      "    ttl: 5 years",
      "    colour: blue",
      "    pkcs12:",
      "      keystore: ks.p12",
      "      password_env: not a name",
    ];
    const issues = issuesOf(() => load(lines));
    const at = (text: string): number => lines.indexOf(text) + 1;
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "certificates[0].ttl", line: at("    ttl: 5 years"), file: "watch.yaml" }),
        expect.objectContaining({ path: "certificates[0].colour", line: at("    colour: blue"), message: 'unknown key "colour"' }),
        expect.objectContaining({ path: "certificates[0].pkcs12.password_env", line: at("      password_env: not a name") }),
      ]),
    );
  });

  it("checks the rules between fields: one role, a sink, unique names, key sizes", () => {
    const lines = [
      ...SEED,
      "certificates:",
      "  - name: a",
      "    role: server",
      "    role_name: x",
      "    common_name: a.example.com",
      "    key_type: ec",
      "    key_bits: 521",
      "  - name: a",
      "    role: server",
      "    common_name: b.example.com",
      "    pem: {}",
    ];
    const issues = issuesOf(() => load(lines));
    expect(issues.map((i) => `${i.line} ${i.path}: ${i.message}`)).toEqual([
      `${lines.indexOf("  - name: a") + 1} certificates[0]: give exactly one of role (a key of vault_integration.engines.pki.roles) or role_name (a literal role)`,
      `${lines.indexOf("  - name: a") + 1} certificates[0]: give pem and/or pkcs12: a certificate nobody receives is pointless`,
      `${lines.indexOf("    key_bits: 521") + 1} certificates[0].key_bits: key_bits for ec must be 256 or 384`,
      `${lines.lastIndexOf("  - name: a") + 1} certificates[1].name: certificate name "a" is also used by certificates[0]`,
      `${lines.indexOf("    pem: {}") + 1} certificates[1].pem: give at least one of key, cert, chain, full_chain`,
    ]);
  });

  it("names unset ${VARS} with their line, and refuses both vault_integration forms at once", () => {
    const lines = [...SEED, ...CERT, "    role_name: r", "    common_name_suffix: x"].slice(0, -1);
    const unset = issuesOf(() => load(lines, {}));
    expect(unset[0]).toMatchObject({
      path: "vault_integration.authentication.token",
      line: 5,
      message: "environment variable VAULT_TOKEN is not set",
    });
    expect(issuesOf(() => load(["vault_integration_file: seed.yaml", ...SEED, ...CERT, "    role_name: r"]))[0]).toMatchObject({
      path: "vault_integration_file",
      line: 1,
    });
  });

  it("reads vault_integration_file next to the watch file and reports its errors in that file", () => {
    const read = jest.fn((path: string) => {
      if (path !== "/etc/node/seed.yaml") throw Object.assign(new Error("nope"), { code: "ENOENT" });
      return SEED.join("\n").replace("node-server", "linked-server");
    });
    const config = loadCertWatchConfig(["vault_integration_file: seed.yaml", ...CERT, "    role: server"].join("\n"), {
      file: "conf/watch.yaml",
      baseDir: "/etc/node",
      env: ENV,
      readFile: read,
    });
    expect(config.certificates[0].role).toBe("linked-server");
    const missing = issuesOf(() =>
      loadCertWatchConfig(["vault_integration_file: other.yaml", ...CERT, "    role: server"].join("\n"), {
        file: "w.yaml",
        baseDir: "/etc/node",
        env: ENV,
        readFile: read,
      }),
    );
    expect(missing[0]).toMatchObject({ path: "vault_integration_file", line: 1, message: "cannot read other.yaml: ENOENT" });
    const badSeed = issuesOf(() =>
      loadCertWatchConfig(["vault_integration_file: seed.yaml", ...CERT, "    role: server"].join("\n"), {
        file: "conf/watch.yaml",
        baseDir: "/etc/node",
        env: ENV,
        readFile: () => SEED.join("\n").replace("ttl: 48h", "ttl: soon"),
      }),
    );
    expect(badSeed[0]).toMatchObject({
      file: "conf/seed.yaml",
      path: "vault_integration.engines.pki.ttl",
      line: SEED.indexOf("      ttl: 48h") + 1,
    });
  });
});

describe("role keys shared with the Cassandra stack", () => {
  const target: TargetServer = { edition: "openbao", version: "2.6.1" };

  it("resolves only declared keys", () => {
    expect(resolvePkiRoleKey("server", { server: "s" })).toBe("s");
    expect(resolvePkiRoleKey("client", { server: "s" })).toBeUndefined();
    expect(resolvePkiRoleKey("toString", { server: "s" })).toBeUndefined();
  });

  it("gives the watch daemon exactly the mount and roles the stack builds from the same seed", () => {
    for (const text of [
      readFileSync(join(ROOT, "examples/cdktf/vault_integration.yaml"), "utf8"),
      SEED.join("\n"),
      // No roles declared: both sides fall back on the one set of defaults.
      SEED.slice(0, 5).join("\n"),
    ]) {
      const seed = loadSeedConfig(text, { env: { VAULT_ROLE_ID: "r", VAULT_SECRET_ID: "s", VAULT_TOKEN: "t" }, envMode: "resolve" }).config;
      const estate = cassandraEstate(cassandraOptionsFromSeed(seed, { target }));
      const issuing = estate.pki!.intermediates![0];
      const built = issuing.roles!.map((r) => [r.template, r.name]);
      const roles = seedPkiRoles(seed);
      expect(built).toEqual([
        ["server", roles.server],
        ["client", roles.client],
      ]);
      expect(issuing.mount).toBe(seedPkiMount(seed));
    }
  });

  it("resolves the example watch config's role keys to the roles of the example seed", () => {
    const config = loadCertWatchConfig(readFileSync(join(ROOT, "examples/cassandra/cert-watch.yaml"), "utf8"), {
      file: "examples/cassandra/cert-watch.yaml",
      baseDir: join(ROOT, "examples/cassandra"),
      env: { VAULT_ROLE_ID: "r", VAULT_SECRET_ID: "s", NODE_NAME: "node1", NODE_IP: "10.0.1.10" },
    });
    expect(config.mount).toBe("pki");
    expect(config.certificates.map((c) => [c.name, c.role, c.purpose])).toEqual([
      ["node", "server-cert", "server"],
      ["cqlsh", "client-cert", "client"],
    ]);
    expect(config.certificates[0].request.alt_names).toEqual(["node1.example.com", "10.0.1.10"]);
    expect(config.certificates[0].pkcs12?.truststorePasswordEnv).toBe("CASSANDRA_TRUSTSTORE_PASSWORD");
  });
});

describe("after_renewal", () => {
  it("takes a program with its arguments and a timeout (120 s by default)", () => {
    const withHook = load([...CERT, "    role_name: server-cert", "    after_renewal: { command: [nodetool, reloadssl] }"]);
    expect(withHook.certificates[0].afterRenewal).toEqual({ command: ["nodetool", "reloadssl"], timeoutMs: 120_000 });
    const timed = load([
      ...CERT,
      "    role_name: server-cert",
      "    after_renewal: { command: [nodetool, -h, 127.0.0.1, reloadssl], timeout: 30s }",
    ]);
    expect(timed.certificates[0].afterRenewal).toEqual({ command: ["nodetool", "-h", "127.0.0.1", "reloadssl"], timeoutMs: 30_000 });
    expect(load([...CERT, "    role_name: server-cert"]).certificates[0].afterRenewal).toBeUndefined();
  });

  it("refuses an empty command or a shell string, at the field's line", () => {
    const empty = issuesOf(() => load([...CERT, "    role_name: server-cert", "    after_renewal: { command: [] }"]));
    expect(empty).toEqual([expect.objectContaining({ path: "certificates[0].after_renewal.command", line: 6 })]);
    const shell = issuesOf(() => load([...CERT, "    role_name: server-cert", '    after_renewal: { command: "nodetool reloadssl" }']));
    expect(shell).toEqual([expect.objectContaining({ path: "certificates[0].after_renewal.command", line: 6 })]);
  });
});
