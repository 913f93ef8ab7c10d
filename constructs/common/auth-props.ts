/** Props of the auth-method constructs of both engines and their mapping onto the model. */
import { RawIssue, checkJwt, checkTokenFields } from "../../model/rules";
import { defined } from "./validation";

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

/** One Kubernetes role. */
export interface KubernetesRoleOptions extends AuthRoleTokenOptions {
  /** Role name. */
  readonly name: string;
  /** Service accounts allowed to log in. */
  readonly serviceAccountNames: readonly string[];
  /** Namespaces those service accounts live in. */
  readonly serviceAccountNamespaces: readonly string[];
  /** Required token audience. @default none */
  readonly audience?: string;
}

/** Props of `KubernetesAuth`. */
export interface KubernetesAuthProps extends AuthMountProps {
  /** URL of the Kubernetes API server (TokenReview). */
  readonly kubernetesHost: string;
  /**
   * PEM CA of the API server. Needed whenever Vault does not run in a pod of this cluster (only
   * there does Vault read the CA from the pod's service-account files). @default the pod-local CA
   */
  readonly kubernetesCaCert?: string;
  /** Vault runs in a pod of this cluster; `false` sets `disable_local_ca_jwt` and needs `kubernetesCaCert`. @default provider default */
  readonly vaultInCluster?: boolean;
  /** Expected service-account token issuer. @default not checked */
  readonly issuer?: string;
  /** Skip issuer validation. @default provider default */
  readonly disableIssValidation?: boolean;
  /** Roles. @default none */
  readonly roles?: readonly KubernetesRoleOptions[];
}

/** A directory group and the policies its members get. */
export interface LdapGroupOptions {
  /** Group name as the directory reports it. */
  readonly name: string;
  /** Policies for members. */
  readonly policies: readonly (PolicyRef | string)[];
}

/** Props of `LdapAuth`. */
export interface LdapAuthProps extends AuthMountProps {
  /** Directory URL (`ldaps://` recommended). */
  readonly url: string;
  /** Base DN of users. @default none */
  readonly userdn?: string;
  /** User attribute (e.g. `uid`, `sAMAccountName`). @default provider default */
  readonly userattr?: string;
  /** Base DN of groups. @default none */
  readonly groupdn?: string;
  /** Group filter template. @default provider default */
  readonly groupfilter?: string;
  /** Group name attribute. @default provider default */
  readonly groupattr?: string;
  /** UPN domain for Active Directory. @default none */
  readonly upndomain?: string;
  /** DN to bind with for searches. @default anonymous */
  readonly binddn?: string;
  /** Name of the sensitive deploy-time input holding the bind password (sent write-only: `bindpass_wo`). @default none */
  readonly bindpassVariable?: string;
  /** Bump to send a new bind password (the write-only argument is only sent when this changes). @default 1 */
  readonly bindpassVersion?: number;
  /** Use StartTLS. @default provider default */
  readonly starttls?: boolean;
  /** Skip TLS verification (never in production). @default false */
  readonly insecureTls?: boolean;
  /** PEM CA of the directory. @default system trust */
  readonly certificate?: string;
  /** Group → policy mappings. @default none */
  readonly groups?: readonly LdapGroupOptions[];
}

/** One JWT/OIDC role. */
export interface JwtOidcRoleOptions extends AuthRoleTokenOptions {
  /** Role name. */
  readonly name: string;
  /** `jwt` or `oidc`. @default the mount's type */
  readonly roleType?: "jwt" | "oidc";
  /** Claim used as the identity alias name (e.g. `sub`). */
  readonly userClaim: string;
  /** Accepted `aud` values. @default none */
  readonly boundAudiences?: readonly string[];
  /** Required `sub`. @default none */
  readonly boundSubject?: string;
  /** Required claim values. @default none */
  readonly boundClaims?: Readonly<Record<string, string>>;
  /** Claim holding group names. @default none */
  readonly groupsClaim?: string;
  /** OIDC redirect URIs (required for OIDC roles). @default none */
  readonly allowedRedirectUris?: readonly string[];
  /** OIDC scopes to request. @default none */
  readonly oidcScopes?: readonly string[];
}

/** Props of `JwtOidcAuth`. */
export interface JwtOidcAuthProps extends AuthMountProps {
  /** `jwt` or `oidc`. @default "jwt" */
  readonly type?: "jwt" | "oidc";
  /** OIDC discovery URL (one of discovery URL, JWKS URL, public keys). @default none */
  readonly oidcDiscoveryUrl?: string;
  /** OIDC client id. @default none */
  readonly oidcClientId?: string;
  /** Name of the sensitive deploy-time input holding the OIDC client secret (sent write-only: `oidc_client_secret_wo`). @default none */
  readonly oidcClientSecretVariable?: string;
  /** Bump to send a new client secret (the write-only argument is only sent when this changes). @default 1 */
  readonly oidcClientSecretVersion?: number;
  /** JWKS URL. @default none */
  readonly jwksUrl?: string;
  /** PEM public keys that verify JWTs. @default none */
  readonly jwtValidationPubkeys?: readonly string[];
  /** Required `iss`. @default none */
  readonly boundIssuer?: string;
  /** Role used when none is named at login. @default none */
  readonly defaultRole?: string;
  /** Roles. @default none */
  readonly roles?: readonly JwtOidcRoleOptions[];
}

/** One cert role (a trusted CA plus constraints). */
export interface CertRoleOptions extends AuthRoleTokenOptions {
  /** Role name. */
  readonly name: string;
  /** PEM CA certificate clients must chain to (e.g. an intermediate CA's). */
  readonly certificate: string;
  /** Allowed common names (globs allowed). @default any */
  readonly allowedCommonNames?: readonly string[];
  /** Allowed DNS SANs. @default any */
  readonly allowedDnsSans?: readonly string[];
  /** Allowed OUs. @default any */
  readonly allowedOrganizationalUnits?: readonly string[];
}

/** Props of `CertAuth`. */
export interface CertAuthProps extends AuthMountProps {
  /** Roles. @default none */
  readonly roles?: readonly CertRoleOptions[];
}

/** Model input of one role: policies as names, undefined dropped. */
export function roleInput<R extends AuthRoleTokenOptions>(role: R): Record<string, unknown> {
  return defined({ ...(role as Record<string, unknown>), policies: policyNames(role.policies) });
}

/** Model input of an auth method whose props have `roles` (AppRole, Kubernetes, cert). */
export function authWithRolesInput(props: AuthMountProps & { readonly roles?: readonly AuthRoleTokenOptions[] }): Record<string, unknown> {
  return { ...props, roles: (props.roles ?? []).map(roleInput) };
}

/** Model input of LDAP auth (bind password as a secret input, group policies as names). */
export function ldapInput(props: LdapAuthProps): Record<string, unknown> {
  const { bindpassVariable, bindpassVersion, groups, ...rest } = props;
  return {
    ...rest,
    bindpass: bindpassVariable === undefined ? undefined : defined({ variable: bindpassVariable, version: bindpassVersion }),
    groups: (groups ?? []).map((g) => ({ name: g.name, policies: policyNames(g.policies) })),
  };
}

/** Model input of JWT/OIDC auth (path defaults to the type, client secret as a secret input). */
export function jwtInput(props: JwtOidcAuthProps): Record<string, unknown> {
  const { oidcClientSecretVariable, oidcClientSecretVersion, ...rest } = props;
  return {
    ...rest,
    path: props.path ?? props.type ?? "jwt",
    oidcClientSecret:
      oidcClientSecretVariable === undefined
        ? undefined
        : defined({ variable: oidcClientSecretVariable, version: oidcClientSecretVersion }),
    roles: (props.roles ?? []).map(roleInput),
  };
}

/** JWT rules a construct checks (token TTLs are checked for every auth method by {@link roleTokenIssues}). */
export function jwtIssues(spec: Parameters<typeof checkJwt>[0]): RawIssue[] {
  return checkJwt(spec).filter((issue) => !issue.path.includes("tokenTtl"));
}

/** Token-field violations of every role of an auth spec (paths `roles[i].…`). */
export function roleTokenIssues(roles: readonly Parameters<typeof checkTokenFields>[0][] | undefined): RawIssue[] {
  const issues: RawIssue[] = [];
  (roles ?? []).forEach((r, i) => issues.push(...checkTokenFields(r).map((x) => ({ path: ["roles", i, ...x.path], message: x.message }))));
  return issues;
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
