/**
 * The Cassandra certificate manager's estate, from the seed-style YAML next to this file.
 * Target and Cassandra hosts come from the environment so the same app synthesizes for the
 * local OpenBao dev server, Vault CE or Vault Enterprise:
 *
 *   VAULTSMITH_TARGET=openbao@2.6.1   (edition@version; vault-ce drops the seed's namespace)
 *   CASSANDRA_HOSTS=cassandra-1,cassandra-2   (unset: no database engine)
 *   CASSANDRA_NODE_NAMES=cassandra-node-1,cassandra-node-2   (short names server certificates may carry;
 *                                             unset: the seed's three nodes cassandra-node-1..3)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Construct } from "constructs";
import { EDITIONS, Edition, TargetServer } from "../../constructs/model/target";
import { CassandraCertManagerStack } from "../../stacks/cassandra-cert-manager-stack";

/** Parse `edition@version` (e.g. `openbao@2.6.1`). */
export function parseTarget(text: string): TargetServer {
  const [edition, version] = text.split("@");
  if (!EDITIONS.includes(edition as Edition) || !version) {
    throw new Error(`VAULTSMITH_TARGET must be <edition>@<version> with edition one of ${EDITIONS.join(", ")} (got "${text}")`);
  }
  return { edition: edition as Edition, version };
}

/** Add the Cassandra estate stack to `app`. */
export function addCassandraEstate(
  app: Construct,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CassandraCertManagerStack {
  const target = parseTarget(env.VAULTSMITH_TARGET ?? "openbao@2.6.1");
  const yaml = readFileSync(join(__dirname, "vault_integration.yaml"), "utf8");
  return CassandraCertManagerStack.fromSeedYaml(app, "cassandra-cert-manager", yaml, {
    target,
    useSeedNamespace: target.edition !== "vault-ce",
    cassandraHosts: env.CASSANDRA_HOSTS ? env.CASSANDRA_HOSTS.split(",") : [],
    nodeHostnames: env.CASSANDRA_NODE_NAMES
      ? env.CASSANDRA_NODE_NAMES.split(",")
      : ["cassandra-node-1", "cassandra-node-2", "cassandra-node-3"],
    transitKeyDeletionAllowed: true,
    load: { file: "examples/cdktf/vault_integration.yaml", env },
  });
}
