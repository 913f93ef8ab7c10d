/**
 * A database secrets mount with connections and roles. Root credentials never appear in the
 * configuration: SQL and MongoDB connections use a `{{username}}:{{password}}` URL template with
 * the password in the write-only `password_wo`; Cassandra (no write-only argument in any provider
 * 5.x, 5.11.0 included) takes it from a sensitive variable, which Terraform does keep in state —
 * rotate the root credential after the first apply (`<mount>/rotate-root/<connection>`).
 */
import { DatabaseSecretBackendConnection } from "@cdktf/provider-vault/lib/database-secret-backend-connection";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { Construct } from "constructs";
import { databaseFragment } from "../../model/kinds/database";
import { checkDatabase } from "../../model/kinds/database";
import { databaseSchema } from "../../model/kinds/database";
import { IPolicyGrantee, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { DatabaseSecretsProps, databaseCredentialsRule, databaseInput } from "../../model/kinds/database";

export type { DatabaseConnectionOptions, DatabasePlugin, DatabaseRoleOptions, DatabaseSecretsProps } from "../../model/kinds/database";

/** `vault_mount` (type database), connections, roles. */
export class DatabaseSecrets extends Construct {
  /** Mount path. */
  public readonly mountPath: string;
  /** The mount (escape hatch). */
  public readonly mount: Mount;
  private readonly connections = new Map<string, DatabaseSecretBackendConnection>();
  private readonly roleNames: ReadonlySet<string>;

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

  /** Grant `read` on `<mount>/creds/<role>` (dynamic credentials). */
  public grantCredentials(policy: IPolicyGrantee, roleName: string): void {
    if (!this.roleNames.has(roleName)) throw new Error(`DatabaseSecrets ${this.node.path}: no role "${roleName}"`);
    policy.addRules(databaseCredentialsRule(this.mountPath, roleName));
  }
}
