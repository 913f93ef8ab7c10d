import { Testing } from "cdktf";
import { addCassandraEstate, parseTarget } from "../../../../examples/cdktf/cassandra-estate";

interface Json {
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

describe("examples/cdktf/cassandra-estate", () => {
  it("synthesizes the seed's estate for the local OpenBao, in the seed's namespace, without a database", () => {
    const stack = addCassandraEstate(Testing.app(), {});
    const json = JSON.parse(Testing.synth(stack, true)) as Json;
    expect(
      Object.values(json.resource.vault_mount)
        .map((m) => [m.path, m.namespace])
        .sort(),
    ).toEqual([
      ["pki", "cassandra-cert-manager"],
      ["pki-root", "cassandra-cert-manager"],
      ["secret", "cassandra-cert-manager"],
      ["transit", "cassandra-cert-manager"],
    ]);
    expect(Object.values(json.resource.vault_transit_secret_backend_key)[0]).toMatchObject({ deletion_allowed: true });
  });

  it("on Vault CE drops the seed's namespace; Cassandra hosts add the database engine", () => {
    const stack = addCassandraEstate(Testing.app(), { VAULTSMITH_TARGET: "vault-ce@1.21.4", CASSANDRA_HOSTS: "c1,c2" });
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(Object.values(json.resource.vault_mount).every((m) => m.namespace === undefined)).toBe(true);
    expect(Object.values(json.resource.vault_database_secret_backend_connection)[0]).toMatchObject({
      cassandra: expect.objectContaining({ hosts: ["c1", "c2"] }),
    });
  });

  it("parses edition@version", () => {
    expect(parseTarget("vault-enterprise@1.21.4")).toEqual({ edition: "vault-enterprise", version: "1.21.4" });
    expect(() => parseTarget("vault")).toThrow(/VAULTSMITH_TARGET must be/);
  });
});
