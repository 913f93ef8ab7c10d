/** JWT / OIDC auth: workloads (JWT) or people (OIDC) log in with tokens from an identity provider. */
import { Construct } from "constructs";
import { jwtFragment } from "../model/graph-auth";
import { checkJwt } from "../model/rules";
import { jwtAuthSchema } from "../model/schema";
import { AuthMountProps, AuthRoleTokenOptions, buildAuth, roleInput } from "./auth-common";

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

/** Props of {@link JwtOidcAuth}. */
export interface JwtOidcAuthProps extends AuthMountProps {
  /** `jwt` or `oidc`. @default "jwt" */
  readonly type?: "jwt" | "oidc";
  /** OIDC discovery URL (one of discovery URL, JWKS URL, public keys). @default none */
  readonly oidcDiscoveryUrl?: string;
  /** OIDC client id. @default none */
  readonly oidcClientId?: string;
  /** Name of the sensitive variable holding the OIDC client secret (kept in state: no write-only argument in 5.6.0). @default none */
  readonly oidcClientSecretVariable?: string;
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

/** `vault_jwt_auth_backend` (mounts itself) and one `vault_jwt_auth_backend_role` per role. */
export class JwtOidcAuth extends Construct {
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: JwtOidcAuthProps = {}) {
    super(scope, id);
    const { oidcClientSecretVariable, ...rest } = props;
    const { spec } = buildAuth(
      this,
      jwtAuthSchema,
      {
        ...rest,
        path: props.path ?? props.type ?? "jwt",
        oidcClientSecret: oidcClientSecretVariable === undefined ? undefined : { variable: oidcClientSecretVariable },
        roles: (props.roles ?? []).map(roleInput),
      },
      jwtFragment,
      (s) => checkJwt(s).filter((issue) => !issue.path.includes("tokenTtl")),
    );
    this.path = spec.path;
  }
}
