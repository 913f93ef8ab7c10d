/** JWT / OIDC auth: workloads (JWT) or people (OIDC) log in with tokens from an identity provider. */
import * as pulumi from "@pulumi/pulumi";
import { AuthMountAttributes, importAuthMount } from "../../model/kinds/auth/auth-mount";
import type { IJwtOidcAuth } from "../../model/kinds/auth/jwt-oidc";
import { JwtOidcAuthProps, jwtInput, jwtIssues, jwtFragment, jwtAuthSchema } from "../../model/kinds/auth/jwt-oidc";
import { validateAuth } from "./auth-method-validation";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { IJwtOidcAuth, JwtOidcAuthProps, JwtOidcRoleOptions } from "../../model/kinds/auth/jwt-oidc";

/** Component `vaultsmith:auth:JwtOidcAuth`: `vault_jwt_auth_backend` (mounts itself) and one `vault_jwt_auth_backend_role` per role. */
export class JwtOidcAuth extends VaultComponent implements IJwtOidcAuth {
  /** Use an existing JwtOidc auth mount (registers nothing): its path, and its accessor when identity aliases need it. */
  public static fromPath(name: string, attrs: AuthMountAttributes): IJwtOidcAuth {
    return importAuthMount(`JwtOidcAuth.fromPath(${name})`, "jwt", attrs);
  }

  /** The method type. */
  public readonly methodType = "jwt";
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(name: string, props: JwtOidcAuthProps = {}, opts?: pulumi.ComponentResourceOptions) {
    const spec = validateAuth("JwtOidcAuth", name, opts, jwtAuthSchema, jwtInput(props), jwtIssues);
    super("vaultsmith:auth:JwtOidcAuth", name, opts);
    renderDescriptors(this, jwtFragment(spec, this.fragmentOptions(opts)).resources);
    this.path = spec.path;
    this.registerOutputs({ path: this.path });
  }
}
