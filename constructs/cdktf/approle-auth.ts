/** AppRole auth: machine login with a role id and secret id, roles bound to policies. */
import { Construct } from "constructs";
import { appRoleFragment } from "../model/graph-auth";
import { appRoleAuthSchema } from "../model/schema";
import { IPolicyGrantee } from "./base";
import { AuthMountProps, AuthRoleTokenOptions, buildAuth, roleInput } from "./auth-common";

/** One AppRole role. */
export interface AppRoleRoleOptions extends AuthRoleTokenOptions {
  /** Role name. */
  readonly name: string;
  /** Secret id TTL. @default never expires */
  readonly secretIdTtl?: string | number;
  /** Uses per secret id (0 = unlimited). @default 0 */
  readonly secretIdNumUses?: number;
  /** CIDRs a secret id may be used from. @default anywhere */
  readonly secretIdBoundCidrs?: readonly string[];
}

/** Props of {@link AppRoleAuth}. */
export interface AppRoleAuthProps extends AuthMountProps {
  /** Roles. @default none */
  readonly roles?: readonly AppRoleRoleOptions[];
}

/** `vault_auth_backend` (approle) and one `vault_approle_auth_backend_role` per role (`bind_secret_id = true`). */
export class AppRoleAuth extends Construct {
  /** Mount path under `auth/`. */
  public readonly path: string;
  private readonly roles: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: AppRoleAuthProps = {}) {
    super(scope, id);
    const { spec } = buildAuth(this, appRoleAuthSchema, { ...props, roles: (props.roles ?? []).map(roleInput) }, appRoleFragment);
    this.path = spec.path;
    this.roles = new Set(spec.roles.map((r) => r.name));
  }

  private rolePath(roleName: string): string {
    if (!this.roles.has(roleName)) throw new Error(`AppRoleAuth ${this.node.path}: no role "${roleName}"`);
    return `auth/${this.path}/role/${roleName}`;
  }

  /** Grant `read` on `auth/<path>/role/<role>/role-id` (deliver the role id). */
  public grantReadRoleId(policy: IPolicyGrantee, roleName: string): void {
    policy.addRules({ path: `${this.rolePath(roleName)}/role-id`, capabilities: ["read"] });
  }

  /** Grant `update` on `auth/<path>/role/<role>/secret-id` (mint secret ids, e.g. for a deploy pipeline). */
  public grantCreateSecretId(policy: IPolicyGrantee, roleName: string): void {
    policy.addRules({ path: `${this.rolePath(roleName)}/secret-id`, capabilities: ["update"] });
  }
}
