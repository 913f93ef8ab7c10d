/**
 * The AppRole auth kind: schema, graph fragment and construct props.
 */
import { durationSeconds } from "../../duration";
import { AttrRef, compact, FragmentOptions, namespaceField, nonEmpty, ownerId, ResourceDescriptor, sortedSet } from "../../graph";
import { authMount, AuthMountProps, AuthRoleTokenOptions, tokenAttributes, authMountFields, authRolesSchema } from "./auth-mount";
import { z } from "zod";
import { PathRule } from "../../../policies/policy-document";
import { PolicyGrantee, grantRules } from "../../grants";

/** AppRole auth. */
export const appRoleAuthSchema = z.strictObject({
  ...authMountFields("approle"),
  roles: authRolesSchema({
    secretIdTtl: durationSeconds.optional(),
    secretIdNumUses: z.number().int().min(0).optional(),
    secretIdBoundCidrs: z.array(z.string()).default([]),
  }),
});

/** Canonical AppRole auth. */
export type AppRoleAuthSpec = z.output<typeof appRoleAuthSchema>;

/** AppRole auth: mount and roles. */
export function appRoleFragment(spec: AppRoleAuthSpec, options: FragmentOptions): { resources: ResourceDescriptor[]; path: AttrRef } {
  const owner = ownerId(options.owner);
  const mount = authMount(owner, "approle", spec.path, spec.description, spec.tune, options);
  const path = new AttrRef(mount.id, "path");
  const roles = spec.roles.map((r): ResourceDescriptor => ({
    type: "vault_approle_auth_backend_role",
    id: `${owner}.role-${r.name}`,
    attributes: compact({
      backend: path,
      role_name: r.name,
      bind_secret_id: true,
      secret_id_ttl: r.secretIdTtl,
      secret_id_num_uses: r.secretIdNumUses,
      secret_id_bound_cidrs: nonEmpty(sortedSet(r.secretIdBoundCidrs)),
      ...tokenAttributes(r),
      ...namespaceField(options),
    }),
  }));
  return { resources: [mount, ...roles], path };
}

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

/** Props of `AppRoleAuth`. */
export interface AppRoleAuthProps extends AuthMountProps {
  /** Roles. @default none */
  readonly roles?: readonly AppRoleRoleOptions[];
}

/** `auth/<path>/role/<role>/<suffix>`, refusing a role the method does not declare. */
export function appRoleRolePath(
  label: string,
  path: string,
  roles: ReadonlySet<string>,
  roleName: string,
  suffix: "role-id" | "secret-id",
): string {
  if (!roles.has(roleName)) throw new Error(`AppRoleAuth ${label}: no role "${roleName}"`);
  return `auth/${path}/role/${roleName}/${suffix}`;
}

/** The one implementation of the AppRole grants, for both engines. */
export class AppRoleGrants {
  constructor(
    private readonly path: string,
    private readonly roles: ReadonlySet<string>,
    private readonly label: string,
  ) {}

  /** Grant `read` on `auth/<path>/role/<role>/role-id`; refuses a role the method does not have. */
  public grantReadRoleId(policy: PolicyGrantee, roleName: string): PathRule[] {
    return grantRules(policy, [{ path: appRoleRolePath(this.label, this.path, this.roles, roleName, "role-id"), capabilities: ["read"] }]);
  }

  /** Grant `update` on `auth/<path>/role/<role>/secret-id` (mint secret ids); refuses an unknown role. */
  public grantCreateSecretId(policy: PolicyGrantee, roleName: string): PathRule[] {
    return grantRules(policy, [
      { path: appRoleRolePath(this.label, this.path, this.roles, roleName, "secret-id"), capabilities: ["update"] },
    ]);
  }
}
