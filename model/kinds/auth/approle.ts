/**
 * The AppRole auth kind: schema, graph fragment and construct props.
 */
import { durationSeconds } from "../../duration";
import { AttrRef, compact, FragmentOptions, namespaceField, nonEmpty, ownerId, ResourceDescriptor, sortedSet } from "../../graph";
import {
  authMount,
  AuthMountAttributes,
  AuthMountProps,
  IAuthMount,
  importAuthMount,
  AuthRoleTokenOptions,
  tokenAttributes,
  authMountFields,
  authRolesSchema,
} from "./auth-mount";
import { z } from "zod";
import { PathRule } from "../../../policies/policy-document";
import { PolicyGrantee, grantRules } from "../../grants";
import { validateLabelled } from "../../validation";

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

/** An AppRole mount, created here or imported: its roles and the grants that deliver their credentials. */
export interface IAppRoleAuth extends IAuthMount {
  /** The method type. */
  readonly methodType: "approle";
  /** Names of the roles grants may name (created ones, or those an importer was told about). */
  readonly roleNames: ReadonlySet<string>;
  /** Grant `read` on `auth/<path>/role/<role>/role-id`; refuses an unknown role. */
  grantReadRoleId(policy: PolicyGrantee, roleName: string): PathRule[];
  /** Grant `update` on `auth/<path>/role/<role>/secret-id` (mint secret ids); refuses an unknown role. */
  grantCreateSecretId(policy: PolicyGrantee, roleName: string): PathRule[];
}

/** What an importer of an existing AppRole mount is told. */
export interface AppRoleAuthAttributes extends AuthMountAttributes {
  /** Names of its roles that grants may name (nothing is read from Vault at synthesis). */
  readonly roleNames: readonly string[];
}

const roleNamesSchema = z.array(z.string().min(1)).min(1, "name at least one role");

/**
 * Validate the attributes of an imported AppRole mount and return its grants.
 * @throws ModelValidationError naming `label` and the field
 */
export function importAppRoleAuth(label: string, attrs: AppRoleAuthAttributes): AppRoleGrants {
  const { roleNames, ...mount } = attrs;
  const names = validateLabelled(label, z.strictObject({ roleNames: roleNamesSchema }), { roleNames: [...(roleNames ?? [])] }).roleNames;
  const ref = importAuthMount(label, "approle", mount);
  return new AppRoleGrants(ref.path, new Set(names), label, ref.accessor);
}

/** The one implementation of the AppRole grants, for both engines. */
export class AppRoleGrants implements IAppRoleAuth {
  /** The method type. */
  public readonly methodType = "approle";

  constructor(
    public readonly path: string,
    private readonly roles: ReadonlySet<string>,
    private readonly label: string,
    public readonly accessor?: string,
  ) {}

  /** Names of the roles grants may name. */
  public get roleNames(): ReadonlySet<string> {
    return this.roles;
  }

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
