/**
 * Offline evaluation of Vault ACL policies with the server's exact semantics: given the policies a
 * token holds (and the identity behind it), decide whether a request is allowed and name the rule
 * that decided it.
 *
 * ```ts
 * const evaluator = new PolicyEvaluator([appPolicy, basePolicy]);
 * evaluator.evaluate({ path: "secret/data/app-a/db", operation: "read" });
 * // → { allowed: true, rule: { pattern: "secret/data/app-a/*", ... }, ... }
 * ```
 */
import { Capability, PolicyDocument } from "./policy-document";
import { CompiledAcl, MergedPermissions, RuleSource, compileAcl } from "./compiled-acl";
import { IdentityContext } from "./identity-template";
import { ListFallbackOrder, MatchStep, matchRule } from "./rule-matching";
import { PolicyServerFlavor } from "./server-flavor";
import { ParameterValueMatching, RequestValue, checkParameters } from "./parameter-constraints";
import { ROOT_PROTECTED_PATHS, isRootProtected } from "./root-paths";

/** Request operations Vault authorizes (`logical.Operation`). */
export type Operation = "read" | "list" | "create" | "update" | "delete" | "patch" | "revoke" | "renew" | "rollback" | "help" | "recover";

/** Every operation, for iteration. */
export const OPERATIONS: readonly Operation[] = [
  "read",
  "list",
  "create",
  "update",
  "delete",
  "patch",
  "revoke",
  "renew",
  "rollback",
  "help",
  "recover",
];

/** The capability each operation needs. */
export const OPERATION_CAPABILITY: Readonly<Record<Exclude<Operation, "help">, Capability>> = {
  read: "read",
  list: "list",
  create: "create",
  update: "update",
  delete: "delete",
  patch: "patch",
  revoke: "update",
  renew: "update",
  rollback: "update",
  recover: "recover",
};

/** A request to decide. */
export interface EvaluationRequest {
  /** API path without `/v1/` (a leading `/` is ignored). For LIST, a trailing `/` is usual. */
  readonly path: string;
  /** The operation. */
  readonly operation: Operation;
  /** Request body parameters (checked for read, create, update, patch, recover). @default none */
  readonly data?: Readonly<Record<string, RequestValue>>;
  /** Response-wrapping TTL the request asks for, in seconds. @default not wrapped */
  readonly wrapTtlSeconds?: number;
  /** Whether the path needs `sudo`. @default looked up in the root-protected path list */
  readonly rootProtected?: boolean;
}

/** Why a decision came out as it did. */
export type DecisionReason =
  | "allowed"
  | "help-always-allowed"
  | "no-matching-rule"
  | "denied-by-rule"
  | "capability-missing"
  | "wrapping-ttl"
  | "parameters"
  | "sudo-required";

/** The rule that decided, as written in the policies. */
export interface DecidingRule {
  /** The pattern (e.g. `secret/data/+/config`, `secret/*`). */
  readonly pattern: string;
  /** Exact, prefix or segment-wildcard. */
  readonly kind: "exact" | "prefix" | "segment";
  /** How it was found (exact match, LIST fallback, non-exact priority). */
  readonly step: MatchStep;
  /** Capabilities of the pattern after merging across policies. */
  readonly capabilities: readonly Capability[];
  /** The rules (policy and pattern) merged into it. */
  readonly sources: readonly RuleSource[];
  /** Other non-exact patterns that also matched but lost on priority, highest first. */
  readonly shadowed: readonly string[];
}

/** An evaluation result. */
export interface Decision {
  /** Whether Vault would let the request through the ACL. */
  readonly allowed: boolean;
  /** Machine-readable reason. */
  readonly reason: DecisionReason;
  /** A sentence for people. */
  readonly explanation: string;
  /** The deciding rule; absent when no rule matched (or for help). */
  readonly rule?: DecidingRule;
}

/** Options of an evaluator. */
export interface EvaluatorOptions {
  /** Identity behind the token, for templated paths. @default no entity (templated paths are skipped) */
  readonly identity?: IdentityContext;
  /** Root-protected path patterns. @default ROOT_PROTECTED_PATHS */
  readonly rootProtectedPaths?: readonly string[];
  /** Server whose lookup order to follow (they differ on LIST with a trailing slash). @default "vault" */
  readonly flavor?: PolicyServerFlavor;
}

/** How each server matches list and comma-separated parameter values. */
export const PARAMETER_VALUE_MATCHING: Readonly<Record<PolicyServerFlavor, ParameterValueMatching>> = {
  vault: "elements",
  openbao: "whole-value",
};

/** How each server orders the LIST trailing-slash fallback among non-exact patterns. */
export const LIST_FALLBACK_ORDER: Readonly<Record<PolicyServerFlavor, ListFallbackOrder>> = {
  vault: "trimmed-first",
  openbao: "trimmed-last",
};

/** Order in which `sys/capabilities` lists capabilities (it sorts them by name). */
function sortedCapabilities(caps: Iterable<Capability>): Capability[] {
  return [...caps].sort();
}

/** Evaluates requests against a fixed set of policies. */
export class PolicyEvaluator {
  /** The compiled policy set. */
  public readonly acl: CompiledAcl;
  private readonly rootPaths: readonly string[];
  private readonly order: ListFallbackOrder;
  private readonly matching: ParameterValueMatching;

  /** Compile `policies` (the policies one token holds) for `options.identity`. */
  constructor(policies: readonly PolicyDocument[], options: EvaluatorOptions = {}) {
    this.acl = compileAcl(policies, options.identity);
    this.rootPaths = options.rootProtectedPaths ?? ROOT_PROTECTED_PATHS;
    // Stryker disable next-line StringLiteral: equivalent: an unknown flavor finds no entry, and matchRule and checkParameters then default to Vault's behaviour.
    this.order = LIST_FALLBACK_ORDER[options.flavor ?? "vault"];
    // Stryker disable next-line StringLiteral: equivalent, as above.
    this.matching = PARAMETER_VALUE_MATCHING[options.flavor ?? "vault"];
  }

  /**
   * The capabilities the token has on `path`, exactly as `sys/capabilities` reports them: sorted
   * by name, `["deny"]` when denied or when nothing is granted. (Vault computes them with the LIST
   * lookup, so a trailing `/` falls back to the rule without it.)
   */
  public capabilities(path: string): Capability[] {
    const match = matchRule(this.acl, path, true, this.order);
    if (!match) return ["deny"];
    const caps = match.permissions.capabilities;
    // Stryker disable next-line StringLiteral: equivalent: a denying rule's capabilities are exactly ["deny"], which the sorted list below also gives.
    if (caps.has("deny") || caps.size === 0) return ["deny"];
    return sortedCapabilities(caps);
  }

  /** Decide `request`. */
  public evaluate(request: EvaluationRequest): Decision {
    if (request.operation === "help")
      return { allowed: true, reason: "help-always-allowed", explanation: "help requests are always allowed" };
    const match = matchRule(this.acl, request.path, request.operation === "list", this.order);
    if (!match) {
      return { allowed: false, reason: "no-matching-rule", explanation: `no policy rule matches ${JSON.stringify(request.path)}` };
    }
    const perms = match.permissions;
    const rule = describeRule(perms, match.step, match.candidates);
    const deny = (reason: DecisionReason, explanation: string): Decision => ({ allowed: false, reason, explanation, rule });
    if (perms.capabilities.has("deny")) return deny("denied-by-rule", `${describeSources(perms)} denies ${JSON.stringify(request.path)}`);
    const needed = OPERATION_CAPABILITY[request.operation];
    if (!perms.capabilities.has(needed)) {
      return deny(
        "capability-missing",
        `rule ${JSON.stringify(perms.pattern)} does not grant ${needed} (grants ${rule.capabilities.join(", ") || "nothing"})`,
      );
    }
    const wrap = request.wrapTtlSeconds;
    // Checked first: once merged bounds contradict each other, no TTL satisfies both, and the
    // checks below would name only one of them.
    if (
      // Stryker disable next-line ConditionalExpression: equivalent when true: with min 0, max < min is false.
      perms.minWrappingTtlSeconds !== 0 &&
      perms.maxWrappingTtlSeconds !== 0 &&
      perms.maxWrappingTtlSeconds < perms.minWrappingTtlSeconds
    ) {
      return deny("wrapping-ttl", `merged wrapping TTL bounds of ${JSON.stringify(perms.pattern)} are contradictory (max < min)`);
    }
    if (perms.maxWrappingTtlSeconds > 0 && (wrap === undefined || wrap > perms.maxWrappingTtlSeconds)) {
      return deny(
        "wrapping-ttl",
        `rule ${JSON.stringify(perms.pattern)} requires response wrapping with a TTL of at most ${perms.maxWrappingTtlSeconds}s`,
      );
    }
    if (perms.minWrappingTtlSeconds > 0 && (wrap === undefined || wrap < perms.minWrappingTtlSeconds)) {
      return deny(
        "wrapping-ttl",
        `rule ${JSON.stringify(perms.pattern)} requires response wrapping with a TTL of at least ${perms.minWrappingTtlSeconds}s`,
      );
    }
    if (["read", "update", "create", "patch", "recover"].includes(request.operation)) {
      const verdict = checkParameters(perms, request.data ?? {}, this.matching);
      if (verdict) return deny("parameters", `rule ${JSON.stringify(perms.pattern)}: ${verdict}`);
    }
    const rootProtected = request.rootProtected ?? isRootProtected(request.path, this.rootPaths);
    if (rootProtected && !perms.capabilities.has("sudo")) {
      return deny(
        "sudo-required",
        `${JSON.stringify(request.path)} is root-protected and rule ${JSON.stringify(perms.pattern)} does not grant sudo`,
      );
    }
    return { allowed: true, reason: "allowed", explanation: `${describeSources(perms)} grants ${needed}`, rule };
  }
}

function describeRule(perms: MergedPermissions, step: MatchStep, candidates: readonly MergedPermissions[]): DecidingRule {
  return {
    pattern: perms.pattern,
    kind: perms.kind,
    step,
    capabilities: sortedCapabilities(perms.capabilities),
    sources: perms.sources,
    shadowed: candidates.filter((c) => c !== perms).map((c) => c.pattern),
  };
}

function describeSources(perms: MergedPermissions): string {
  const policies = [...new Set(perms.sources.map((s) => s.policy))];
  return `rule ${JSON.stringify(perms.pattern)} (policy ${policies.map((p) => JSON.stringify(p)).join(", ")})`;
}
