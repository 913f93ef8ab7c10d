/**
 * ConfigRenderer against a real OpenBao dev server and a real PostgreSQL: a properties file and a
 * cassandra.yaml fragment rendered from KV, database (LeaseManager), PKI (CertificateManager) and
 * transit values; re-rendered and reloaded when a KV secret or transit key is rotated, a
 * certificate renewed, or the database credentials replaced; written 0600 and atomically only when
 * a file is asked for; a missing secret reported with the template's line, nothing delivered.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { parse as parseYaml } from "yaml";
import { CertificateManager, LeaseManager, RotationScheduler, VaultClient } from "../../../../runtime";
import { ConfigRenderer, RenderedConfig } from "../../../../runtime/templates/config-renderer";
import { TemplateFileError, TemplateSyntaxError, TemplateValueError } from "../../../../runtime/templates/template-errors";
import { DatabaseUnderTest, startDatabase } from "../../../support/database-under-test";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { waitFor } from "../../../support/harness-http";
import { setUpPkiMount, writePkiRole } from "../../../support/pki-mount";
import { selectedFlavors } from "../../../support/server-binaries";
import { admin } from "../../../support/vault-admin";

const flavor = selectedFlavors()[0];

describe(`ConfigRenderer against a real ${flavor} dev server and PostgreSQL`, () => {
  let vault: DevServer;
  let db: DatabaseUnderTest;
  let client: VaultClient;
  let leases: LeaseManager;
  let certificates: CertificateManager;
  let rotations: RotationScheduler;
  let dir: string;
  const apiToken = randomBytes(12).toString("hex");
  const keystorePassword = randomBytes(12).toString("hex");

  beforeAll(async () => {
    [vault, db] = await Promise.all([startDevServer(flavor), startDatabase("postgres")]);
    await admin(vault, "POST", "sys/mounts/transit", { type: "transit" });
    await admin(vault, "POST", "sys/mounts/database", { type: "database" });
    await admin(vault, "POST", "database/config/pg", await db.connectionConfig("vault_admin", ["app"]));
    // A short max TTL: the LeaseManager replaces the credentials every few seconds.
    await admin(vault, "POST", "database/roles/app", {
      db_name: "pg",
      creation_statements: db.creationStatements,
      default_ttl: "3s",
      max_ttl: "4s",
    });
    await setUpPkiMount(vault, "pki");
    await writePkiRole(vault, "pki", "node", {
      allowed_domains: ["example.com"],
      allow_subdomains: true,
      max_ttl: "1h",
      key_type: "ec",
      key_bits: 256,
    });
    client = new VaultClient({ address: vault.address, token: vault.token, cache: false });
    await client.kv().write("app/api", { token: apiToken, port: 9042 });
    await client.kv().write("cassandra/keystore", { password: keystorePassword });
    await client.transit().createKey("config");
    leases = new LeaseManager({ requester: client, rotation: { previous: "expire", graceMs: 1_000 } });
    certificates = new CertificateManager({ requester: client });
    rotations = new RotationScheduler({ client });
    await certificates.manage({ name: "node", role: "node", request: { common_name: "node1.example.com", ttl: "10m" } });
    dir = await mkdtemp(join(tmpdir(), "vaultsmith-templates-"));
  }, 180_000);

  afterAll(async () => {
    await rotations?.stop();
    await leases?.stop();
    await certificates?.stop();
    await client?.close();
    await vault?.stop();
    await db?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("renders a properties file in memory from KV, database, PKI and transit values, and never shows it in logs", async () => {
    await leases.manage({ name: "app-db", role: "app" });
    const sealed = await client.transit().encrypt("config", "s3cr3t-from-transit");
    const renderer = new ConfigRenderer({ client, leases, certificates });
    const template = [
      "# application.properties",
      "api.token={{ kv secret app/api token }}",
      "api.port={{ kv secret app/api port }}",
      "db.user={{ database app-db username }}",
      "db.password={{ database app-db password | quote }}",
      "tls.serial={{ pki node serial }}",
      `smtp.password={{ transit transit config decrypt "${sealed.ciphertext}" }}`,
      "key.version={{ transit transit config latest_version }}",
      'literal={{ "{{" }}',
      "",
    ].join("\n");
    const files = await readdir(dir);
    const rendered = await renderer.render("application.properties", template);
    const creds = leases.current("app-db");
    expect(rendered.text()).toBe(
      [
        "# application.properties",
        `api.token=${apiToken}`,
        "api.port=9042",
        `db.user=${creds?.username}`,
        `db.password=${JSON.stringify(creds?.password)}`,
        `tls.serial=${certificates.current("node")?.parsed.serial.colon}`,
        "smtp.password=s3cr3t-from-transit",
        "key.version=1",
        "literal={{",
        "",
      ].join("\n"),
    );
    expect(await readdir(dir)).toEqual(files); // in memory only
    const shown = `${inspect(rendered)} ${JSON.stringify(rendered)} ${String(rendered)}`;
    expect(shown).not.toContain(apiToken);
    expect(shown).not.toContain(String(creds?.password));
    expect(JSON.parse(JSON.stringify(rendered))).toMatchObject({ name: "application.properties", reason: "initial" });
    await leases.release("app-db", { revoke: true });
  });

  it("keeps a cassandra.yaml fragment in a 0600 file, re-rendered and reloaded when a used secret or key is rotated or the certificate renewed", async () => {
    const renderer = new ConfigRenderer({ client, certificates, rotations });
    await rotations.add({
      id: "keystore",
      target: { kind: "kv", path: "cassandra/keystore", generate: () => ({ password: randomBytes(12).toString("hex") }) },
    });
    await rotations.add({ id: "config-key", target: { kind: "transit-key", key: "config" } });
    const path = join(dir, "cassandra-secrets.yaml");
    const reloads: RenderedConfig[] = [];
    const errors: Error[] = [];
    const watched = await renderer.watch({
      name: "cassandra.yaml",
      template: [
        "client_encryption_options:",
        "  enabled: true",
        "  keystore_password: {{ kv secret cassandra/keystore password | quote }}",
        "  # certificate {{ pki node serial }}",
        "transparent_data_encryption_options:",
        "  key_version: {{ transit transit config latest_version }}",
        "",
      ].join("\n"),
      file: { path },
      reload: (config) => void reloads.push(config),
      onError: (e) => void errors.push(e),
    });
    expect(((await stat(path)).mode & 0o777).toString(8)).toBe("600");
    const first = parseYaml(await readFile(path, "utf8")) as { client_encryption_options: { keystore_password: string } };
    expect(first.client_encryption_options.keystore_password).toBe(keystorePassword);
    expect(watched.current().text()).toBe(await readFile(path, "utf8"));

    await rotations.rotateNow("keystore");
    await waitFor(async () => (reloads.length >= 1 ? true : undefined), {
      timeoutMs: 10_000,
      describe: () => "no reload after the KV rotation",
    });
    const rotatedPassword = String((await client.kv().read("cassandra/keystore", { cache: "bypass" }))?.data.password);
    expect(rotatedPassword).not.toBe(keystorePassword);
    expect(reloads[0].reason).toBe("rotation");
    expect(reloads[0].text()).toContain(JSON.stringify(rotatedPassword));
    expect(await readFile(path, "utf8")).toBe(reloads[0].text());

    await rotations.rotateNow("config-key");
    await waitFor(async () => (reloads.length >= 2 ? true : undefined), {
      timeoutMs: 10_000,
      describe: () => "no reload after the key rotation",
    });
    expect(reloads[1].text()).toContain("key_version: 2");

    const renewed = await certificates.renewNow("node");
    await waitFor(async () => (reloads.length >= 3 ? true : undefined), {
      timeoutMs: 10_000,
      describe: () => "no reload after the renewal",
    });
    expect(reloads[2]).toMatchObject({ reason: "certificate" });
    expect(reloads[2].text()).toContain(`# certificate ${renewed.parsed.serial.colon}`);
    expect(((await stat(path)).mode & 0o777).toString(8)).toBe("600");
    // An unchanged rendering reloads nothing; no temporary file is left behind.
    expect(await watched.refresh()).toBe(false);
    expect(reloads).toHaveLength(3);
    expect((await readdir(dir)).filter((f) => f.includes("cassandra"))).toEqual(["cassandra-secrets.yaml"]);

    // A secret that disappears: the error is reported with the line, the last good file stays.
    await client.kv().deleteMetadata("cassandra/keystore");
    const before = await readFile(path, "utf8");
    const failed = await watched.refresh().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TemplateValueError);
    expect(failed).toMatchObject({ line: 3, template: "cassandra.yaml" });
    expect(await readFile(path, "utf8")).toBe(before);
    expect(watched.current().text()).toBe(before);
    watched.stop();
    expect(errors).toEqual([]);
  }, 60_000);

  it("re-renders when the LeaseManager replaces the database credentials", async () => {
    const renderer = new ConfigRenderer({ client, leases });
    await leases.manage({ name: "rotating", role: "app" });
    const reloads: string[] = [];
    const watched = await renderer.watch({
      name: "db.env",
      template: "DB_USER={{ database rotating username }}\nDB_PASSWORD={{ database rotating password }}\n",
      reload: (config) => void reloads.push(config.text()),
    });
    const firstUser = leases.current("rotating")?.username;
    expect(watched.current().text()).toContain(`DB_USER=${firstUser}\n`);
    await waitFor(async () => (reloads.length >= 1 ? true : undefined), {
      timeoutMs: 20_000,
      describe: () => "no reload after the credentials were replaced",
    });
    const now = leases.current("rotating");
    expect(now?.username).not.toBe(firstUser);
    expect(reloads.at(-1)).toBe(`DB_USER=${now?.username}\nDB_PASSWORD=${now?.password}\n`);
    expect(await db.canLogIn({ username: String(now?.username), password: String(now?.password) })).toBe(true);
    watched.stop();
    await leases.release("rotating", { revoke: true });
  }, 40_000);

  it("refuses a template that refers to a missing secret, field or name with its line, writing nothing", async () => {
    const renderer = new ConfigRenderer({ client, leases, certificates });
    const path = join(dir, "never.properties");
    for (const [template, line, message] of [
      ["a=1\nb={{ kv secret no/such/secret x }}\n", 2, /no secret at secret\/no\/such\/secret/],
      ["a=1\n\nc={{ kv secret app/api nofield }}", 3, /has no field "nofield"/],
      ["{{ database nobody username }}", 1, /manages no credentials named "nobody"/],
      ["x\n{{ pki nothing certificate }}", 2, /manages no certificate named "nothing"/],
      ["{{ static database no-role password }}", 1, /could not be read: DatabaseRoleNotFoundError/],
      ["\n\n\n{{ transit transit no-key latest_version }}", 4, /does not exist/],
    ] as const) {
      const error = await renderer.watch({ name: "app.properties", template, file: { path } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemplateValueError);
      expect(error).toMatchObject({ line, template: "app.properties" });
      expect(String(error)).toMatch(message);
      expect(String(error)).toContain(`line ${line}`);
    }
    await expect(renderer.render("bad", "{{ kv secret }}")).rejects.toBeInstanceOf(TemplateSyntaxError);
    await expect(renderer.watch({ name: "x", template: "a", file: { path: join(dir, "missing-dir", "x") } })).rejects.toBeInstanceOf(
      TemplateFileError,
    );
    expect(await readdir(dir)).not.toContain("never.properties");
  });
});
