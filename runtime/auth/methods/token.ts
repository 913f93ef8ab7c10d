/**
 * Plain token "login": the token is given (e.g. by an operator or a sidecar); logging in means
 * reading `auth/token/lookup-self` with it to learn its TTL, whether it is renewable and its
 * policies. The TokenManager then installs it like any other login result.
 */
import { AuthMethod, normaliseMountPath, targetOf } from "../auth-method";
import { AuthResult } from "../auth-result";
import { AuthLoginError, toAuthLoginError } from "../auth-errors";
import { POLICIES, Requester } from "../../transport/requester";

/** Body of `GET auth/token/lookup-self`. */
interface LookupSelfBody {
  readonly data?: {
    readonly accessor?: string;
    readonly policies?: readonly string[] | null;
    readonly identity_policies?: readonly string[] | null;
    readonly ttl?: number;
    readonly renewable?: boolean;
    readonly type?: string;
    readonly entity_id?: string;
    readonly meta?: Readonly<Record<string, string>> | null;
  };
  readonly request_id?: string;
}

/** Options of {@link TokenAuth}. */
export interface TokenAuthOptions {
  /** The token, or a function returning it (e.g. read from a file a sidecar keeps fresh). */
  readonly token: string | (() => string | Promise<string>);
  /** Mount path of the token store below `auth/`. @default "token" */
  readonly mountPath?: string;
}

/** Use a token obtained elsewhere; validated with `lookup-self`. */
export class TokenAuth implements AuthMethod {
  /** Always `token`. */
  public readonly name = "token";
  /** Mount path of the token store below `auth/`. */
  public readonly mountPath: string;
  readonly #token: () => string | Promise<string>;

  /** A plain token "login" for `options.token` (held in memory only). */
  constructor(options: TokenAuthOptions) {
    this.mountPath = normaliseMountPath(options.mountPath, "token");
    const token = options.token;
    this.#token = typeof token === "function" ? token : () => token;
  }

  /**
   * Look the token up (sent explicitly with this one request; the requester's own token is left
   * alone); rejects with an `AuthLoginError` (e.g. 403 for an unknown token).
   */
  async login(requester: Requester): Promise<AuthResult> {
    const token = await this.#token();
    const path = `auth/${this.mountPath}/lookup-self`;
    let answer;
    try {
      answer = await requester.request<LookupSelfBody>(
        { method: "GET", path, unauthenticated: true, headers: { "x-vault-token": token } },
        POLICIES.read,
      );
    } catch (error) {
      throw toAuthLoginError(targetOf(this), "GET", path, error);
    }
    const data = answer.body?.data;
    if (!data) {
      throw new AuthLoginError(targetOf(this), "GET", path, {
        status: answer.status,
        errors: [],
        requestId: answer.body?.request_id,
        reason: "the answer carried no token data",
      });
    }
    const tokenPolicies = [...(data.policies ?? [])];
    return {
      clientToken: token,
      accessor: data.accessor || undefined,
      policies: [...tokenPolicies, ...(data.identity_policies ?? [])],
      tokenPolicies,
      leaseDurationSeconds: data.ttl ?? 0,
      renewable: data.renewable ?? false,
      tokenType: data.type || undefined,
      entityId: data.entity_id || undefined,
      metadata: { ...(data.meta ?? {}) },
    };
  }
}
