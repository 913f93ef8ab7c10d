/**
 * Which policies a token carries and where they come from, for a namespace it acts in. A token
 * belongs to one namespace; its policies are defined there and their paths are relative to it, so
 * in a child namespace they apply only through rules whose path starts with the child's relative
 * path (`team/secret/data/*` from the parent) — "inherited" here — while a policy of the target
 * namespace itself is "local". Identity policies come from the token's entity and groups.
 */
import { OpsInputError } from "../ops-input-error";
import { POLICIES, Requester } from "../../transport/requester";
import { readPolicy } from "../estate/estate-checksums";
import { inNamespace, normalizeNamespace } from "../estate/namespaced";

/** One `path` rule of a policy. */
export interface PolicyRule {
  /** Path as written in the policy. */
  readonly path: string;
  /** Full path from the root namespace. */
  readonly fullPath: string;
  /** Capabilities. */
  readonly capabilities: readonly string[];
  /** Whether the rule reaches into the target namespace. */
  readonly appliesToTarget: boolean;
}

/** One policy of the token, explained. */
export interface ExplainedPolicy {
  /** Policy name. */
  readonly name: string;
  /** From the token itself or from its identity (entity, groups). */
  readonly source: "token" | "identity";
  /** Namespace the policy is defined in. */
  readonly definedIn: string;
  /** `local`: defined in the target namespace; `inherited`: defined in an ancestor and reaching down. */
  readonly scope: "local" | "inherited";
  /** Its rules (empty for `default`/`root` or a policy that cannot be read). */
  readonly rules: readonly PolicyRule[];
}

/** The explanation. */
export interface TokenPolicyExplanation {
  /** Namespace the token belongs to. */
  readonly tokenNamespace: string;
  /** Namespace explained for. */
  readonly target: string;
  /** Each policy. */
  readonly policies: readonly ExplainedPolicy[];
  /** Policies with rules that reach the target. */
  readonly effectiveInTarget: readonly string[];
}

/** Rules of an HCL policy (`path "…" { capabilities = [ … ] }`). */
export function parsePolicyRules(text: string): { path: string; capabilities: string[] }[] {
  return [...text.matchAll(/path\s+"([^"]+)"\s*\{([^}]*)\}/g)].map((m) => ({
    path: m[1],
    capabilities: [...(/capabilities\s*=\s*\[([^\]]*)\]/.exec(m[2])?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((c) => c[1]),
  }));
}

/**
 * Explain `token`'s policies for `target` (default: the token's own namespace). `tokenNamespace`
 * is where the token was issued (a token is not accepted elsewhere). `admin` reads the policies.
 */
export async function explainTokenPolicies(
  admin: Requester,
  options: { token: string; tokenNamespace?: string; target?: string },
): Promise<TokenPolicyExplanation> {
  const tokenNs = normalizeNamespace(options.tokenNamespace ?? "");
  const target = normalizeNamespace(options.target ?? tokenNs);
  if (tokenNs !== "" && target !== tokenNs && !target.startsWith(`${tokenNs}/`)) {
    throw new OpsInputError(`namespace "${target}" is not "${tokenNs}" or below it: a token of "${tokenNs}" cannot act there`);
  }
  const self = await inNamespace(admin, tokenNs).request<{ data: { policies?: string[]; identity_policies?: string[] } }>(
    { method: "GET", path: "auth/token/lookup-self", headers: { "X-Vault-Token": options.token } },
    POLICIES.read,
  );
  const rel = target === tokenNs ? "" : target.slice(tokenNs === "" ? 0 : tokenNs.length + 1);
  const explain = async (name: string, source: "token" | "identity"): Promise<ExplainedPolicy> => {
    const text = name === "root" ? undefined : await readPolicy(inNamespace(admin, tokenNs), name);
    const rules = parsePolicyRules(text ?? "").map((r) => ({
      path: r.path,
      fullPath: tokenNs === "" ? r.path : `${tokenNs}/${r.path}`,
      capabilities: r.capabilities,
      appliesToTarget: rel === "" || r.path.startsWith(`${rel}/`) || r.path === "*" || r.path.startsWith("+/"),
    }));
    return { name, source, definedIn: tokenNs, scope: rel === "" ? "local" : "inherited", rules };
  };
  const policies = [
    ...(await Promise.all((self.body?.data.policies ?? []).map((p) => explain(p, "token")))),
    ...(await Promise.all((self.body?.data.identity_policies ?? []).map((p) => explain(p, "identity")))),
  ];
  return {
    tokenNamespace: tokenNs,
    target,
    policies,
    effectiveInTarget: policies
      .filter((p) => p.name === "root" || p.rules.some((r) => r.appliesToTarget && !r.capabilities.includes("deny")))
      .map((p) => p.name),
  };
}
