/** LDAP login: `POST auth/<mount>/login/<username>` with `password`. */
import { AuthMethod, normaliseMountPath, postLogin } from "../auth-method";
import { AuthResult } from "../auth-result";
import { Requester } from "../../transport/requester";

/** Options of {@link LdapAuth}. */
export interface LdapAuthOptions {
  /** LDAP username (the value of the configured `userattr`). */
  readonly username: string;
  /** The user's password, or a function returning it (e.g. read from a file at login time). */
  readonly password: string | (() => string | Promise<string>);
  /** Mount path below `auth/`. @default "ldap" */
  readonly mountPath?: string;
}

/** Log in with an LDAP username and password; group → policy mapping happens in Vault. */
export class LdapAuth implements AuthMethod {
  /** Always `ldap`. */
  public readonly name = "ldap";
  /** Mount path below `auth/`. */
  public readonly mountPath: string;
  /** The username (not secret; it appears in the login path). */
  public readonly username: string;
  readonly #password: () => string | Promise<string>;

  /** An LDAP login for `options.username` (the password is held in memory only). */
  constructor(options: LdapAuthOptions) {
    this.mountPath = normaliseMountPath(options.mountPath, "ldap");
    if (options.username.length === 0 || options.username.includes("/"))
      throw new TypeError("username must be non-empty and contain no '/'");
    this.username = options.username;
    const password = options.password;
    this.#password = typeof password === "function" ? password : () => password;
  }

  /** Log in; rejects with an `AuthLoginError` naming the mount and Vault's reason. */
  async login(requester: Requester): Promise<AuthResult> {
    const password = await this.#password();
    return postLogin(requester, this, `login/${encodeURIComponent(this.username)}`, { password });
  }
}
