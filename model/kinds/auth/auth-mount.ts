/**
 * What every auth method shares: the mount, its tune block, the token fields of its roles, policy references.
 */
import { describeSeconds, durationSeconds } from "../../duration";
import { mountPathField, policyList, resourceName } from "../../fields";
import { AttributeValue, compact, FragmentOptions, namespaceField, nonEmpty, ResourceDescriptor, sortedSet } from "../../graph";
import { omitUndefined, RawIssue, validateLabelled } from "../../validation";
import { z } from "zod";

/** Optional auth-mount tune block (emitted only when given). */
export const tuneSchema = z.strictObject({
  defaultLeaseTtl: durationSeconds.optional(),
  maxLeaseTtl: durationSeconds.optional(),
  listingVisibility: z.enum(["unauth", "hidden"]).optional(),
  tokenType: z.enum(["default-service", "default-batch", "service", "batch"]).optional(),
});

/** Token fields every auth role has. */
export const tokenFields = {
  policies: policyList,
  tokenTtl: durationSeconds.optional(),
  tokenMaxTtl: durationSeconds.optional(),
  tokenPeriod: durationSeconds.optional(),
  tokenBoundCidrs: z.array(z.string()).default([]),
  tokenType: z.enum(["default", "service", "batch"]).optional(),
  tokenNoDefaultPolicy: z.boolean().optional(),
};

/** The fields every auth method's mount has: its path (default `defaultPath`), description and tune block. */
export function authMountFields<P extends string>(defaultPath: P) {
  return {
    path: mountPathField.default(defaultPath),
    description: z.string().optional(),
    tune: tuneSchema.optional(),
  };
}

/** The roles of an auth method: each has a name, the method's own `fields` and the shared token fields. */
export function authRolesSchema<F extends z.ZodRawShape>(fields: F) {
  const shape = { name: resourceName, ...fields, ...tokenFields } as { name: typeof resourceName } & F & typeof tokenFields;
  return z.array(z.strictObject(shape)).default([]);
}

/** Canonical auth tune block. */
export type TuneSpec = z.output<typeof tuneSchema>;

/** Check token TTLs of auth roles; paths relative to the role. */
export function checkTokenFields(role: { tokenTtl?: number; tokenMaxTtl?: number }): RawIssue[] {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent when a `!== undefined` test is true or `||`: it only narrows the type, a comparison with undefined is false anyway.
  if (role.tokenTtl !== undefined && role.tokenMaxTtl !== undefined && role.tokenTtl > role.tokenMaxTtl) {
    return [
      {
        path: ["tokenTtl"],
        message: `token TTL ${describeSeconds(role.tokenTtl)} exceeds token max TTL ${describeSeconds(role.tokenMaxTtl)}`,
      },
    ];
  }
  return [];
}

/** Token fields shared by every auth role. */
export interface TokenFieldsSpec {
  /** Policies attached to issued tokens. */
  readonly policies: readonly string[];
  /** Token TTL in seconds. */
  readonly tokenTtl?: number;
  /** Token max TTL in seconds. */
  readonly tokenMaxTtl?: number;
  /** Periodic token period in seconds. */
  readonly tokenPeriod?: number;
  /** CIDRs tokens may be used from. */
  readonly tokenBoundCidrs: readonly string[];
  /** Token type. */
  readonly tokenType?: string;
  /** Leave out the `default` policy. */
  readonly tokenNoDefaultPolicy?: boolean;
}

/** Canonical `token_*` arguments. */
export function tokenAttributes(spec: TokenFieldsSpec): { [key: string]: AttributeValue | undefined } {
  return {
    token_policies: sortedSet(spec.policies),
    token_ttl: spec.tokenTtl,
    token_max_ttl: spec.tokenMaxTtl,
    token_period: spec.tokenPeriod,
    token_bound_cidrs: nonEmpty(sortedSet(spec.tokenBoundCidrs)),
    token_type: spec.tokenType,
    token_no_default_policy: spec.tokenNoDefaultPolicy,
  };
}

/** A tune block (list of one), or nothing. */
export function tuneBlock(tune: TuneSpec | undefined): AttributeValue | undefined {
  if (!tune) return undefined;
  const secs = (v: number | undefined): string | undefined => (v === undefined ? undefined : `${v}s`);
  return [
    compact({
      default_lease_ttl: secs(tune.defaultLeaseTtl),
      max_lease_ttl: secs(tune.maxLeaseTtl),
      listing_visibility: tune.listingVisibility,
      token_type: tune.tokenType,
    }),
  ];
}

export function authMount(
  owner: string,
  type: string,
  path: string,
  description: string | undefined,
  tune: TuneSpec | undefined,
  options: FragmentOptions,
): ResourceDescriptor {
  return {
    type: "vault_auth_backend",
    id: `${owner}.mount`,
    attributes: compact({ type, path, description, tune: tuneBlock(tune), ...namespaceField(options) }),
  };
}

/** The auth method types vaultsmith declares, as Vault names them. */
export type AuthMethodType = "approle" | "kubernetes" | "ldap" | "jwt" | "cert";

/** An auth method mount, created here or imported: what other stacks reference it by. */
export interface IAuthMount {
  /** Mount path under `auth/`, as a literal. */
  readonly path: string;
  /** The method type (`approle`, `kubernetes`, `ldap`, `jwt` — OIDC included —, `cert`). */
  readonly methodType: AuthMethodType;
  /**
   * The mount accessor (identity aliases and entity policies name it), when known: imported
   * mounts carry what their importer was told; created mounts do not expose it yet.
   */
  readonly accessor?: string;
}

/** What an importer of an existing auth mount is told. */
export interface AuthMountAttributes {
  /** Mount path under `auth/` (without the `auth/` prefix). */
  readonly path: string;
  /** The mount accessor (`auth_approle_1234abcd`), for identity aliases. @default unknown */
  readonly accessor?: string;
}

const authImportSchema = z.strictObject({
  path: mountPathField,
  accessor: z
    .string()
    .regex(/^auth_[a-z0-9_-]+$/, "expected a mount accessor such as auth_approle_1a2b3c4d")
    .optional(),
});

/**
 * Validate the attributes of an imported auth mount of `methodType`.
 * @throws ModelValidationError naming `label` and the field
 */
export function importAuthMount<T extends AuthMethodType>(
  label: string,
  methodType: T,
  attrs: AuthMountAttributes,
): IAuthMount & { readonly methodType: T } {
  const spec = validateLabelled(label, authImportSchema, omitUndefined({ ...attrs }));
  return { path: spec.path, methodType, ...(spec.accessor !== undefined ? { accessor: spec.accessor } : {}) };
}

/** A policy referenced by name: an ACL policy construct of either engine, or an imported one. */
export interface PolicyRef {
  /** The policy name as Vault stores it. */
  readonly policyName: string;
}

/** Policy names from typed policies or plain names. */
export function policyNames(policies: readonly (PolicyRef | string)[] | undefined): string[] {
  return (policies ?? []).map((p) => (typeof p === "string" ? p : p.policyName));
}

/** Token settings of an auth role; `policies` binds the role to ACL policies. */
export interface AuthRoleTokenOptions {
  /** Policies attached to tokens the role issues (typed or by name). @default none */
  readonly policies?: readonly (PolicyRef | string)[];
  /** Token TTL. @default the mount's default */
  readonly tokenTtl?: string | number;
  /** Token max TTL. @default the mount's max */
  readonly tokenMaxTtl?: string | number;
  /** Make tokens periodic with this period. @default not periodic */
  readonly tokenPeriod?: string | number;
  /** CIDRs tokens may be used from. @default anywhere */
  readonly tokenBoundCidrs?: readonly string[];
  /** Token type. @default the mount's default */
  readonly tokenType?: "default" | "service" | "batch";
  /** Leave out the `default` policy. @default false */
  readonly tokenNoDefaultPolicy?: boolean;
}

/** A `tune` block; emitted only when given (the provider diffs tune values that differ from Vault's). */
export interface AuthTuneOptions {
  /** Default lease TTL. @default Vault's */
  readonly defaultLeaseTtl?: string | number;
  /** Max lease TTL. @default Vault's */
  readonly maxLeaseTtl?: string | number;
  /** Show the mount in the unauthenticated UI listing. @default Vault's */
  readonly listingVisibility?: "unauth" | "hidden";
  /** Token type for the mount. @default Vault's */
  readonly tokenType?: "default-service" | "default-batch" | "service" | "batch";
}

/** Props every auth-method construct has. */
export interface AuthMountProps {
  /** Mount path under `auth/`. @default the method's name */
  readonly path?: string;
  /** Mount description. @default none */
  readonly description?: string;
  /** Tune block. @default none (no tune block is emitted) */
  readonly tune?: AuthTuneOptions;
}

/** Model input of one role: policies as names, undefined dropped. */
export function roleInput<R extends AuthRoleTokenOptions>(role: R): Record<string, unknown> {
  return omitUndefined({ ...(role as Record<string, unknown>), policies: policyNames(role.policies) });
}

/** Model input of an auth method whose props have `roles` (AppRole, Kubernetes, cert). */
export function authWithRolesInput(props: AuthMountProps & { readonly roles?: readonly AuthRoleTokenOptions[] }): Record<string, unknown> {
  return { ...props, roles: (props.roles ?? []).map(roleInput) };
}

/** Token-field violations of every role of an auth spec (paths `roles[i].…`). */
export function roleTokenIssues(roles: readonly Parameters<typeof checkTokenFields>[0][] | undefined): RawIssue[] {
  const issues: RawIssue[] = [];
  (roles ?? []).forEach((r, i) => issues.push(...checkTokenFields(r).map((x) => ({ path: ["roles", i, ...x.path], message: x.message }))));
  return issues;
}
