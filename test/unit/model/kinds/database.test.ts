import { toPlain } from "../../../../model/graph";
import { databaseFragment, databaseSchema } from "../../../../model/kinds/database";

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
