/**
 * A database secrets mount with connections and roles. Root credentials never appear in the
 * configuration: SQL and MongoDB connections use a `{{username}}:{{password}}` URL template with
 * the password in the write-only `password_wo`; Cassandra (no write-only argument in any provider
 * 5.x, 5.11.0 included) takes it from a sensitive variable, which Terraform does keep in state —
 * rotate the root credential after the first apply (`<mount>/rotate-root/<connection>`).
 */
import { PathRule } from "../../policies/policy-document";
import { DatabaseSecretBackendConnection } from "@cdktf/provider-vault/lib/database-secret-backend-connection";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { Construct } from "constructs";
import {
  databaseFragment,
  checkDatabase,
  databaseSchema,
  DatabaseSecretsProps,
  DatabaseGrants,
  DatabaseSecretsAttributes,
  IDatabaseSecrets,
  databaseInput,
  importDatabaseSecrets,
} from "../../model/kinds/database";
import { IPolicyGrantee, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";

export type {
  DatabaseConnectionOptions,
  DatabasePlugin,
  DatabaseRoleOptions,
  DatabaseSecretsAttributes,
  DatabaseSecretsProps,
  IDatabaseSecrets,
} from "../../model/kinds/database";

/** An existing database engine: the role names it was told about, the same grant as a created one. */
class ImportedDatabaseSecrets extends Construct implements IDatabaseSecrets {
  private readonly grants: DatabaseGrants;
  constructor(scope: Construct, id: string, attrs: DatabaseSecretsAttributes) {
    super(scope, id);
    this.grants = importDatabaseSecrets(`DatabaseSecrets.fromMountPath(${this.node.path})`, attrs);
  }
  /** @inheritdoc */
  public get mountPath(): string {
    return this.grants.mountPath;
  }
  /** @inheritdoc */
  public get roleNames(): ReadonlySet<string> {
    return this.grants.roleNames;
  }
  /** @inheritdoc */
  public grantCredentials(policy: IPolicyGrantee, roleName: string): PathRule[] {
    return this.grants.grantCredentials(policy, roleName);
  }
}

/** `vault_mount` (type database), connections, roles. */
export class DatabaseSecrets extends Construct implements IDatabaseSecrets {
  /** Use an existing database engine (creates nothing); grants may name only the roles in `roleNames`. */
  public static fromMountPath(scope: Construct, id: string, attrs: DatabaseSecretsAttributes): IDatabaseSecrets {
    return new ImportedDatabaseSecrets(scope, id, attrs);
  }

  /** Mount path. */
  public readonly mountPath: string;
  /** The mount (escape hatch). */
  public readonly mount: Mount;
  private readonly connections = new Map<string, DatabaseSecretBackendConnection>();
  /** Names of the roles this engine creates. */
  public readonly roleNames: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: DatabaseSecretsProps = {}) {
    super(scope, id);
    const spec = validateProps(this, databaseSchema, databaseInput(props));
    throwIssues(this, checkDatabase(spec));
    const fragment = databaseFragment(spec, { owner: ownerOf(this), namespace: namespaceOf(this) });
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.ids.mount) as Mount;
    for (const [name, id] of fragment.ids.connections) this.connections.set(name, rendered.get(id) as DatabaseSecretBackendConnection);
    this.roleNames = new Set(spec.roles.map((r) => r.name));
    this.mountPath = spec.mount;
  }

  /** The provider resource of connection `name` (escape hatch). */
  public connection(name: string): DatabaseSecretBackendConnection {
    const c = this.connections.get(name);
    if (!c) throw new Error(`DatabaseSecrets ${this.node.path}: no connection "${name}"`);
    return c;
  }

  /** Grant `read` on `<mount>/creds/<role>` (dynamic credentials); refuses a role this engine does not have. */
  public grantCredentials(policy: IPolicyGrantee, roleName: string): PathRule[] {
    return new DatabaseGrants(this.mountPath, this.roleNames, this.node.path).grantCredentials(policy, roleName);
  }
}
