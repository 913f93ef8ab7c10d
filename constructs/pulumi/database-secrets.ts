/**
 * A database secrets mount with connections and roles. Root credentials never appear in the
 * program: they are Pulumi secrets read from the stack config (`pulumi config set --secret
 * <passwordVariable> ...`). SQL and MongoDB connections send them through the write-only
 * `passwordWo`; Pulumi still keeps every input in its state, encrypted as a secret.
 */
import { PathRule } from "../../policies/policy-document";
import * as pulumi from "@pulumi/pulumi";
import {
  DatabaseSecretsProps,
  DatabaseGrants,
  databaseInput,
  databaseFragment,
  checkDatabase,
  databaseSchema,
  DatabaseSecretsAttributes,
  IDatabaseSecrets,
  importDatabaseSecrets,
} from "../../model/kinds/database";
import { throwLabelled, validateLabelled } from "../../model/validation";
import { IPolicyGrantee, labelOf } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type {
  DatabaseConnectionOptions,
  DatabasePlugin,
  DatabaseRoleOptions,
  DatabaseSecretsAttributes,
  DatabaseSecretsProps,
  IDatabaseSecrets,
} from "../../model/kinds/database";

/** Component `vaultsmith:database:DatabaseSecrets`: `vault_mount` (type database), connections, roles. */
export class DatabaseSecrets extends VaultComponent implements IDatabaseSecrets {
  /** Use an existing database engine (registers nothing); grants may name only the roles in `roleNames`. */
  public static fromMountPath(name: string, attrs: DatabaseSecretsAttributes): IDatabaseSecrets {
    return importDatabaseSecrets(`DatabaseSecrets.fromMountPath(${name})`, attrs);
  }

  /** Mount path. */
  public readonly mountPath: string;
  /** The mount (escape hatch). */
  public readonly mount: pulumi.CustomResource;
  private readonly connections: Map<string, pulumi.CustomResource>;
  /** Names of the roles this engine creates. */
  public readonly roleNames: ReadonlySet<string>;

  constructor(name: string, props: DatabaseSecretsProps = {}, opts?: pulumi.ComponentResourceOptions) {
    const label = labelOf("DatabaseSecrets", name, opts?.parent);
    const spec = validateLabelled(label, databaseSchema, databaseInput(props));
    throwLabelled(label, checkDatabase(spec));
    super("vaultsmith:database:DatabaseSecrets", name, opts);
    const fragment = databaseFragment(spec, this.fragmentOptions(opts));
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.ids.mount) as pulumi.CustomResource;
    this.connections = new Map([...fragment.ids.connections].map(([name, id]) => [name, rendered.get(id) as pulumi.CustomResource]));
    this.roleNames = new Set(spec.roles.map((r) => r.name));
    this.mountPath = spec.mount;
    this.registerOutputs({ mountPath: this.mountPath, roles: [...this.roleNames] });
  }

  /** The provider resource of connection `name` (escape hatch). */
  public connection(name: string): pulumi.CustomResource {
    const c = this.connections.get(name);
    if (!c) throw new Error(`DatabaseSecrets ${this.componentName}: no connection "${name}"`);
    return c;
  }

  /** Grant `read` on `<mount>/creds/<role>` (dynamic credentials); refuses a role this engine does not have. */
  public grantCredentials(policy: IPolicyGrantee, roleName: string): PathRule[] {
    return new DatabaseGrants(this.mountPath, this.roleNames, this.componentName).grantCredentials(policy, roleName);
  }
}
