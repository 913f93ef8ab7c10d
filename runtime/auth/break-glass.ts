/**
 * Break-glass: emergency access through a response-wrapped token an operator hands over
 * (e.g. `vault token create -policy=emergency -wrap-ttl=15m`). The wrapping token is single-use;
 * before unwrapping, `sys/wrapping/lookup` checks it was created by a token-creating endpoint
 * (`auth/...`), so a wrapped secret of another kind — or a tampered hand-over — is refused.
 *
 * Use it through `TokenManager.breakGlass()`, which emits an `emergency-access` audit event
 * for every use, granted or refused.
 */
import { AuthLoginError, AuthTarget, toAuthLoginError } from "./auth-errors";
import { AuthResult, VaultAuthResponseBody } from "./auth-result";
import { tokenFromAnswer } from "./auth-method";
import { POLICIES, Requester } from "../transport/requester";

/** What an operator supplies to break the glass. */
export interface BreakGlassRequest {
  /** The response-wrapping token (single-use). Never logged. */
  readonly wrappingToken: string;
  /** Who is using it, for the audit event. */
  readonly operator: string;
  /** Why (ticket or incident id), for the audit event. */
  readonly reason: string;
}

interface WrappingLookupBody {
  readonly data?: { readonly creation_path?: string; readonly creation_ttl?: number };
}

const TARGET: AuthTarget = { authMethod: "break-glass", mountPath: "token" };

/**
 * Check the wrapping token's creation path and unwrap it into the token it wraps. The wrapping
 * token goes with these two requests only; the requester's own token is left alone.
 */
export async function unwrapWrappedToken(requester: Requester, wrappingToken: string): Promise<AuthResult> {
  const lookupPath = "sys/wrapping/lookup";
  let creationPath: string | undefined;
  try {
    const lookup = await requester.request<WrappingLookupBody>(
      { method: "POST", path: lookupPath, body: { token: wrappingToken }, unauthenticated: true },
      POLICIES.creatingWrite,
    );
    creationPath = lookup.body?.data?.creation_path;
  } catch (error) {
    throw toAuthLoginError(TARGET, "POST", lookupPath, error);
  }
  // Only responses of endpoints that mint a token: token creation or a method's login. A wrapped
  // secret-id (auth/approle/role/x/secret-id) is refused before the single-use unwrap burns it.
  if (!creationPath || !/^auth\/(token\/create(-orphan)?(\/[^/]+)?|.+\/login(\/[^/]+)?)$/.test(creationPath)) {
    throw new AuthLoginError(TARGET, "POST", lookupPath, {
      status: undefined,
      errors: [],
      requestId: undefined,
      reason: `the wrapped response was created by "${creationPath ?? "unknown"}", not by a token-creating auth endpoint`,
    });
  }
  const unwrapPath = "sys/wrapping/unwrap";
  let answer;
  try {
    answer = await requester.request<VaultAuthResponseBody>(
      { method: "POST", path: unwrapPath, unauthenticated: true, headers: { "x-vault-token": wrappingToken } },
      POLICIES.creatingWrite,
    );
  } catch (error) {
    throw toAuthLoginError(TARGET, "POST", unwrapPath, error);
  }
  return tokenFromAnswer(TARGET, unwrapPath, answer, "the unwrapped response carried no token");
}
