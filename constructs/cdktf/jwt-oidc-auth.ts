/** JWT / OIDC auth: workloads (JWT) or people (OIDC) log in with tokens from an identity provider. */
import { Construct } from "constructs";
import { jwtFragment, jwtAuthSchema, JwtOidcAuthProps, jwtInput, jwtIssues } from "../../model/kinds/auth/jwt-oidc";
import { buildAuth } from "./auth-method-build";

export type { JwtOidcAuthProps, JwtOidcRoleOptions } from "../../model/kinds/auth/jwt-oidc";

/** `vault_jwt_auth_backend` (mounts itself) and one `vault_jwt_auth_backend_role` per role. */
export class JwtOidcAuth extends Construct {
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: JwtOidcAuthProps = {}) {
    super(scope, id);
    const { spec } = buildAuth(this, jwtAuthSchema, jwtInput(props), jwtFragment, jwtIssues);
    this.path = spec.path;
  }
}
