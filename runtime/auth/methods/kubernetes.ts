/**
 * Kubernetes login: `POST auth/<mount>/login` with `role` and the pod's service-account JWT.
 * The JWT is read on every login (from a provider, by default the projected token file) so a
 * rotated token is picked up.
 */
import { readFile } from "node:fs/promises";
import { AuthMethod, normaliseMountPath, postLogin } from "../auth-method";
import { AuthResult } from "../auth-result";
import { Requester } from "../../transport/requester";

/** Where Kubernetes mounts a pod's service-account token. */
export const DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/** Options of {@link KubernetesAuth}. */
export interface KubernetesAuthOptions {
  /** Vault role bound to the service account. */
  readonly role: string;
  /** The service-account JWT, or a function returning it. @default read from {@link DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH} */
  readonly jwt?: string | (() => string | Promise<string>);
  /** Mount path below `auth/`. @default "kubernetes" */
  readonly mountPath?: string;
}

/** Log in with a Kubernetes service-account token. */
export class KubernetesAuth implements AuthMethod {
  /** Always `kubernetes`. */
  public readonly name = "kubernetes";
  /** Mount path below `auth/`. */
  public readonly mountPath: string;
  readonly #role: string;
  readonly #jwt: () => string | Promise<string>;

  /** A Kubernetes login for `options.role`; the JWT is obtained again at every login. */
  constructor(options: KubernetesAuthOptions) {
    this.mountPath = normaliseMountPath(options.mountPath, "kubernetes");
    this.#role = options.role;
    const jwt = options.jwt;
    this.#jwt =
      typeof jwt === "function"
        ? jwt
        : jwt !== undefined
          ? () => jwt
          : async () => (await readFile(DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH, "utf8")).trim();
  }

  /** Log in; rejects with an `AuthLoginError` naming the mount and Vault's reason. */
  async login(requester: Requester): Promise<AuthResult> {
    const jwt = await this.#jwt();
    return postLogin(requester, this, "login", { role: this.#role, jwt });
  }
}
