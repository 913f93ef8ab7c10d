/** AppRole auth: machine login with a role id and secret id, roles bound to policies. */
import { PathRule } from "../../policies/policy-document";
import { Construct } from "constructs";
import {
  appRoleFragment,
  appRoleAuthSchema,
  AppRoleAuthAttributes,
  AppRoleAuthProps,
  AppRoleGrants,
  IAppRoleAuth,
  importAppRoleAuth,
} from "../../model/kinds/auth/approle";
import { IPolicyGrantee } from "./base";
import { buildAuth } from "./auth-method-build";
import { authWithRolesInput } from "../../model/kinds/auth/auth-mount";

export type { AppRoleAuthAttributes, AppRoleAuthProps, AppRoleRoleOptions, IAppRoleAuth } from "../../model/kinds/auth/approle";

/** An existing AppRole mount: the role names it was told about, the same grants as a created one. */
class ImportedAppRoleAuth extends Construct implements IAppRoleAuth {
  /** The method type. */
  public readonly methodType = "approle";
  private readonly grants: AppRoleGrants;
  constructor(scope: Construct, id: string, attrs: AppRoleAuthAttributes) {
    super(scope, id);
    this.grants = importAppRoleAuth(`AppRoleAuth.fromPath(${this.node.path})`, attrs);
  }
  /** @inheritdoc */
  public get path(): string {
    return this.grants.path;
  }
  /** @inheritdoc */
  public get accessor(): string | undefined {
    return this.grants.accessor;
  }
  /** @inheritdoc */
  public get roleNames(): ReadonlySet<string> {
    return this.grants.roleNames;
  }
  /** @inheritdoc */
  public grantReadRoleId(policy: IPolicyGrantee, roleName: string): PathRule[] {
    return this.grants.grantReadRoleId(policy, roleName);
  }
  /** @inheritdoc */
  public grantCreateSecretId(policy: IPolicyGrantee, roleName: string): PathRule[] {
    return this.grants.grantCreateSecretId(policy, roleName);
  }
}

/** `vault_auth_backend` (approle) and one `vault_approle_auth_backend_role` per role (`bind_secret_id = true`). */
export class AppRoleAuth extends Construct implements IAppRoleAuth {
  /** Use an existing AppRole mount (creates nothing); grants may name only the roles in `roleNames`. */
  public static fromPath(scope: Construct, id: string, attrs: AppRoleAuthAttributes): IAppRoleAuth {
    return new ImportedAppRoleAuth(scope, id, attrs);
  }

  /** The method type. */
  public readonly methodType = "approle";
  /** Mount path under `auth/`. */
  public readonly path: string;
  private readonly roles: ReadonlySet<string>;

  /** Names of the roles this mount creates. */
  public get roleNames(): ReadonlySet<string> {
    return this.roles;
  }

  constructor(scope: Construct, id: string, props: AppRoleAuthProps = {}) {
    super(scope, id);
    const { spec } = buildAuth(this, appRoleAuthSchema, authWithRolesInput(props), appRoleFragment);
    this.path = spec.path;
    this.roles = new Set(spec.roles.map((r) => r.name));
  }

  /** Grant `read` on `auth/<path>/role/<role>/role-id` (deliver the role id). */
  public grantReadRoleId(policy: IPolicyGrantee, roleName: string): PathRule[] {
    return new AppRoleGrants(this.path, this.roles, this.node.path).grantReadRoleId(policy, roleName);
  }

  /** Grant `update` on `auth/<path>/role/<role>/secret-id` (mint secret ids, e.g. for a deploy pipeline). */
  public grantCreateSecretId(policy: IPolicyGrantee, roleName: string): PathRule[] {
    return new AppRoleGrants(this.path, this.roles, this.node.path).grantCreateSecretId(policy, roleName);
  }
}
