import { toPlain } from "../../../model/graph";
import { databaseFragment, databaseSchema } from "../../../model/kinds/database";
import { kvV2Fragment, kvSchema } from "../../../model/kinds/kv-v2";
import { transitFragment, transitSchema } from "../../../model/kinds/transit";

describe("secrets engine fragments", () => {
  it("KV v2: kv mount with options.version 2 and engine config in seconds", () => {
    const f = kvV2Fragment(kvSchema.parse({ mount: "/secret/", maxVersions: 10, casRequired: true, deleteVersionAfter: "30d" }), {
      owner: "kv-secret",
    });
    expect(toPlain(f.resources)).toEqual([
      { type: "vault_mount", id: "kv-secret.mount", protect: false, attributes: { path: "secret", type: "kv", options: { version: "2" } } },
      {
        type: "vault_kv_secret_backend_v2",
        id: "kv-secret.config",
        protect: false,
        attributes: { mount: "${kv-secret.mount.path}", max_versions: 10, cas_required: true, delete_version_after: 2_592_000 },
      },
    ]);
  });

  it("transit: every key type, convergent + derived, auto-rotate in seconds, deletion protection", () => {
    const spec = transitSchema.parse({
      mount: "transit",
      keys: [
        { name: "aes", type: "aes256-gcm96", derived: true, convergentEncryption: true, autoRotatePeriod: "720h" },
        { name: "chacha", type: "chacha20-poly1305" },
        { name: "ed", type: "ed25519" },
        { name: "ec", type: "ecdsa-p384", deletionAllowed: true },
      ],
    });
    const fragment = transitFragment(spec, { owner: "t" });
    // Constructs find their resources by these names, never by position.
    expect(fragment.ids.mount).toBe("t.mount");
    const keyNames = new Map(fragment.resources.map((r) => [r.id, r.attributes.name]));
    expect([...fragment.ids.keys].map(([name, id]) => [name, keyNames.get(id)])).toEqual([
      ["aes", "aes"],
      ["chacha", "chacha"],
      ["ed", "ed"],
      ["ec", "ec"],
    ]);
    const plain = toPlain(fragment.resources);
    expect(plain[0]).toEqual({ type: "vault_mount", id: "t.mount", protect: false, attributes: { path: "transit", type: "transit" } });
    expect(plain[1]).toEqual({
      type: "vault_transit_secret_backend_key",
      id: "t.key-aes",
      protect: true,
      attributes: {
        backend: "${t.mount.path}",
        name: "aes",
        type: "aes256-gcm96",
        derived: true,
        convergent_encryption: true,
        auto_rotate_period: 2_592_000,
        deletion_allowed: false,
        exportable: false,
        allow_plaintext_backup: false,
      },
    });
    expect(plain.slice(2).map((d) => [d.id, (d.attributes as { type: string }).type, d.protect])).toEqual([
      ["t.key-chacha", "chacha20-poly1305", true],
      ["t.key-ed", "ed25519", true],
      ["t.key-ec", "ecdsa-p384", false],
    ]);
  });

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
