/**
 * JWT/OIDC login with a signed JWT: `POST auth/<mount>/login` with `role` and `jwt`. The JWT is
 * obtained on every login from a provider, so a short-lived token can be refreshed by the caller.
 */
import { AuthMethod, normaliseMountPath, postLogin } from "../auth-method";
import { AuthResult } from "../auth-result";
import { Requester } from "../../transport/requester";

/** Options of {@link JwtAuth}. */
export interface JwtAuthOptions {
  /** Vault role of the JWT auth method (`role_type=jwt`). @default the mount's `default_role` */
  readonly role?: string;
  /** The signed JWT, or a function returning a fresh one. */
  readonly jwt: string | (() => string | Promise<string>);
  /** Mount path below `auth/`. @default "jwt" */
  readonly mountPath?: string;
}

/** Log in with a JWT signed by a key the auth method trusts (JWKS, OIDC discovery or static keys). */
export class JwtAuth implements AuthMethod {
  /** Always `jwt`. */
  public readonly name = "jwt";
  /** Mount path below `auth/`. */
  public readonly mountPath: string;
  readonly #role: string | undefined;
  readonly #jwt: () => string | Promise<string>;

  /** A JWT login; the JWT is obtained again at every login. */
  constructor(options: JwtAuthOptions) {
    this.mountPath = normaliseMountPath(options.mountPath, "jwt");
    this.#role = options.role;
    const jwt = options.jwt;
    this.#jwt = typeof jwt === "function" ? jwt : () => jwt;
  }

  /** Log in; rejects with an `AuthLoginError` naming the mount and Vault's reason. */
  async login(requester: Requester): Promise<AuthResult> {
    const jwt = await this.#jwt();
    return postLogin(requester, this, "login", this.#role === undefined ? { jwt } : { role: this.#role, jwt });
  }
}
