/** JWT / OIDC auth: workloads (JWT) or people (OIDC) log in with tokens from an identity provider. */
import { Construct } from "constructs";
import { AuthMountAttributes, importAuthMount } from "../../model/kinds/auth/auth-mount";
import { jwtFragment, jwtAuthSchema, JwtOidcAuthProps, jwtInput, jwtIssues } from "../../model/kinds/auth/jwt-oidc";
import type { IJwtOidcAuth } from "../../model/kinds/auth/jwt-oidc";
import { buildAuth } from "./auth-method-build";

export type { IJwtOidcAuth, JwtOidcAuthProps, JwtOidcRoleOptions } from "../../model/kinds/auth/jwt-oidc";

/** An existing JwtOidc auth mount. */
class ImportedJwtOidcAuth extends Construct implements IJwtOidcAuth {
  /** The method type. */
  public readonly methodType = "jwt";
  /** Mount path under `auth/`. */
  public readonly path: string;
  /** The mount accessor, when given. */
  public readonly accessor?: string;
  constructor(scope: Construct, id: string, attrs: AuthMountAttributes) {
    super(scope, id);
    const ref = importAuthMount(`JwtOidcAuth.fromPath(${this.node.path})`, "jwt", attrs);
    this.path = ref.path;
    this.accessor = ref.accessor;
  }
}

/** `vault_jwt_auth_backend` (mounts itself) and one `vault_jwt_auth_backend_role` per role. */
export class JwtOidcAuth extends Construct implements IJwtOidcAuth {
  /** Use an existing JwtOidc auth mount (creates nothing): its path, and its accessor when identity aliases need it. */
  public static fromPath(scope: Construct, id: string, attrs: AuthMountAttributes): IJwtOidcAuth {
    return new ImportedJwtOidcAuth(scope, id, attrs);
  }

  /** The method type. */
  public readonly methodType = "jwt";
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: JwtOidcAuthProps = {}) {
    super(scope, id);
    const { spec } = buildAuth(this, jwtAuthSchema, jwtInput(props), jwtFragment, jwtIssues);
    this.path = spec.path;
  }
}
