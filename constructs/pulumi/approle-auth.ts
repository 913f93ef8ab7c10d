/** AppRole auth: machine login with a role id and secret id, roles bound to policies. */
import { PathRule } from "../../policies/policy-document";
import * as pulumi from "@pulumi/pulumi";
import {
  AppRoleAuthAttributes,
  AppRoleAuthProps,
  AppRoleGrants,
  IAppRoleAuth,
  appRoleFragment,
  appRoleAuthSchema,
  importAppRoleAuth,
} from "../../model/kinds/auth/approle";
import { authWithRolesInput } from "../../model/kinds/auth/auth-mount";
import { IPolicyGrantee } from "./base";
import { validateAuth } from "./auth-method-validation";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { AppRoleAuthAttributes, AppRoleAuthProps, AppRoleRoleOptions, IAppRoleAuth } from "../../model/kinds/auth/approle";

/** Component `vaultsmith:auth:AppRoleAuth`: `vault_auth_backend` (approle) and one `vault_approle_auth_backend_role` per role. */
export class AppRoleAuth extends VaultComponent implements IAppRoleAuth {
  /** Use an existing AppRole mount (registers nothing); grants may name only the roles in `roleNames`. */
  public static fromPath(name: string, attrs: AppRoleAuthAttributes): IAppRoleAuth {
    return importAppRoleAuth(`AppRoleAuth.fromPath(${name})`, attrs);
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

  constructor(name: string, props: AppRoleAuthProps = {}, opts?: pulumi.ComponentResourceOptions) {
    const spec = validateAuth("AppRoleAuth", name, opts, appRoleAuthSchema, authWithRolesInput(props));
    super("vaultsmith:auth:AppRoleAuth", name, opts);
    renderDescriptors(this, appRoleFragment(spec, this.fragmentOptions(opts)).resources);
    this.path = spec.path;
    this.roles = new Set(spec.roles.map((r) => r.name));
    this.registerOutputs({ path: this.path });
  }

  /** Grant `read` on `auth/<path>/role/<role>/role-id` (deliver the role id). */
  public grantReadRoleId(policy: IPolicyGrantee, roleName: string): PathRule[] {
    return new AppRoleGrants(this.path, this.roles, this.componentName).grantReadRoleId(policy, roleName);
  }

  /** Grant `update` on `auth/<path>/role/<role>/secret-id` (mint secret ids, e.g. for a deploy pipeline). */
  public grantCreateSecretId(policy: IPolicyGrantee, roleName: string): PathRule[] {
    return new AppRoleGrants(this.path, this.roles, this.componentName).grantCreateSecretId(policy, roleName);
  }
}
