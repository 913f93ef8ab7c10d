/**
 * What a change to a policy set does to access, per token role: the capabilities each role gains
 * and loses on concrete paths ("role app-a gains delete on secret/data/prod/*"), as text or as
 * Markdown for a pull-request comment.
 */
import { Capability } from "./policy-document";
import { PolicyEvaluator } from "./policy-evaluator";
import { compareConstraints } from "./constraint-changes";
import { matchRule } from "./rule-matching";
import { patternWitnesses } from "./pattern-witnesses";
import { PolicySet, policiesOfRole } from "./policy-source";
import { PolicyServerFlavor } from "./server-flavor";
import { placeholderIdentity } from "./identity-template";

/** One role's change on one pattern. */
export interface AccessChange {
  /** The token role. */
  readonly role: string;
  /** The pattern (from either side) whose paths changed. */
  readonly pattern: string;
  /** A concrete path on which the change shows. */
  readonly example: string;
  /** Capabilities the role gains there. */
  readonly gained: readonly Capability[];
  /** Capabilities the role loses there. */
  readonly lost: readonly Capability[];
  /** Request constraints (parameters, wrapping TTLs) that now let more requests through. */
  readonly loosened: readonly string[];
  /** Request constraints that now let fewer requests through. */
  readonly tightened: readonly string[];
}

/** The diff of two policy sets. */
export interface PolicyDiff {
  /** Changes, sorted by role then pattern. */
  readonly changes: readonly AccessChange[];
  /** Roles only in the head set. */
  readonly addedRoles: readonly string[];
  /** Roles only in the base set. */
  readonly removedRoles: readonly string[];
  /** True when some role gains a capability or a constraint loosens (access widens). */
  readonly widens: boolean;
}

function grantsOf(caps: readonly Capability[]): Set<Capability> {
  return new Set(caps.filter((c) => c !== "deny"));
}

/** Compare `base` and `head` role by role on witness paths of every pattern either side mentions. */
export function diffPolicySets(base: PolicySet, head: PolicySet, options: { flavor?: PolicyServerFlavor } = {}): PolicyDiff {
  const roles = [...new Set([...Object.keys(base.roles), ...Object.keys(head.roles)])].sort();
  const patterns = [...new Set([...base.policies, ...head.policies].flatMap((p) => p.rules.map((r) => r.path.replace(/^\//, ""))))].sort();
  const changes: AccessChange[] = [];
  const identity = placeholderIdentity(patterns);
  for (const role of roles) {
    const before = new PolicyEvaluator(policiesOfRole(base, role), { flavor: options.flavor, identity });
    const after = new PolicyEvaluator(policiesOfRole(head, role), { flavor: options.flavor, identity });
    for (const pattern of patterns) {
      const gained = new Set<Capability>();
      const lost = new Set<Capability>();
      const loosened = new Set<string>();
      const tightened = new Set<string>();
      let example: string | undefined;
      for (const path of patternWitnesses(pattern)) {
        const was = grantsOf(before.capabilities(path));
        const now = grantsOf(after.capabilities(path));
        const plus = [...now].filter((c) => !was.has(c));
        const minus = [...was].filter((c) => !now.has(c));
        const common = [...now].some((c) => was.has(c));
        const constraints = common ? constraintChanges(before, after, path) : { loosened: [], tightened: [] };
        if (plus.length || minus.length || constraints.loosened.length || constraints.tightened.length) example ??= path;
        plus.forEach((c) => gained.add(c));
        minus.forEach((c) => lost.add(c));
        constraints.loosened.forEach((c) => loosened.add(c));
        constraints.tightened.forEach((c) => tightened.add(c));
      }
      if (example !== undefined) {
        changes.push({
          role,
          pattern,
          example,
          gained: [...gained].sort(),
          lost: [...lost].sort(),
          loosened: [...loosened],
          tightened: [...tightened],
        });
      }
    }
  }
  return {
    changes,
    addedRoles: Object.keys(head.roles)
      .filter((r) => !(r in base.roles))
      .sort(),
    removedRoles: Object.keys(base.roles)
      .filter((r) => !(r in head.roles))
      .sort(),
    widens: changes.some((c) => c.gained.length > 0 || c.loosened.length > 0),
  };
}

function constraintChanges(before: PolicyEvaluator, after: PolicyEvaluator, path: string) {
  const was = matchRule(before.acl, path, true);
  const now = matchRule(after.acl, path, true);
  return was && now ? compareConstraints(was.permissions, now.permissions) : { loosened: [], tightened: [] };
}

function sentences(change: AccessChange): string[] {
  const out: string[] = [];
  if (change.gained.length) out.push(`role ${change.role} gains ${change.gained.join(", ")} on ${change.pattern}`);
  if (change.lost.length) out.push(`role ${change.role} loses ${change.lost.join(", ")} on ${change.pattern}`);
  if (change.loosened.length) out.push(`role ${change.role} faces looser constraints on ${change.pattern}: ${change.loosened.join("; ")}`);
  if (change.tightened.length)
    out.push(`role ${change.role} faces tighter constraints on ${change.pattern}: ${change.tightened.join("; ")}`);
  return out;
}

/** Plain-text report, one sentence per line. */
export function formatDiffText(diff: PolicyDiff): string {
  const lines = [
    ...diff.addedRoles.map((r) => `role ${r} is new`),
    ...diff.removedRoles.map((r) => `role ${r} is removed`),
    ...diff.changes.flatMap(sentences),
  ];
  if (lines.length === 0) return "no access changes\n";
  return `${lines.join("\n")}\n${diff.widens ? "access widens\n" : ""}`;
}

/** Markdown report for a pull-request comment. */
export function formatDiffMarkdown(diff: PolicyDiff): string {
  if (diff.changes.length === 0 && diff.addedRoles.length === 0 && diff.removedRoles.length === 0)
    return "### Vault policy changes\n\nNo access changes.\n";
  const escape = (s: string) => s.replace(/\|/g, "\\|");
  const rows = diff.changes.map((c) => {
    const gains = [...(c.gained.length ? [`➕ ${c.gained.join(", ")}`] : []), ...c.loosened.map((l) => `looser: ${escape(l)}`)];
    const losses = [...(c.lost.length ? [`➖ ${c.lost.join(", ")}`] : []), ...c.tightened.map((t) => `tighter: ${escape(t)}`)];
    return `| ${escape(c.role)} | \`${escape(c.pattern)}\` | ${gains.join("<br>")} | ${losses.join("<br>")} | \`${escape(c.example)}\` |`;
  });
  const notes = [...diff.addedRoles.map((r) => `- role **${r}** is new`), ...diff.removedRoles.map((r) => `- role **${r}** is removed`)];
  return [
    "### Vault policy changes",
    "",
    diff.widens ? "⚠️ **Access widens.**" : "Access only narrows.",
    "",
    ...(notes.length ? [...notes, ""] : []),
    ...(rows.length ? ["| role | path | gains | loses | e.g. |", "| --- | --- | --- | --- | --- |", ...rows, ""] : []),
  ].join("\n");
}
