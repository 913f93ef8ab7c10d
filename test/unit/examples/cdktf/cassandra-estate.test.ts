import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { addCassandraEstate, parseTarget } from "../../../../examples/cdktf/cassandra-estate";

interface Json {
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

describe("examples/cdktf/cassandra-estate", () => {
  it("synthesizes the seed's estate for the local OpenBao, in the seed's namespace (which it creates), without a database", () => {
    const stack = addCassandraEstate(Testing.app(), {});
    const json = JSON.parse(Testing.synth(stack, true)) as Json;
    const [[nsId, ns]] = Object.entries(json.resource.vault_namespace);
    expect(ns).toEqual({ path: "cassandra-cert-manager" });
    const inIt = `\${vault_namespace.${nsId}.path_fq}`;
    expect(
      Object.values(json.resource.vault_mount)
        .map((m) => [m.path, m.namespace])
        .sort(),
    ).toEqual([
      ["pki", inIt],
      ["pki-root", inIt],
      ["secret", inIt],
      ["transit", inIt],
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

  it("Cassandra connection settings from the environment: port, protocol version, TLS with a CA, verify_connection off", () => {
    const dir = mkdtempSync(join(tmpdir(), "vaultsmith-example-"));
    const ca = join(dir, "ca.pem");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const stack = addCassandraEstate(Testing.app(), {
      CASSANDRA_HOSTS: "c1",
      CASSANDRA_PORT: "9142",
      CASSANDRA_PROTOCOL_VERSION: "5",
      CASSANDRA_TLS: "true",
      CASSANDRA_CA_CERT_FILE: ca,
      CASSANDRA_VERIFY_CONNECTION: "false",
      VAULTSMITH_CREATE_NAMESPACE: "false",
    });
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(json.resource.vault_namespace).toBeUndefined();
    expect(Object.values(json.resource.vault_database_secret_backend_connection)[0]).toMatchObject({
      verify_connection: false,
      cassandra: expect.objectContaining({
        hosts: ["c1"],
        port: 9142,
        protocol_version: 5,
        tls: true,
        pem_bundle: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
      }),
    });
    expect(() => addCassandraEstate(Testing.app(), { CASSANDRA_TLS: "yes" })).toThrow("CASSANDRA_TLS must be true or false");
  });

  it("parses edition@version", () => {
    expect(parseTarget("vault-enterprise@1.21.4")).toEqual({ edition: "vault-enterprise", version: "1.21.4" });
    expect(() => parseTarget("vault")).toThrow(/VAULTSMITH_TARGET must be/);
  });
});
