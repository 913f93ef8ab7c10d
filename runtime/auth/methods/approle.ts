/** AppRole login: `POST auth/<mount>/login` with `role_id` and `secret_id`. */
import { AuthMethod, normaliseMountPath, postLogin } from "../auth-method";
import { AuthResult } from "../auth-result";
import { Requester } from "../../transport/requester";

/** Options of {@link AppRoleAuth}. */
export interface AppRoleAuthOptions {
  /** The role's `role_id`. */
  readonly roleId: string;
  /** A `secret_id` of the role; omit when the role has `bind_secret_id=false`. */
  readonly secretId?: string;
  /** Mount path below `auth/`. @default "approle" */
  readonly mountPath?: string;
}

/** Log in with an AppRole `role_id` / `secret_id` pair. */
export class AppRoleAuth implements AuthMethod {
  /** Always `approle`. */
  public readonly name = "approle";
  /** Mount path below `auth/`. */
  public readonly mountPath: string;
  readonly #roleId: string;
  readonly #secretId: string | undefined;

  /** An AppRole login with the given `role_id` / `secret_id` (held in memory only). */
  constructor(options: AppRoleAuthOptions) {
    this.mountPath = normaliseMountPath(options.mountPath, "approle");
    this.#roleId = options.roleId;
    this.#secretId = options.secretId;
  }

  /** Log in; rejects with an `AuthLoginError` naming the mount and Vault's reason. */
  login(requester: Requester): Promise<AuthResult> {
    const body = this.#secretId === undefined ? { role_id: this.#roleId } : { role_id: this.#roleId, secret_id: this.#secretId };
    return postLogin(requester, this, "login", body);
  }
}
