/**
 * Conflict detection and lint for a set of policies: rules whose intent is hidden by a
 * higher-priority pattern (including `deny` rules that do not take effect), risky grants on
 * sensitive paths, KV v2 rules without `data/` or `metadata/`, parameter constraints on KV v2.
 * Every conflict names the most restrictive resolution and how to write it.
 */
import { Capability, PathRule, PolicyDocument } from "./policy-document";
import { PolicyEvaluator } from "./policy-evaluator";
import { classifyPattern } from "./compiled-acl";
import { patternMatches, patternWitnesses } from "./pattern-witnesses";
import { PolicyServerFlavor } from "./server-flavor";
import { placeholderIdentity } from "./identity-template";

/** How serious a finding is. */
export type LintSeverity = "error" | "warning" | "info";

/** One lint finding. */
export interface LintFinding {
  /** Stable identifier of the check, e.g. `deny-not-effective`. */
  readonly code: string;
  /** How serious it is. */
  readonly severity: LintSeverity;
  /** The policy the finding is about. */
  readonly policy: string;
  /** The pattern the finding is about. */
  readonly path: string;
  /** What is wrong, for people. */
  readonly message: string;
  /** How to fix it: for conflicts, the most restrictive resolution and the HCL that expresses it. */
  readonly suggestion?: string;
}

/** Lint options. */
export interface LintOptions {
  /** Mount paths of KV version 2 engines. @default ["secret/"] */
  readonly kv2Mounts?: readonly string[];
  /** Path prefixes where wildcard or sudo grants are flagged. @default ["sys/", "auth/", "identity/"] */
  readonly sensitivePrefixes?: readonly string[];
  /** Also check the policies combined, as one token holding all of them would see them. @default true */
  readonly combined?: boolean;
  /** Server semantics to use. @default "vault" */
  readonly flavor?: PolicyServerFlavor;
}

const KV2_SUBPATHS = ["data/", "metadata/", "delete/", "undelete/", "destroy/", "subkeys/", "config"];

function grants(rule: PathRule): Capability[] {
  return rule.capabilities.filter((c) => c !== "deny");
}

function hcl(pattern: string, caps: readonly string[]): string {
  return `path ${JSON.stringify(pattern)} { capabilities = [${caps.map((c) => JSON.stringify(c)).join(", ")}] }`;
}

/** Lint `policies`; findings are sorted by policy, then path, then code. */
export function lintPolicies(policies: readonly PolicyDocument[], options: LintOptions = {}): LintFinding[] {
  const findings: LintFinding[] = [];
  const seen = new Set<string>();
  const add = (f: LintFinding) => {
    const key = `${f.code}|${f.policy}|${f.path}|${f.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      findings.push(f);
    }
  };
  for (const doc of policies) {
    checkConflicts([doc], options, add, "");
    for (const rule of doc.rules) checkRule(doc.name, rule, options, add);
  }
  if ((options.combined ?? true) && policies.length > 1) {
    checkConflicts(policies, options, add, ` when combined with ${policies.map((p) => JSON.stringify(p.name)).join(", ")}`);
  }
  return findings.sort((a, b) => a.policy.localeCompare(b.policy) || a.path.localeCompare(b.path) || a.code.localeCompare(b.code));
}

function checkConflicts(policies: readonly PolicyDocument[], options: LintOptions, add: (f: LintFinding) => void, context: string): void {
  const rules = policies.flatMap((doc) => doc.rules.map((rule) => ({ policy: doc.name, rule })));
  const evaluator = new PolicyEvaluator(policies, {
    flavor: options.flavor,
    identity: placeholderIdentity(rules.map(({ rule }) => rule.path)),
  });
  const candidates = [...new Set(rules.flatMap(({ rule }) => patternWitnesses(rule.path)))];
  for (const path of candidates) {
    const decision = evaluator.evaluate({ path, operation: "read", rootProtected: false });
    const winner = decision.rule;
    if (!winner) continue;
    for (const { policy, rule } of rules) {
      const pattern = rule.path.replace(/^\//, "");
      if (pattern === winner.pattern || !patternMatches(pattern, path)) continue;
      const winnerCaps = winner.capabilities;
      const winnerPolicies = [...new Set(winner.sources.map((s) => s.policy))].join(", ");
      if (rule.capabilities.includes("deny")) {
        if (winnerCaps.includes("deny")) continue;
        add({
          code: "deny-not-effective",
          severity: "error",
          policy,
          path: rule.path,
          message: `deny on ${JSON.stringify(rule.path)} does not take effect on ${JSON.stringify(path)}${context}: the higher-priority rule ${JSON.stringify(winner.pattern)} (policy ${winnerPolicies}) grants ${winnerCaps.join(", ")} there`,
          suggestion: `Most restrictive resolution: deny wins only on the same pattern, so add ${hcl(winner.pattern, ["deny"])} (this also removes that rule's grants), or, to deny only the overlap, add exact deny rules such as ${hcl(path, ["deny"])}.`,
        });
        continue;
      }
      const lost = grants(rule).filter((c) => !winnerCaps.includes(c));
      if (lost.length === 0 || winnerCaps.includes("deny")) continue;
      const kept = grants(rule).filter((c) => winnerCaps.includes(c));
      add({
        code: "grant-hidden",
        severity: "warning",
        policy,
        path: rule.path,
        message: `${lost.join(", ")} from ${JSON.stringify(rule.path)} does not apply on ${JSON.stringify(path)}${context}: the higher-priority rule ${JSON.stringify(winner.pattern)} (policy ${winnerPolicies}) decides there and grants only ${winnerCaps.join(", ")}`,
        suggestion:
          `Vault applies ${winnerCaps.join(", ")} there. The most restrictive resolution is the intersection (${kept.join(", ") || "nothing"}): ` +
          `${kept.length ? hcl(winner.pattern, kept) : hcl(winner.pattern, ["deny"])}; to grant ${lost.join(", ")} as well, add it to ${JSON.stringify(winner.pattern)}.`,
      });
    }
  }
}

function checkRule(policy: string, rule: PathRule, options: LintOptions, add: (f: LintFinding) => void): void {
  const pattern = rule.path.replace(/^\//, "");
  const { kind, key } = classifyPattern(pattern);
  const caps = grants(rule);
  const sensitive = options.sensitivePrefixes ?? ["sys/", "auth/", "identity/"];
  if (caps.length > 0 && kind !== "exact") {
    const touched = sensitive.filter((prefix) => patternMayCover(pattern, kind, key, prefix));
    if (touched.length > 0) {
      add({
        code: "sensitive-wildcard",
        severity: caps.includes("sudo") ? "error" : "warning",
        policy,
        path: rule.path,
        message: `wildcard grant of ${caps.join(", ")} reaches sensitive paths under ${touched.join(", ")}`,
        suggestion: `List the exact paths needed (for example ${hcl(`${touched[0]}<endpoint>`, caps)}) instead of a wildcard.`,
      });
    }
  }
  if (caps.includes("sudo") && (kind !== "exact" || sensitive.some((p) => pattern.startsWith(p)))) {
    add({
      code: "sudo-grant",
      severity: kind === "exact" ? "info" : "warning",
      policy,
      path: rule.path,
      message: `sudo on ${JSON.stringify(rule.path)} gives access to root-protected endpoints${kind === "exact" ? "" : " on every path it matches"}`,
      suggestion: kind === "exact" ? undefined : "Grant sudo only on the exact root-protected paths that need it.",
    });
  }
  for (const mount of options.kv2Mounts ?? ["secret/"]) {
    if (!pattern.startsWith(mount) || pattern.length === mount.length) continue;
    const rest = pattern.slice(mount.length);
    if (rest === "*" || rest === "+" || rest.startsWith("+/")) continue;
    if (!KV2_SUBPATHS.some((sub) => rest.startsWith(sub))) {
      add({
        code: "kv2-missing-data",
        severity: "warning",
        policy,
        path: rule.path,
        message: `${JSON.stringify(mount)} is a KV v2 mount: requests go to ${mount}data/... and ${mount}metadata/..., so ${JSON.stringify(rule.path)} matches no secret`,
        suggestion: `Write ${hcl(`${mount}data/${rest}`, caps.filter((c) => c !== "list").length ? caps.filter((c) => c !== "list") : caps)}${caps.includes("list") ? ` and ${hcl(`${mount}metadata/${rest}`, ["list"])}` : ""}.`,
      });
    } else if (rest.startsWith("data/") && caps.includes("list")) {
      add({
        code: "kv2-list-on-data",
        severity: "warning",
        policy,
        path: rule.path,
        message: `list on ${JSON.stringify(rule.path)} has no effect: KV v2 lists under ${mount}metadata/`,
        suggestion: `Add ${hcl(`${mount}metadata/${rest.slice("data/".length)}`, ["list"])}.`,
      });
    }
    if (rest.startsWith("data/") && (rule.allowedParameters || rule.deniedParameters || rule.requiredParameters)) {
      add({
        code: "kv2-parameter-constraints",
        severity: "warning",
        policy,
        path: rule.path,
        message: "allowed/denied/required parameters are not supported for KV v2 paths (the secret's fields are nested under data)",
      });
    }
  }
}

function patternMayCover(pattern: string, kind: "prefix" | "segment" | "exact", key: string, prefix: string): boolean {
  if (kind === "prefix") return prefix.startsWith(key) || key.startsWith(prefix);
  const first = pattern.split("/")[0];
  return first === "+" || `${first}/` === prefix;
}
