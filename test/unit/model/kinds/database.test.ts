import { toPlain } from "../../../../model/graph";
import {
  DatabaseGrants,
  DatabaseSecretsProps,
  databaseFragment,
  databaseInput,
  databaseProps,
  databaseSchema,
} from "../../../../model/kinds/database";
import { PathRule } from "../../../../policies/policy-document";

describe("secrets engine fragments", () => {
  it("database: write-only password for SQL, sensitive input for cassandra, allowed roles filled from the roles", () => {
    const spec = databaseSchema.parse({
      mount: "database",
      maxLeaseTtl: "24h",
      connections: [
        { name: "cass", plugin: "cassandra", hosts: ["c2", "c1"], username: "admin", password: { variable: "cass_pw" }, tls: true },
        {
          name: "pg",
          plugin: "postgresql",
          connectionUrl: "postgresql://{{username}}:{{password}}@db/app",
          username: "vault",
          password: { variable: "pg_pw", version: 3 },
        },
        {
          name: "my",
          plugin: "mysql",
          connectionUrl: "{{username}}:{{password}}@tcp(db:3306)/",
          username: "vault",
          password: { variable: "my_pw" },
        },
        {
          name: "mongo",
          plugin: "mongodb",
          connectionUrl: "mongodb://{{username}}:{{password}}@m:27017/admin",
          username: "vault",
          password: { variable: "mongo_pw" },
        },
      ],
      roles: [
        {
          name: "app",
          connection: "cass",
          creationStatements: ["CREATE USER"],
          revocationStatements: ["DROP USER"],
          defaultTtl: "1h",
          maxTtl: "24h",
        },
        { name: "report", connection: "pg", creationStatements: ["CREATE ROLE"] },
      ],
    });
    const plain = toPlain(databaseFragment(spec, { owner: "db" }).resources);
    expect(plain[0].attributes).toEqual({ path: "database", type: "database", max_lease_ttl_seconds: 86_400 });
    expect(plain[1].attributes).toEqual({
      backend: "${db.mount.path}",
      name: "cass",
      allowed_roles: ["app"],
      verify_connection: true,
      cassandra: { hosts: ["c1", "c2"], port: 9042, username: "admin", password: "${var.cass_pw}", tls: true },
    });
    expect(plain[2].attributes).toEqual({
      backend: "${db.mount.path}",
      name: "pg",
      allowed_roles: ["report"],
      verify_connection: true,
      postgresql: {
        connection_url: "postgresql://{{username}}:{{password}}@db/app",
        username: "vault",
        password_wo: "${var.pg_pw}",
        password_wo_version: 3,
      },
    });
    expect(Object.keys(plain[3].attributes as object)).toContain("mysql");
    expect(Object.keys(plain[4].attributes as object)).toContain("mongodb");
    expect(plain[4].attributes).toMatchObject({ allowed_roles: [] });
    expect(plain[5]).toEqual({
      type: "vault_database_secret_backend_role",
      id: "db.role-app",
      protect: false,
      attributes: {
        backend: "${db.mount.path}",
        name: "app",
        db_name: "${db.connection-cass.name}",
        creation_statements: ["CREATE USER"],
        revocation_statements: ["DROP USER"],
        default_ttl: 3600,
        max_ttl: 86_400,
      },
    });
    // No password literal anywhere.
    expect(JSON.stringify(plain)).not.toMatch(/hunter|"password":"[^$]/);
  });
});

describe("database fragment details, construct input and props", () => {
  const cassandra = {
    name: "cass",
    plugin: "cassandra",
    hosts: ["c1"],
    port: 9142,
    tls: true,
    insecureTls: false,
    caCert: "-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n",
    protocolVersion: 4,
    connectTimeout: "30s",
    username: "admin",
    password: { variable: "cass_pw" },
    allowedRoles: ["b", "a", "later"],
    verifyConnection: false,
    rootRotationStatements: ["ALTER USER"],
  };

  it("cassandra options, explicit allowed roles, statements and the namespace reach their resources", () => {
    const spec = databaseSchema.parse({
      mount: "db",
      connections: [cassandra],
      roles: [
        { name: "a", connection: "cass", creationStatements: ["C"], renewStatements: ["R"], rollbackStatements: ["B"] },
        { name: "b", connection: "cass", creationStatements: ["C"] },
      ],
    });
    const fragment = databaseFragment(spec, { owner: "o", namespace: "team" });
    expect(fragment.ids.mount).toBe("o.mount");
    expect([...fragment.ids.connections]).toEqual([["cass", "o.connection-cass"]]);
    const plain = toPlain(fragment.resources);
    expect(plain.map((r) => [r.type, r.id])).toEqual([
      ["vault_mount", "o.mount"],
      ["vault_database_secret_backend_connection", "o.connection-cass"],
      ["vault_database_secret_backend_role", "o.role-a"],
      ["vault_database_secret_backend_role", "o.role-b"],
    ]);
    expect(plain[0].attributes).toEqual({ path: "db", type: "database", namespace: "team" });
    expect(plain[1].attributes).toEqual({
      backend: "${o.mount.path}",
      name: "cass",
      allowed_roles: ["a", "b", "later"],
      verify_connection: false,
      root_rotation_statements: ["ALTER USER"],
      cassandra: {
        hosts: ["c1"],
        port: 9142,
        username: "admin",
        password: "${var.cass_pw}",
        tls: true,
        insecure_tls: false,
        pem_bundle: cassandra.caCert,
        protocol_version: 4,
        connect_timeout: 30,
      },
      namespace: "team",
    });
    expect(plain[2].attributes).toEqual({
      backend: "${o.mount.path}",
      name: "a",
      db_name: "${o.connection-cass.name}",
      creation_statements: ["C"],
      renew_statements: ["R"],
      rollback_statements: ["B"],
      default_ttl: 3600,
      max_ttl: 86_400,
      namespace: "team",
    });
  });

  it("a role on an unknown connection is refused by the fragment too", () => {
    const spec = databaseSchema.parse({ mount: "db", roles: [{ name: "r", connection: "nope", creationStatements: ["C"] }] });
    expect(() => databaseFragment(spec, { owner: "o" })).toThrow('database role "r": unknown connection "nope"');
    expect(databaseSchema.parse({ mount: "db" })).toMatchObject({ connections: [], roles: [] });
  });

  it("databaseInput: the default mount, password variables as secret inputs, unset options left out; databaseProps reverses it", () => {
    expect(databaseInput({})).toEqual({ mount: "database", connections: [], roles: [] });
    const props: DatabaseSecretsProps = {
      mountPath: "db",
      maxLeaseTtl: "2h",
      connections: [
        {
          name: "pg",
          plugin: "postgresql",
          connectionUrl: "u",
          username: "v",
          passwordVariable: "pw",
          passwordVersion: 2,
          port: undefined,
        },
        { name: "my", plugin: "mysql", connectionUrl: "u", username: "v", passwordVariable: "pw2" },
      ],
      roles: [{ name: "r", connection: "pg", creationStatements: ["C"], maxTtl: undefined }],
    };
    const input = databaseInput(props);
    expect(input).toEqual({
      mount: "db",
      maxLeaseTtl: "2h",
      connections: [
        { name: "pg", plugin: "postgresql", connectionUrl: "u", username: "v", password: { variable: "pw", version: 2 } },
        { name: "my", plugin: "mysql", connectionUrl: "u", username: "v", password: { variable: "pw2" } },
      ],
      roles: [{ name: "r", connection: "pg", creationStatements: ["C"] }],
    });
    const back = databaseProps(databaseSchema.parse(input));
    expect(back).toMatchObject({ mountPath: "db", maxLeaseTtl: 7200, roles: [{ name: "r", connection: "pg" }] });
    expect(back.connections?.map((c) => [c.name, c.passwordVariable, c.passwordVersion])).toEqual([
      ["pg", "pw", 2],
      ["my", "pw2", 1],
    ]);
    expect(back.connections?.[0]).not.toHaveProperty("password");
  });

  it("DatabaseGrants: read on the role's creds, an unknown role refused with the engine's label", () => {
    const grants = new DatabaseGrants("db", new Set(["app"]), "stack/db");
    const rules: PathRule[] = [];
    const policy = { policyName: "p", addRules: (...r: PathRule[]) => rules.push(...r) };
    expect(grants.grantCredentials(policy, "app")).toEqual([{ path: "db/creds/app", capabilities: ["read"] }]);
    expect(() => grants.grantCredentials(policy, "other")).toThrow('DatabaseSecrets stack/db: no role "other"');
    expect(rules).toEqual([{ path: "db/creds/app", capabilities: ["read"] }]);
  });

  it("schema: port 1-65535, a PEM CA certificate, at least one creation statement, statements default to none", () => {
    const connection = (c: object) =>
      databaseSchema.safeParse({
        mount: "db",
        connections: [{ name: "c", plugin: "cassandra", hosts: ["h"], username: "u", password: { variable: "p" }, ...c }],
      });
    expect([0, 1, 65535, 65536].map((port) => connection({ port }).success)).toEqual([false, true, true, false]);
    const notPem = connection({ caCert: "MIIB" });
    expect(notPem.success).toBe(false);
    expect(notPem.error?.issues).toEqual([
      expect.objectContaining({ path: ["connections", 0, "caCert"], message: "expected a PEM certificate" }),
    ]);
    const role = (r: object) => databaseSchema.safeParse({ mount: "db", roles: [{ name: "r", connection: "c", ...r }] });
    expect(role({ creationStatements: [] }).success).toBe(false);
    const two = role({ creationStatements: ["A", "B"] });
    expect(two.data?.roles[0]).toMatchObject({
      creationStatements: ["A", "B"],
      revocationStatements: [],
      renewStatements: [],
      rollbackStatements: [],
    });
  });
});
