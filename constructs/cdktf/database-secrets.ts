/**
 * A database secrets mount with connections and roles. Root credentials never appear in the
 * configuration: SQL and MongoDB connections use a `{{username}}:{{password}}` URL template with
 * the password in the write-only `password_wo`; Cassandra (no write-only argument in provider
 * 5.6.0) takes it from a sensitive variable, which Terraform does keep in state — rotate the
 * root credential after the first apply (`<mount>/rotate-root/<connection>`).
 */
import { DatabaseSecretBackendConnection } from "@cdktf/provider-vault/lib/database-secret-backend-connection";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { Construct } from "constructs";
import { databaseFragment } from "../model/graph-secrets";
import { checkDatabase } from "../model/rules";
import { databaseSchema } from "../model/schema";
import { IPolicyGrantee, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { defined } from "./pki-common";

/** Database plugins. */
export type DatabasePlugin = "cassandra" | "postgresql" | "mysql" | "mongodb";

/** One connection. */
export interface DatabaseConnectionOptions {
  /** Connection name. */
  readonly name: string;
  /** Plugin. */
  readonly plugin: DatabasePlugin;
  /** Cassandra: host names. @default none (required for cassandra) */
  readonly hosts?: readonly string[];
  /** Cassandra: port. @default 9042 */
  readonly port?: number;
  /** Cassandra: use TLS. @default plugin default */
  readonly tls?: boolean;
  /** Cassandra: CQL protocol version. @default plugin default */
  readonly protocolVersion?: number;
  /** SQL / MongoDB: URL with `{{username}}` and `{{password}}` templates. @default none (required for them) */
  readonly connectionUrl?: string;
  /** Root user name. */
  readonly username: string;
  /** Name of the sensitive deploy-time variable that holds the root password. */
  readonly passwordVariable: string;
  /** Bump to send a new password through the write-only argument. @default 1 */
  readonly passwordVersion?: number;
  /** Roles allowed to use the connection. @default the roles declared on it */
  readonly allowedRoles?: readonly string[];
  /** Verify the connection on write. @default true */
  readonly verifyConnection?: boolean;
  /** Statements used by rotate-root. @default plugin default */
  readonly rootRotationStatements?: readonly string[];
}

/** One role. */
export interface DatabaseRoleOptions {
  /** Role name (`<mount>/creds/<name>`). */
  readonly name: string;
  /** Connection the role issues credentials from. */
  readonly connection: string;
  /** Statements that create the user. */
  readonly creationStatements: readonly string[];
  /** Statements that drop the user. @default plugin default */
  readonly revocationStatements?: readonly string[];
  /** Statements run on renewal. @default none */
  readonly renewStatements?: readonly string[];
  /** Statements run when creation fails. @default none */
  readonly rollbackStatements?: readonly string[];
  /** Default lease TTL. @default 1h */
  readonly defaultTtl?: string | number;
  /** Max lease TTL. @default 24h */
  readonly maxTtl?: string | number;
}

/** Props of {@link DatabaseSecrets}. */
export interface DatabaseSecretsProps {
  /** Mount path. @default "database" */
  readonly mountPath?: string;
  /** Mount max lease TTL; every role's max TTL must fit. @default the system max */
  readonly maxLeaseTtl?: string | number;
  /** Connections. @default none */
  readonly connections?: readonly DatabaseConnectionOptions[];
  /** Roles. @default none */
  readonly roles?: readonly DatabaseRoleOptions[];
}

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
    const spec = validateProps(
      this,
      databaseSchema,
      defined({
        mount: props.mountPath ?? "database",
        maxLeaseTtl: props.maxLeaseTtl,
        connections: (props.connections ?? []).map(({ passwordVariable, passwordVersion, ...c }) =>
          defined({ ...c, password: defined({ variable: passwordVariable, version: passwordVersion }) }),
        ),
        roles: (props.roles ?? []).map((r) => defined({ ...r })),
      }),
    );
    throwIssues(this, checkDatabase(spec));
    const fragment = databaseFragment(spec, { owner: ownerOf(this), namespace: namespaceOf(this) });
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.resources[0].id) as Mount;
    spec.connections.forEach((c, i) =>
      this.connections.set(c.name, rendered.get(fragment.resources[i + 1].id) as DatabaseSecretBackendConnection),
    );
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
    policy.addRules({ path: `${this.mountPath}/creds/${roleName}`, capabilities: ["read"] });
  }
}
