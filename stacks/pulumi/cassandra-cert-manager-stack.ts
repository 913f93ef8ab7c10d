/**
 * The Cassandra certificate manager's estate as a Pulumi component
 * (`vaultsmith:stacks:CassandraCertManagerStack`): the same estate, options and seed-YAML
 * loading as the CDKTF stack, built from the Pulumi components.
 */
import * as pulumi from "@pulumi/pulumi";
import { AclPolicy } from "../../constructs/pulumi/acl-policy";
import { AppRoleAuth } from "../../constructs/pulumi/approle-auth";
import { DatabaseSecrets } from "../../constructs/pulumi/database-secrets";
import { IntermediateCa } from "../../constructs/pulumi/intermediate-ca";
import { KvV2Store } from "../../constructs/pulumi/kv-v2-store";
import { PkiRole } from "../../constructs/pulumi/pki-role";
import { IRootCa } from "../../constructs/pulumi/root-ca";
import { TransitEngine } from "../../constructs/pulumi/transit-engine";
import { VaultStack, VaultStackProps } from "../../constructs/pulumi/vault-stack";
import { parseEstate } from "../../model/rules";
import { Estate } from "../../model/schema";
import { loadSeedConfig } from "../../model/seed-config";
import {
  CassandraEstateOptions,
  CassandraSeedOptions,
  cassandraEstate,
  cassandraOptionsFromSeed,
  cassandraParts,
} from "../cassandra-estate";
import { buildEstate } from "./estate-components";

/** Props of {@link CassandraCertManagerStack}. */
export interface CassandraCertManagerStackProps extends Omit<VaultStackProps, "target"> {
  /** The validated estate (from `parseEstate(cassandraEstate(...))` or a YAML loader). */
  readonly estate: Estate;
}

/** A VaultStack component holding the Cassandra certificate manager's estate; its parts are exposed for grants. */
export class CassandraCertManagerStack extends VaultStack {
  /** Type token of the component. */
  public static override readonly TYPE: string = "vaultsmith:stacks:CassandraCertManagerStack";

  /** Build the stack from estate options. */
  public static fromOptions(
    name: string,
    options: CassandraEstateOptions,
    props: Omit<CassandraCertManagerStackProps, "estate"> = {},
    opts?: pulumi.ComponentResourceOptions,
  ): CassandraCertManagerStack {
    return new CassandraCertManagerStack(name, { ...props, estate: parseEstate(cassandraEstate(options)) }, opts);
  }

  /**
   * Build the stack from seed-style YAML. `${ENV}` references (runtime credentials) are only
   * reported, since deployment does not need them.
   * @throws ModelValidationError with file, line and field for bad input.
   */
  public static fromSeedYaml(
    name: string,
    yamlText: string,
    options: CassandraSeedOptions,
    opts?: pulumi.ComponentResourceOptions,
  ): CassandraCertManagerStack {
    const { load, ...rest } = options;
    const { config } = loadSeedConfig(yamlText, load);
    return CassandraCertManagerStack.fromOptions(name, cassandraOptionsFromSeed(config, rest), {}, opts);
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

  constructor(name: string, props: CassandraCertManagerStackProps, opts?: pulumi.ComponentResourceOptions) {
    super(name, { ...props, target: props.estate.target }, opts);
    const estate = props.estate;
    const parts = cassandraParts(estate, buildEstate(this, estate));
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
    this.registerOutputs({
      pkiMount: this.issuingCa.mountPath,
      kvMount: this.kv.mountPath,
      transitMount: this.transit.mountPath,
      appRolePath: this.appRole.path,
      managerPolicy: this.managerPolicy.policyName,
    });
  }
}
