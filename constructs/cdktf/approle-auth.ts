/** AppRole auth: machine login with a role id and secret id, roles bound to policies. */
import { PathRule } from "../../policies/policy-document";
import { Construct } from "constructs";
import { appRoleFragment, appRoleAuthSchema, AppRoleAuthProps, AppRoleGrants } from "../../model/kinds/auth/approle";
import { IPolicyGrantee } from "./base";
import { buildAuth } from "./auth-method-build";
import { authWithRolesInput } from "../../model/kinds/auth/auth-mount";

export type { AppRoleAuthProps, AppRoleRoleOptions } from "../../model/kinds/auth/approle";

/** `vault_auth_backend` (approle) and one `vault_approle_auth_backend_role` per role (`bind_secret_id = true`). */
export class AppRoleAuth extends Construct {
  /** Mount path under `auth/`. */
  public readonly path: string;
  private readonly roles: ReadonlySet<string>;

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
