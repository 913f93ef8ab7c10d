/**
 * The Pulumi program behind `pulumi up` at the repository root (see Pulumi.yaml): the Cassandra
 * certificate manager's estate from the seed-style YAML of the cdktf example, plus an
 * application policy granted through the stack's parts. Configuration is Pulumi config:
 *
 *   pulumi config set --path 'target.edition' openbao     (openbao | vault-ce | vault-enterprise)
 *   pulumi config set --path 'target.version' 2.6.1
 *   pulumi config set --path 'cassandraHosts[0]' cassandra-1.example.com   (none: no database engine)
 *   pulumi config set --secret cassandra_admin_password '...'              (needed with hosts)
 *
 * The Vault address and token come from the environment (`VAULT_ADDR`, `VAULT_TOKEN`), which
 * the stack's explicit provider reads; nothing secret is in the program or in plain config.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { AclPolicy } from "../../constructs/pulumi/acl-policy";
import { TargetServer } from "../../model/target";
import { CassandraCertManagerStack } from "../../stacks/pulumi/cassandra-cert-manager-stack";

/** The stack outputs of the program. */
export interface ProgramOutputs {
  /** Mount of the issuing CA (roles issue there). */
  readonly pkiMount: string;
  /** KV v2 mount. */
  readonly kvMount: string;
  /** AppRole mount path. */
  readonly appRolePath: string;
  /** The root certificate (PEM). */
  readonly rootCertificate: pulumi.Output<string> | undefined;
}

/** What the program reads from the stack config (see the module comment). */
export interface ProgramConfig {
  /** The target server. @default OpenBao 2.6.1 */
  readonly target?: TargetServer;
  /** Cassandra hosts. @default none (no database engine) */
  readonly cassandraHosts?: readonly string[];
}

/** Read the program's config from the current project's stack config. */
export function readConfig(config: pulumi.Config = new pulumi.Config()): ProgramConfig {
  return {
    target: config.getObject<TargetServer>("target"),
    cassandraHosts: config.getObject<string[]>("cassandraHosts"),
  };
}

/** Build the estate under a `CassandraCertManagerStack` named `name`. */
export function cassandraProgram(config: ProgramConfig, name = "cassandra-cert-manager"): ProgramOutputs {
  const target = config.target ?? { edition: "openbao", version: "2.6.1" };
  const yaml = readFileSync(join(__dirname, "../cdktf/vault_integration.yaml"), "utf8");
  const stack = CassandraCertManagerStack.fromSeedYaml(name, yaml, {
    target,
    useSeedNamespace: target.edition !== "vault-ce",
    cassandraHosts: config.cassandraHosts ?? [],
    transitKeyDeletionAllowed: true,
    load: { file: "examples/cdktf/vault_integration.yaml", env: {} },
  });
  const app = new AclPolicy(`${name}-app-policy`, { policyName: "cassandra-app" }, { parent: stack });
  stack.clientRole.grantIssue(app);
  stack.kv.grantRead(app, "cassandra/*");
  stack.transit.grantEncryptDecrypt(app, stack.estate.transit[0].keys[0].name);
  const root = stack.rootCa as { certificatePem?: pulumi.Output<string> };
  return {
    pkiMount: stack.issuingCa.mountPath,
    kvMount: stack.kv.mountPath,
    appRolePath: stack.appRole.path,
    rootCertificate: root.certificatePem,
  };
}
