import { cassandraProgram, readConfig } from "../../../../examples/pulumi/cassandra-program";
import { registered, settle, useMocks } from "../../constructs/pulumi/pulumi-harness";

describe("the Pulumi example program", () => {
  it("reads target and hosts from the stack config and builds the estate with the app policy", async () => {
    await useMocks(
      {
        target: JSON.stringify({ edition: "openbao", version: "2.6.1" }),
        cassandraHosts: JSON.stringify(["c1"]),
        cassandra_admin_password: "pw",
      },
      ["cassandra_admin_password"],
    );
    const config = readConfig();
    expect(config).toEqual({ target: { edition: "openbao", version: "2.6.1" }, cassandraHosts: ["c1"] });
    const outputs = cassandraProgram(config);
    await settle();
    expect([outputs.pkiMount, outputs.kvMount, outputs.appRolePath]).toEqual(["pki", "secret", "approle"]);
    const names = registered().map((r) => r.name);
    expect(names).toContain("cassandra-cert-manager-app-policy-policy");
    expect(names.some((n) => n.includes("connection-cassandra"))).toBe(true);
    const policy = registered().find((r) => r.name === "cassandra-cert-manager-app-policy-policy")?.inputs.policy as string;
    expect(policy).toContain(`path "${outputs.pkiMount}/issue/`);
  });

  it("on Vault CE drops the seed's namespace and leaves the database out without hosts", async () => {
    await useMocks({ target: JSON.stringify({ edition: "vault-ce", version: "1.21.4" }) });
    cassandraProgram(readConfig());
    await settle();
    const inputs = registered()
      .filter((r) => r.custom && r.type.startsWith("vault:"))
      .map((r) => r.inputs);
    expect(inputs.some((i) => "namespace" in i)).toBe(false);
    expect(registered().some((r) => r.type.startsWith("vault:database/"))).toBe(false);
  });
});
