import * as pulumi from "@pulumi/pulumi";
import { AclPolicy } from "../../../../constructs/pulumi/acl-policy";
import { DatabaseSecrets } from "../../../../constructs/pulumi/database-secrets";
import { VaultStack } from "../../../../constructs/pulumi/vault-stack";
import { optionsOf, recording, registered, settle, useMocks } from "./pulumi-harness";

const CONNECTION = "vault:database/secretBackendConnection:SecretBackendConnection";
const SIG = "4dabf18193072939515e22adb298388d";

describe("DatabaseSecrets", () => {
  it("reads root passwords from Pulumi config secrets and sends them as secrets (never literal)", async () => {
    await useMocks({ cassandra_pw: "s3cret", pg_pw: "pg-s3cret" }, ["cassandra_pw", "pg_pw"]);
    const stack = new VaultStack("test", { target: { edition: "openbao", version: "2.6.1" } }, recording());
    const db = new DatabaseSecrets(
      "db",
      {
        connections: [
          { name: "cassandra", plugin: "cassandra", hosts: ["c1"], username: "admin", passwordVariable: "cassandra_pw" },
          {
            name: "pg",
            plugin: "postgresql",
            connectionUrl: "postgresql://{{username}}:{{password}}@pg/app",
            username: "vault",
            passwordVariable: "pg_pw",
          },
        ],
        roles: [{ name: "app", connection: "pg", creationStatements: ["CREATE ROLE x"] }],
      },
      { parent: stack },
    );
    const policy = new AclPolicy("p", { policyName: "p" }, { parent: stack });
    db.grantCredentials(policy, "app");
    await settle();
    const byName = new Map(registered().map((r) => [r.name, r.inputs]));
    expect(byName.get("db-connection-cassandra")?.cassandra).toEqual({
      [SIG]: "1b47061264138c4ac30d75fd1eb44270",
      value: { hosts: ["c1"], port: 9042, username: "admin", password: "s3cret" },
    });
    expect(byName.get("db-connection-pg")?.postgresql).toEqual({
      [SIG]: "1b47061264138c4ac30d75fd1eb44270",
      value: {
        connectionUrl: "postgresql://{{username}}:{{password}}@pg/app",
        username: "vault",
        passwordWo: "pg-s3cret",
        passwordWoVersion: 1,
      },
    });
    expect((optionsOf(CONNECTION, "db-connection-cassandra") as pulumi.CustomResourceOptions).additionalSecretOutputs).toEqual([
      "cassandra",
    ]);
    expect(policy.document().rules).toEqual([{ path: "database/creds/app", capabilities: ["read"] }]);
    expect(() => db.grantCredentials(policy, "nope")).toThrow('DatabaseSecrets db: no role "nope"');
    expect(() => db.connection("nope")).toThrow('no connection "nope"');
    expect(db.connection("pg")).toBeDefined();
  });
});
