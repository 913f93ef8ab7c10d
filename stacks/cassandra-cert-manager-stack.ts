/**
 * The estate of the seed story's Cassandra certificate manager: root + intermediate CA, server-
 * and client-certificate roles (720h), KV v2 at `secret`, transit key `cassandra-encryption`, a
 * Cassandra database engine, AppRole auth and a least-privilege policy for the manager.
 * Configured from options, from the seed's `vault_integration` YAML, or from a whole estate.
 */
import { Construct } from "constructs";
import { AclPolicy } from "../constructs/cdktf/acl-policy";
import { AppRoleAuth } from "../constructs/cdktf/approle-auth";
import { DatabaseSecrets } from "../constructs/cdktf/database-secrets";
import { IntermediateCa } from "../constructs/cdktf/intermediate-ca";
import { KvV2Store } from "../constructs/cdktf/kv-v2-store";
import { PkiRole } from "../constructs/cdktf/pki-role";
import { IRootCa } from "../constructs/cdktf/root-ca";
import { TransitEngine } from "../constructs/cdktf/transit-engine";
import { VaultStack, VaultStackProps } from "../constructs/cdktf/vault-stack";
import { parseEstate } from "../model/rules";
import { Estate } from "../model/schema";
import { loadSeedConfig } from "../model/seed-config";
import {
  CassandraEstateOptions,
  CassandraSeedOptions,
  cassandraEstate,
  cassandraOptionsFromSeed,
  cassandraParts,
} from "./cassandra-estate";
import { buildEstate } from "./estate-constructs";

export type { CassandraEstateOptions, CassandraSeedOptions } from "./cassandra-estate";
export { cassandraEstate, cassandraManagerRules, cassandraOptionsFromSeed } from "./cassandra-estate";

/** Props of {@link CassandraCertManagerStack}. */
export interface CassandraCertManagerStackProps extends Omit<VaultStackProps, "target"> {
  /** The validated estate (from `parseEstate(cassandraEstate(...))` or a YAML loader). */
  readonly estate: Estate;
}

/** A VaultStack holding the Cassandra certificate manager's estate; its parts are exposed for grants. */
export class CassandraCertManagerStack extends VaultStack {
  /** Build the stack from estate options. */
  public static fromOptions(
    scope: Construct,
    id: string,
    options: CassandraEstateOptions,
    props: Omit<CassandraCertManagerStackProps, "estate"> = {},
  ): CassandraCertManagerStack {
    return new CassandraCertManagerStack(scope, id, { ...props, estate: parseEstate(cassandraEstate(options)) });
  }

  /**
   * Build the stack from seed-style YAML. `${ENV}` references (runtime credentials) are only
   * reported, since synthesis does not need them.
   * @throws ModelValidationError with file, line and field for bad input.
   */
  public static fromSeedYaml(scope: Construct, id: string, yamlText: string, options: CassandraSeedOptions): CassandraCertManagerStack {
    const { load, ...rest } = options;
    const { config } = loadSeedConfig(yamlText, load);
    return CassandraCertManagerStack.fromOptions(scope, id, cassandraOptionsFromSeed(config, rest));
  }

  /** The estate the stack was built from. */
  public readonly estate: Estate;
  /** The root CA. */
  public readonly rootCa: IRootCa;
  /** The issuing CA. */
  public readonly issuingCa: IntermediateCa;
  /** Server-certificate role. */
  public readonly serverRole: PkiRole;
  /** Client-certificate role. */
  public readonly clientRole: PkiRole;
  /** KV v2 store. */
  public readonly kv: KvV2Store;
  /** Transit engine. */
  public readonly transit: TransitEngine;
  /** Cassandra database engine, unless left out. */
  public readonly database?: DatabaseSecrets;
  /** AppRole auth. */
  public readonly appRole: AppRoleAuth;
  /** The manager's policy. */
  public readonly managerPolicy: AclPolicy;

  constructor(scope: Construct, id: string, props: CassandraCertManagerStackProps) {
    super(scope, id, { ...props, target: props.estate.target });
    const estate = props.estate;
    const built = buildEstate(this, estate);
    const parts = cassandraParts(estate, built);
    this.estate = estate;
    this.rootCa = parts.rootCa;
    this.issuingCa = parts.issuingCa;
    this.serverRole = parts.serverRole;
    this.clientRole = parts.clientRole;
    this.kv = parts.kv;
    this.transit = parts.transit;
    this.database = parts.database;
    this.appRole = parts.appRole;
    this.managerPolicy = parts.managerPolicy;
  }
}
