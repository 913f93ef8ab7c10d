import { Testing } from "cdktf";
import { AclPolicy } from "../../../../constructs/cdktf/acl-policy";
import { DatabaseSecrets } from "../../../../constructs/cdktf/database-secrets";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, logicalIdOf, onlyResource, resourcesOf, synth } from "./synth-helpers";

describe("DatabaseSecrets", () => {
  const props = {
    maxLeaseTtl: "24h",
    connections: [
      {
        name: "cassandra",
        plugin: "cassandra" as const,
        hosts: ["c1.example.com"],
        username: "vault_admin",
        passwordVariable: "cassandra_pw",
      },
      {
        name: "pg",
        plugin: "postgresql" as const,
        connectionUrl: "postgresql://{{username}}:{{password}}@pg:5432/app",
        username: "vault",
        passwordVariable: "pg_pw",
      },
      {
        name: "mysql",
        plugin: "mysql" as const,
        connectionUrl: "{{username}}:{{password}}@tcp(mysql:3306)/",
        username: "vault",
        passwordVariable: "mysql_pw",
        passwordVersion: 2,
      },
      {
        name: "mongo",
        plugin: "mongodb" as const,
        connectionUrl: "mongodb://{{username}}:{{password}}@mongo:27017/admin",
        username: "vault",
        passwordVariable: "mongo_pw",
      },
    ],
    roles: [
      {
        name: "cassandra-app",
        connection: "cassandra",
        creationStatements: ["CREATE USER '{{username}}' WITH PASSWORD '{{password}}' NOSUPERUSER;"],
        revocationStatements: ["DROP USER '{{username}}';"],
      },
      {
        name: "reporting",
        connection: "pg",
        creationStatements: ["CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}';"],
        defaultTtl: "30m",
        maxTtl: "2h",
      },
    ],
  };

  it("connections for cassandra, postgresql, mysql and mongodb; no password literal anywhere", () => {
    const json = synth((stack) => new DatabaseSecrets(stack, "db", props));
    const byName = Object.fromEntries(resourcesOf(json, "vault_database_secret_backend_connection").map((c) => [c.name, c]));
    expect(byName.cassandra).toEqual({
      backend: expect.stringMatching(/^\$\{vault_mount\./),
      name: "cassandra",
      allowed_roles: ["cassandra-app"],
      verify_connection: true,
      cassandra: { hosts: ["c1.example.com"], port: 9042, username: "vault_admin", password: "${var.cassandra_pw}" },
    });
    expect(byName.pg.postgresql).toEqual({
      connection_url: "postgresql://{{username}}:{{password}}@pg:5432/app",
      username: "vault",
      password_wo: "${var.pg_pw}",
      password_wo_version: 1,
    });
    expect(byName.mysql.mysql).toEqual({
      connection_url: "{{username}}:{{password}}@tcp(mysql:3306)/",
      username: "vault",
      password_wo: "${var.mysql_pw}",
      password_wo_version: 2,
    });
    expect(byName.mongo.mongodb).toMatchObject({ password_wo: "${var.mongo_pw}" });
    expect(json.variable?.pg_pw).toMatchObject({ sensitive: true, ephemeral: true });
    expect(json.variable?.cassandra_pw).toMatchObject({ sensitive: true });
    expect(json.variable?.cassandra_pw.ephemeral).toBeUndefined();
  });

  it("roles with statements and TTLs in seconds, referencing their connection", () => {
    const json = synth((stack) => new DatabaseSecrets(stack, "db", props));
    const roles = Object.fromEntries(resourcesOf(json, "vault_database_secret_backend_role").map((r) => [r.name, r]));
    expect(roles.reporting).toEqual({
      backend: expect.stringMatching(/^\$\{vault_mount\./),
      name: "reporting",
      db_name: expect.stringMatching(/^\$\{vault_database_secret_backend_connection\.db_connection-pg_[0-9A-F]+\.name\}$/),
      creation_statements: ["CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}';"],
      default_ttl: 1800,
      max_ttl: 7200,
    });
    expect(onlyResource(json, "vault_mount")).toEqual({ path: "database", type: "database", max_lease_ttl_seconds: 86_400 });
    expect(logicalIdOf(json, "vault_mount")).toMatch(/^db_mount_/);
  });

  it("refuses a URL with an embedded password and a role outliving the mount", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    expect(
      () =>
        new DatabaseSecrets(stack, "a", {
          connections: [
            {
              name: "pg",
              plugin: "postgresql",
              connectionUrl: "postgresql://vault:hunter2@pg/app",
              username: "vault",
              passwordVariable: "pw",
            },
          ],
        }),
    ).toThrow(/DatabaseSecrets\(a\)\.connections\[0\]\.connectionUrl: connectionUrl must use \{\{username\}\} and \{\{password\}\}/);
    expect(() => new DatabaseSecrets(stack, "b", { ...props, maxLeaseTtl: "1h" })).toThrow(/DatabaseSecrets\(b\)\.roles\[0\]\.maxTtl/);
  });

  it("grantCredentials grants read on creds/<role>", () => {
    const json = synth((stack) => {
      const db = new DatabaseSecrets(stack, "db", props);
      const p = new AclPolicy(stack, "p", { policyName: "p" });
      db.grantCredentials(p, "cassandra-app");
      expect(() => db.grantCredentials(p, "nope")).toThrow(/no role "nope"/);
    });
    expect(onlyResource(json, "vault_policy").policy).toBe('path "database/creds/cassandra-app" {\n  capabilities = ["read"]\n}\n');
  });
});
