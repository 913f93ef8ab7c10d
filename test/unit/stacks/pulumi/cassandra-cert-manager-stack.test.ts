import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AclPolicy } from "../../../../constructs/pulumi/acl-policy";
import { TargetServer } from "../../../../model/target";
import { CassandraCertManagerStack } from "../../../../stacks/pulumi/cassandra-cert-manager-stack";
import { optionsOf, recording, registered, settle, useMocks, valueOf } from "../../constructs/pulumi/pulumi-harness";

const SEED = readFileSync(join(__dirname, "../../../fixtures/constructs/seed-vault-integration.yaml"), "utf8");
const OPENBAO: TargetServer = { edition: "openbao", version: "2.6.1" };
const VAULT_CE: TargetServer = { edition: "vault-ce", version: "1.21.4" };

describe("CassandraCertManagerStack (Pulumi)", () => {
  it("builds the estate as children named after the stack, with the root CA protected and the password a secret", async () => {
    await useMocks({ cassandra_admin_password: "pw" }, ["cassandra_admin_password"]);
    const stack = CassandraCertManagerStack.fromOptions("cassandra", { target: OPENBAO }, {}, recording());
    const app = new AclPolicy("cassandra-app", { policyName: "app" }, { parent: stack });
    stack.serverRole.grantIssue(app);
    stack.kv.grantRead(app, "cassandra/*");
    await settle();
    expect(await valueOf(stack.urn)).toMatch(/::vaultsmith:stacks:CassandraCertManagerStack::cassandra$/);
    const custom = registered().filter((r) => r.custom && r.type !== "pulumi:providers:vault");
    expect(custom.every((r) => r.name.startsWith("cassandra-"))).toBe(true);
    expect(optionsOf("vault:pkiSecret/secretBackendRootCert:SecretBackendRootCert", "cassandra-pki-root-cert").protect).toBe(true);
    const connection = custom.find((r) => r.name === "cassandra-database-database-connection-cassandra");
    expect(connection?.inputs.cassandra).toMatchObject({ value: { password: "pw" } });
    expect([stack.issuingCa.mountPath, stack.serverRole.roleName, stack.clientRole.roleName, stack.transit.mountPath]).toEqual([
      "pki",
      "server-cert",
      "client-cert",
      "transit",
    ]);
    expect(app.document().rules.map((r) => r.path)).toEqual([
      "pki/issue/server-cert",
      "secret/data/cassandra/*",
      "secret/metadata/cassandra/*",
    ]);
  });

  it("from the seed YAML: the seed's namespace needs a target with namespaces (same error as CDKTF), before any resource", async () => {
    await useMocks();
    expect(() => CassandraCertManagerStack.fromSeedYaml("seed", SEED, { target: VAULT_CE })).toThrow(/namespace/);
    await settle();
    expect(registered()).toEqual([]);
  });
});
