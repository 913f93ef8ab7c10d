/**
 * The JWT/OIDC auth kind: schema, rules, graph fragment and construct props.
 */
import { secretInputSchema, urlField } from "../../fields";
import {
  AttrRef,
  compact,
  FragmentOptions,
  namespaceField,
  nonEmpty,
  ownerId,
  ResourceDescriptor,
  SecretInput,
  sortedSet,
} from "../../graph";
import {
  AuthMountProps,
  AuthRoleTokenOptions,
  checkTokenFields,
  roleInput,
  tokenAttributes,
  tuneBlock,
  authMountFields,
  authRolesSchema,
  IAuthMount,
} from "./auth-mount";
import { omitUndefined, RawIssue } from "../../validation";
import { z } from "zod";

/** JWT / OIDC auth. */
export const jwtAuthSchema = z.strictObject({
  ...authMountFields("jwt"),
  type: z.enum(["jwt", "oidc"]).default("jwt"),
  oidcDiscoveryUrl: urlField.optional(),
  oidcClientId: z.string().optional(),
  oidcClientSecret: secretInputSchema.optional(),
  jwksUrl: urlField.optional(),
  jwtValidationPubkeys: z.array(z.string()).default([]),
  boundIssuer: z.string().optional(),
  defaultRole: z.string().optional(),
  roles: authRolesSchema({
    roleType: z.enum(["jwt", "oidc"]).optional(),
    userClaim: z.string().min(1),
    boundAudiences: z.array(z.string()).default([]),
    boundSubject: z.string().optional(),
    boundClaims: z.record(z.string(), z.string()).optional(),
    groupsClaim: z.string().optional(),
    allowedRedirectUris: z.array(urlField).default([]),
    oidcScopes: z.array(z.string()).default([]),
  }),
});

/** Canonical JWT/OIDC auth. */
export type JwtAuthSpec = z.output<typeof jwtAuthSchema>;

/** Check JWT/OIDC auth; paths relative to the auth method. */
export function checkJwt(jwt: JwtAuthSpec): RawIssue[] {
  const out: RawIssue[] = [];
  const sources = [jwt.oidcDiscoveryUrl, jwt.jwksUrl, jwt.jwtValidationPubkeys.length ? "keys" : undefined].filter(Boolean);
  if (sources.length !== 1) {
    out.push({ path: [], message: "set exactly one of oidcDiscoveryUrl, jwksUrl, jwtValidationPubkeys" });
  }
  if (jwt.type === "oidc" && (jwt.oidcDiscoveryUrl === undefined || jwt.oidcClientId === undefined)) {
    out.push({ path: ["oidcClientId"], message: "OIDC needs oidcDiscoveryUrl and oidcClientId" });
  }
  jwt.roles.forEach((r, i) => {
    const roleType = r.roleType ?? jwt.type;
    if (roleType === "oidc" && r.allowedRedirectUris.length === 0) {
      out.push({ path: ["roles", i, "allowedRedirectUris"], message: "an OIDC role needs at least one allowed redirect URI" });
    }
    for (const issue of checkTokenFields(r)) out.push({ path: ["roles", i, ...issue.path], message: issue.message });
  });
  return out;
}

/** JWT/OIDC auth (mounts itself) and roles. */
export function jwtFragment(spec: JwtAuthSpec, options: FragmentOptions): { resources: ResourceDescriptor[]; path: AttrRef } {
  const owner = ownerId(options.owner);
  const backend: ResourceDescriptor = {
    type: "vault_jwt_auth_backend",
    id: `${owner}.backend`,
    attributes: compact({
      path: spec.path,
      type: spec.type,
      description: spec.description,
      oidc_discovery_url: spec.oidcDiscoveryUrl,
      oidc_client_id: spec.oidcClientId,
      // Write-only (provider >= 5.7), like the LDAP bind password.
      oidc_client_secret_wo: spec.oidcClientSecret ? new SecretInput(spec.oidcClientSecret.variable) : undefined,
      oidc_client_secret_wo_version: spec.oidcClientSecret?.version,
      jwks_url: spec.jwksUrl,
      jwt_validation_pubkeys: nonEmpty(spec.jwtValidationPubkeys),
      bound_issuer: spec.boundIssuer,
      default_role: spec.defaultRole,
      tune: tuneBlock(spec.tune),
      ...namespaceField(options),
    }),
  };
  const path = new AttrRef(backend.id, "path");
  const roles = spec.roles.map((r): ResourceDescriptor => ({
    type: "vault_jwt_auth_backend_role",
    id: `${owner}.role-${r.name}`,
    attributes: compact({
      backend: path,
      role_name: r.name,
      role_type: r.roleType ?? spec.type,
      user_claim: r.userClaim,
      bound_audiences: nonEmpty(sortedSet(r.boundAudiences)),
      bound_subject: r.boundSubject,
      bound_claims: r.boundClaims,
      groups_claim: r.groupsClaim,
      allowed_redirect_uris: nonEmpty(sortedSet(r.allowedRedirectUris)),
      oidc_scopes: nonEmpty(sortedSet(r.oidcScopes)),
      ...tokenAttributes(r),
      ...namespaceField(options),
    }),
  }));
  return { resources: [backend, ...roles], path };
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

/** Model input of JWT/OIDC auth (path defaults to the type, client secret as a secret input). */
export function jwtInput(props: JwtOidcAuthProps): Record<string, unknown> {
  const { oidcClientSecretVariable, oidcClientSecretVersion, ...rest } = props;
  return {
    ...rest,
    path: props.path ?? props.type ?? "jwt",
    oidcClientSecret:
      oidcClientSecretVariable === undefined
        ? undefined
        : omitUndefined({ variable: oidcClientSecretVariable, version: oidcClientSecretVersion }),
    roles: (props.roles ?? []).map(roleInput),
  };
}

/** JWT rules a construct checks (token TTLs are checked for every auth method by {@link roleTokenIssues}). */
export function jwtIssues(spec: Parameters<typeof checkJwt>[0]): RawIssue[] {
  return checkJwt(spec).filter((issue) => !issue.path.includes("tokenTtl"));
}

/** The props of JWT/OIDC auth: the OIDC client secret becomes its secret variable and version. */
export function jwtProps({ oidcClientSecret, ...jwt }: JwtAuthSpec): JwtOidcAuthProps {
  return { ...jwt, oidcClientSecretVariable: oidcClientSecret?.variable, oidcClientSecretVersion: oidcClientSecret?.version };
}

/** A JwtOidc auth mount, created here or imported: what other stacks reference it by. */
export interface IJwtOidcAuth extends IAuthMount {
  /** The method type. */
  readonly methodType: "jwt";
}
