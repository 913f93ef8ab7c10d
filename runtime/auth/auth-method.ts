/**
 * The contract every login method implements, and the shared helper that sends a login request
 * and turns its answer into an {@link AuthResult} or an {@link AuthLoginError}.
 */
import { AuthResult, VaultAuthResponseBody, authResultFrom } from "./auth-result";
import { AuthLoginError, AuthTarget, toAuthLoginError } from "./auth-errors";
import { POLICIES, Requester } from "../transport/requester";
import type { VaultResponse } from "../transport/http-transport";

/** One way of obtaining a Vault token. Implementations hold their credentials in memory only. */
export interface AuthMethod {
  /** Auth method name, e.g. `approle`, `kubernetes`, `ldap`, `jwt`, `cert`, `token`. */
  readonly name: string;
  /** Mount path of the method below `auth/` (the method name unless configured). */
  readonly mountPath: string;
  /** Log in and return the token; failures reject with an {@link AuthLoginError}. */
  login(requester: Requester): Promise<AuthResult>;
}

/** Normalise a configured mount path below `auth/`: no leading or trailing slashes, not empty, no `auth/` prefix, no `.`/`..`. */
export function normaliseMountPath(mountPath: string | undefined, fallback: string): string {
  const path = (mountPath ?? fallback).replace(/^\/+|\/+$/g, "");
  if (path.length === 0) throw new TypeError(`mount path must not be empty`);
  if (path === "auth" || path.startsWith("auth/"))
    throw new TypeError(`mount path is relative to auth/: give "${path.replace(/^auth\/?/, "")}", not "${path}"`);
  if (path.split("/").some((segment) => segment === "." || segment === ".." || segment === "")) {
    throw new TypeError(`mount path must not contain empty, "." or ".." segments: "${path}"`);
  }
  return path;
}

/** The {@link AuthTarget} errors name for `method`. */
export function targetOf(method: Pick<AuthMethod, "name" | "mountPath">): AuthTarget {
  return { authMethod: method.name, mountPath: method.mountPath };
}

/**
 * Send `POST auth/<mount>/<suffix>` with `body` — unauthenticated, so a stale token installed on
 * the requester never interferes with a login — and return the `auth` block as an {@link AuthResult}. */
export async function postLogin(
  requester: Requester,
  method: Pick<AuthMethod, "name" | "mountPath">,
  suffix: string,
  body: unknown,
): Promise<AuthResult> {
  const target = targetOf(method);
  const path = `auth/${target.mountPath}/${suffix}`;
  let answer;
  try {
    answer = await requester.request<VaultAuthResponseBody>({ method: "POST", path, body, unauthenticated: true }, POLICIES.creatingWrite);
  } catch (error) {
    throw toAuthLoginError(target, "POST", path, error);
  }
  return tokenFromAnswer(target, path, answer, "the answer carried no auth block");
}

/**
 * The token an answer to `POST <path>` minted, as an {@link AuthResult}; an answer without one
 * (a 2xx with no `auth` block or an empty token) is an {@link AuthLoginError} giving `reason`.
 */
export function tokenFromAnswer(
  target: AuthTarget,
  path: string,
  answer: VaultResponse<VaultAuthResponseBody>,
  reason: string,
): AuthResult {
  const auth = answer.body?.auth;
  if (!auth || typeof auth.client_token !== "string" || auth.client_token.length === 0) {
    throw new AuthLoginError(target, "POST", path, { status: answer.status, errors: [], requestId: answer.body?.request_id, reason });
  }
  return authResultFrom(auth);
}
