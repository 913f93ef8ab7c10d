/**
 * The Cassandra certificate manager's estate, from the seed-style YAML next to this file.
 * Target and Cassandra hosts come from the environment so the same app synthesizes for the
 * local OpenBao dev server, Vault CE or Vault Enterprise:
 *
 *   VAULTSMITH_TARGET=openbao@2.6.1   (edition@version; vault-ce drops the seed's namespace)
 *   CASSANDRA_HOSTS=cassandra-1,cassandra-2   (unset: no database engine)
 *   CASSANDRA_NODE_NAMES=cassandra-node-1,cassandra-node-2   (short names server certificates may carry;
 *                                             unset: the seed's three nodes cassandra-node-1..3)
 *   CASSANDRA_PORT=9042, CASSANDRA_PROTOCOL_VERSION=4
 *   CASSANDRA_TLS=true, CASSANDRA_CA_CERT_FILE=/etc/cassandra/ca.pem   (TLS to Cassandra, verified against that CA)
 *   CASSANDRA_VERIFY_CONNECTION=false   (apply before Cassandra is reachable)
 *
 * The seed's namespace (`cassandra-cert-manager`) is created by the stack, so the estate deploys
 * to a fresh server; set VAULTSMITH_CREATE_NAMESPACE=false when it is provisioned elsewhere.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Construct } from "constructs";
import { EDITIONS, Edition, TargetServer } from "../../model/target";
import { CassandraCertManagerStack } from "../../stacks/cassandra-cert-manager-stack";

/** Parse `edition@version` (e.g. `openbao@2.6.1`). */
export function parseTarget(text: string): TargetServer {
  const [edition, version] = text.split("@");
  if (!EDITIONS.includes(edition as Edition) || !version) {
    throw new Error(`VAULTSMITH_TARGET must be <edition>@<version> with edition one of ${EDITIONS.join(", ")} (got "${text}")`);
  }
  return { edition: edition as Edition, version };
}

function flag(env: Readonly<Record<string, string | undefined>>, name: string): boolean | undefined {
  const v = env[name];
  if (v === undefined || v === "") return undefined;
  if (v === "true" || v === "false") return v === "true";
  throw new Error(`${name} must be true or false (got "${v}")`);
}

function integer(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === "") return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a whole number (got "${v}")`);
  return Number(v);
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
    createNamespace: flag(env, "VAULTSMITH_CREATE_NAMESPACE"),
    cassandraHosts: env.CASSANDRA_HOSTS ? env.CASSANDRA_HOSTS.split(",") : [],
    nodeHostnames: env.CASSANDRA_NODE_NAMES
      ? env.CASSANDRA_NODE_NAMES.split(",")
      : ["cassandra-node-1", "cassandra-node-2", "cassandra-node-3"],
    cassandraPort: integer(env, "CASSANDRA_PORT"),
    cassandraProtocolVersion: integer(env, "CASSANDRA_PROTOCOL_VERSION"),
    cassandraTls: flag(env, "CASSANDRA_TLS"),
    cassandraCaCert: env.CASSANDRA_CA_CERT_FILE ? readFileSync(env.CASSANDRA_CA_CERT_FILE, "utf8") : undefined,
    verifyConnection: flag(env, "CASSANDRA_VERIFY_CONNECTION"),
    transitKeyDeletionAllowed: true,
    load: { file: "examples/cdktf/vault_integration.yaml", env },
  });
}
