/**
 * Drift from a Terraform plan: read the JSON of `terraform show -json <planfile>` and turn it into
 * a readable report and an exit code — 0 clean, 3 drift or pending changes, 1 error. Terraform's
 * `plan -detailed-exitcode` says 2 for changes; vaultsmith keeps 2 for bad usage in every command,
 * so "drift" is 3 and a CI job never mistakes a mistyped option for drift.
 *
 * Sources: Terraform's JSON output format (`resource_changes[].change.actions`, `before`,
 * `after`, `after_unknown`, `before_sensitive`/`after_sensitive`, `resource_drift`, `errored`).
 *
 * Values are compared as Terraform compares an SDKv2 provider's (terraform-provider-vault is
 * one): such a provider cannot tell an unset collection from an empty one, so `null`, `[]` and
 * `{}` are the same value at any depth, and an attribute that is `null` in a nested block equals
 * one that is absent. After every apply that created resources, the refresh reads back `[]` and
 * `{}` where the configuration had nothing (`allowed_managed_keys: null -> []`, `options: null ->
 * {}`): Terraform plans no change for them, and neither does this. Multi-line strings (policies)
 * are shown whole as a line diff, and policy changes also as what access they grant or take away
 * ({@link explainPolicyChanges}).
 */
import { diffPolicySets } from "../policies/policy-diff";
import { parsePolicyHcl } from "../policies/policy-parse";
import { PolicyServerFlavor } from "../policies/server-flavor";

/** Exit codes of a drift judgement (2 is the CLI's "bad usage", never drift). */
export const DriftExitCode = { clean: 0, error: 1, drift: 3 } as const;

/** What Terraform would do to a resource. */
export type PlannedAction = "create" | "update" | "delete" | "replace";

/** One attribute that differs. */
export interface AttributeChange {
  /** Top-level attribute name. */
  readonly attribute: string;
  /** Value before, rendered for humans (`(sensitive)` for sensitive values). */
  readonly before: string;
  /** Value after (`(known after apply)` when unknown). */
  readonly after: string;
  /** For multi-line strings: the line diff, each line `- `, `+ ` or `  ` (context). */
  readonly lines?: readonly string[];
  /** For ACL policy text: what access changes, e.g. `sys/* gains read, sudo` (see {@link explainPolicyChanges}). */
  readonly access?: readonly string[];
}

/** One resource that differs. */
export interface ResourceDrift {
  /** Resource address, e.g. `vault_pki_secret_backend_role.pki_role_5E1F`. */
  readonly address: string;
  /** Resource type. */
  readonly type: string;
  /** `planned`: the plan would change it; `outside`: it changed outside Terraform (refresh). */
  readonly kind: "planned" | "outside";
  /** The planned action (for `outside`, `update` or `delete`). */
  readonly action: PlannedAction;
  /** Attributes that differ (empty for create / delete). */
  readonly attributes: readonly AttributeChange[];
}

/** The result of {@link analysePlan}. */
export interface DriftReport {
  /** 0 clean, 1 error, 3 drift. */
  readonly exitCode: 0 | 1 | 3;
  /** Resources that differ. */
  readonly resources: readonly ResourceDrift[];
  /** Why the plan could not be judged (exit code 1). */
  readonly error?: string;
  /** The report as text. */
  readonly text: string;
}

/** Options of {@link analysePlan}. */
export interface AnalyseOptions {
  /** Stack name for the report header. @default "stack" */
  readonly stack?: string;
  /**
   * Attributes known to flap per resource type (e.g. `{ vault_jwt_auth_backend: ["tune"] }`):
   * differences only in these do not count as drift.
   * @default none
   */
  readonly ignoreAttributes?: Readonly<Record<string, readonly string[]>>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Change {
  actions?: unknown;
  before?: Json;
  after?: Json;
  after_unknown?: Json;
  before_sensitive?: Json;
  after_sensitive?: Json;
}

interface ResourceChange {
  address?: unknown;
  type?: unknown;
  mode?: unknown;
  change?: Change;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function equal(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * The value as an SDKv2 provider's value compares: keys sorted, `null`/absent, `[]` and `{}`
 * one value (`null`) at every depth, null attributes of an object left out.
 */
export function canonical(v: Json | undefined): Json {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.length === 0 ? null : v.map((x) => canonical(x));
  if (typeof v === "object") {
    const entries = Object.keys(v)
      .sort()
      .map((k) => [k, canonical(v[k])] as const)
      .filter(([, x]) => x !== null);
    return entries.length === 0 ? null : Object.fromEntries(entries);
  }
  return v;
}

function flag(map: Json | undefined, key: string): boolean {
  if (!isObject(map)) return map === true;
  const v = map[key];
  if (v === true) return true;
  // A nested structure with any `true` inside means part of the value is sensitive/unknown.
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent for sensitivity maps, whose leaves are booleans: no JSON of false, null or undefined holds "true".
  return v !== undefined && v !== null && typeof v === "object" && JSON.stringify(v).includes("true");
}

function show(v: Json | undefined): string {
  if (v === undefined) return "null";
  // Stryker disable next-line StringLiteral: equivalent: replacing the final newline by any text without one leaves the line count as it is.
  if (typeof v === "string" && v.includes("\n")) return `(${v.replace(/\n$/, "").split("\n").length} lines)`;
  return JSON.stringify(v);
}

/**
 * Line diff of two texts (longest common subsequence): changed lines as `- ` / `+ `, with
 * `context` unchanged lines (`  `) around each change and `…` where unchanged lines are skipped.
 */
export function lineDiff(before: string, after: string, context = 1): string[] {
  const a = before.replace(/\n$/, "").split("\n");
  const b = after.replace(/\n$/, "").split("\n");
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: { mark: " " | "-" | "+"; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: equivalent: past the end of a list the line is undefined, which equals no line of the other.
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ mark: " ", text: a[i] });
      i++;
      j++;
      // (Two mutants of `j < b.length` below survive, equivalent: with j past the end and i not, lcs[i][j + 1] is undefined and the comparison false.)
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] > lcs[i + 1][j])) {
      ops.push({ mark: "+", text: b[j++] });
    } else {
      ops.push({ mark: "-", text: a[i++] });
    }
  }
  // Stryker disable next-line ConditionalExpression: equivalent when false: a changed line is within its own context window.
  const keep = ops.map((op, k) => op.mark !== " " || ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o.mark !== " "));
  const out: string[] = [];
  ops.forEach((op, k) => {
    if (keep[k]) out.push(`${op.mark} ${op.text}`);
    else if (out[out.length - 1] !== "…") out.push("…");
  });
  return out;
}

function action(actions: readonly string[]): PlannedAction | undefined {
  const a = [...actions].sort().join(",");
  if (a === "create,delete") return "replace";
  if (a === "create") return "create";
  if (a === "delete") return "delete";
  if (a === "update") return "update";
  return undefined; // no-op, read
}

/** The stack name of each successful report (for {@link explainPolicyChanges}). */
const STACKS = new WeakMap<DriftReport, string>();

/** The raw texts behind string attribute changes (for {@link explainPolicyChanges}). */
const TEXTS = new WeakMap<AttributeChange, { before: string; after: string }>();

function attributeChanges(change: Change, ignored: readonly string[]): AttributeChange[] {
  const before = isObject(change.before) ? (change.before as Record<string, Json>) : {};
  const after = isObject(change.after) ? (change.after as Record<string, Json>) : {};
  const keys = [
    ...new Set([
      ...Object.keys(before),
      ...Object.keys(after),
      // Stryker disable next-line ArrayDeclaration: equivalent: a key in neither before nor after compares equal and is skipped.
      ...(isObject(change.after_unknown) ? Object.keys(change.after_unknown) : []),
    ]),
  ].sort();
  const out: AttributeChange[] = [];
  for (const key of keys) {
    if (ignored.includes(key)) continue;
    const unknown = flag(change.after_unknown, key);
    if (!unknown && equal(before[key], after[key])) continue;
    if (unknown && before[key] === undefined) continue; // computed on create, nothing to compare
    const sensitiveBefore = flag(change.before_sensitive, key);
    const sensitiveAfter = flag(change.after_sensitive, key);
    const was = before[key];
    const now = after[key];
    const texts = !unknown && !sensitiveBefore && !sensitiveAfter && typeof was === "string" && typeof now === "string";
    const multiLine = texts && (was.includes("\n") || now.includes("\n"));
    const entry: AttributeChange = {
      attribute: key,
      before: sensitiveBefore ? "(sensitive)" : show(was),
      after: unknown ? "(known after apply)" : sensitiveAfter ? "(sensitive)" : show(now),
      ...(multiLine ? { lines: lineDiff(was, now) } : {}),
    };
    if (texts) TEXTS.set(entry, { before: was, after: now });
    out.push(entry);
  }
  return out;
}

function fail(stack: string, error: string): DriftReport {
  return { exitCode: 1, resources: [], error, text: `${stack}: error: ${error}\n` };
}

function entries(plan: Record<string, unknown>, key: string): ResourceChange[] | string {
  const v = plan[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) return `"${key}" is not a list`;
  return v as ResourceChange[];
}

/**
 * Judge a plan. `plan` is the parsed JSON of `terraform show -json <planfile>` (or its text).
 * Managed resources only; data sources (`mode: "data"`) and `read` actions are not drift.
 */
export function analysePlan(plan: unknown, options: AnalyseOptions = {}): DriftReport {
  const stack = options.stack ?? "stack";
  let doc: unknown = plan;
  if (typeof plan === "string") {
    try {
      doc = JSON.parse(plan);
    } catch (e) {
      return fail(stack, `the plan is not JSON (${(e as Error).message})`);
    }
  }
  if (!isObject(doc)) return fail(stack, "the plan is not a JSON object");
  if (typeof doc.format_version !== "string") return fail(stack, "not a Terraform plan: format_version is missing");
  if (!/^1\./.test(doc.format_version)) return fail(stack, `unsupported plan format_version ${doc.format_version}`);
  if (doc.errored === true) return fail(stack, "the plan errored; run terraform plan to see why");
  const changes = entries(doc, "resource_changes");
  const drift = entries(doc, "resource_drift");
  if (typeof changes === "string") return fail(stack, changes);
  if (typeof drift === "string") return fail(stack, drift);

  const resources: ResourceDrift[] = [];
  const collect = (list: ResourceChange[], kind: ResourceDrift["kind"]): string | undefined => {
    for (const rc of list) {
      if (rc.mode === "data") continue;
      if (typeof rc.address !== "string" || typeof rc.type !== "string" || !rc.change || !Array.isArray(rc.change.actions)) {
        return `malformed ${kind === "planned" ? "resource_changes" : "resource_drift"} entry ${JSON.stringify(rc.address ?? null)}`;
      }
      const act = action(rc.change.actions as string[]);
      if (act === undefined) continue;
      const attributes = act === "create" || act === "delete" ? [] : attributeChanges(rc.change, options.ignoreAttributes?.[rc.type] ?? []);
      if ((act === "update" || act === "replace") && attributes.length === 0) continue; // only ignored attributes differ
      resources.push({ address: rc.address, type: rc.type, kind, action: act, attributes });
    }
    return undefined;
  };
  const problem = collect(drift, "outside") ?? collect(changes, "planned");
  if (problem) return fail(stack, problem);
  const report: DriftReport = {
    exitCode: resources.length === 0 ? DriftExitCode.clean : DriftExitCode.drift,
    resources,
    text: render(stack, resources),
  };
  STACKS.set(report, stack);
  return report;
}

const SYMBOL: Readonly<Record<PlannedAction, string>> = { create: "+", update: "~", delete: "-", replace: "-/+" };

function render(stack: string, resources: readonly ResourceDrift[]): string {
  if (resources.length === 0) return `${stack}: no drift\n`;
  const lines = [`${stack}: ${resources.length} difference${resources.length === 1 ? "" : "s"} between Vault and the configuration`];
  let section: ResourceDrift["kind"] | undefined;
  for (const r of resources) {
    if (r.kind !== section) {
      section = r.kind;
      lines.push(section === "outside" ? "  changed outside Terraform (refresh):" : "  the configuration would change (plan):");
    }
    const what =
      r.kind === "outside" ? `changed outside Terraform (${r.action === "delete" ? "deleted" : "modified"})` : `plan: ${r.action}`;
    lines.push(`  ${SYMBOL[r.action]} ${r.address}  ${what}`);
    for (const a of r.attributes) {
      lines.push(`      ${a.attribute}: ${a.before} -> ${a.after}`);
      for (const l of a.lines ?? []) lines.push(`        ${l}`);
      for (const l of a.access ?? []) lines.push(`        access: ${l}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Resource types whose `policy` attribute is ACL policy HCL. */
const ACL_POLICY_TYPES: readonly string[] = ["vault_policy"];

/** Options of {@link explainPolicyChanges}. */
export interface ExplainOptions {
  /** Server whose policy rules apply. @default "vault" */
  readonly flavor?: PolicyServerFlavor;
}

/**
 * Add to every changed ACL policy text what access it grants or takes away, from the policy
 * engine (`sys/* gains read, sudo`, `secret/data/* loses delete`), and whether any widens.
 * A text the engine cannot parse is said so rather than guessed at.
 */
export async function explainPolicyChanges(
  report: DriftReport,
  options: ExplainOptions = {},
): Promise<DriftReport & { readonly widens: boolean }> {
  let widens = false;
  const stack = STACKS.get(report) ?? "stack";
  const resources: ResourceDrift[] = [];
  for (const r of report.resources) {
    const attributes: AttributeChange[] = [];
    for (const a of r.attributes) {
      const texts = TEXTS.get(a);
      if (!ACL_POLICY_TYPES.includes(r.type) || a.attribute !== "policy" || !texts) {
        attributes.push(a);
        continue;
      }
      let access: string[];
      try {
        const parse = (text: string) => parsePolicyHcl(text, { name: "policy", file: `${r.address}.policy`, flavor: options.flavor });
        const set = async (text: string) => ({
          source: r.address,
          policies: [await parse(text)],
          roles: { policy: ["policy"] },
          renamed: [],
        });
        const diff = diffPolicySets(await set(texts.before), await set(texts.after), { flavor: options.flavor });
        widens ||= diff.widens;
        access = diff.changes.flatMap((c) => [
          ...(c.gained.length ? [`${c.pattern} gains ${c.gained.join(", ")}`] : []),
          ...(c.lost.length ? [`${c.pattern} loses ${c.lost.join(", ")}`] : []),
          ...c.loosened.map((l) => `${c.pattern} looser: ${l}`),
          ...c.tightened.map((t) => `${c.pattern} tighter: ${t}`),
        ]);
        if (access.length === 0) access = ["no access change"];
      } catch (e) {
        access = [`not analysed: ${(e as Error).message.split("\n")[0]}`];
      }
      const explained = { ...a, access };
      TEXTS.set(explained, texts);
      attributes.push(explained);
    }
    resources.push({ ...r, attributes });
  }
  if (report.exitCode === 1) return { ...report, widens };
  const explained = { ...report, resources, widens, text: render(stack, resources) };
  STACKS.set(explained, stack);
  return explained;
}

/** Combine per-stack reports: any error → 1, else any drift → 2, else 0. */
export function combineReports(reports: readonly DriftReport[]): { exitCode: 0 | 1 | 3; text: string } {
  const exitCode = reports.some((r) => r.exitCode === 1) ? 1 : reports.some((r) => r.exitCode === 3) ? 3 : 0;
  return { exitCode, text: reports.map((r) => r.text).join("") };
}

/** Attributes the Vault provider is known to report spuriously (reference §1.4): a starting allow-list. */
export const KNOWN_FLAPPING_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  // tune blocks show a diff unless every value equals Vault's default (provider issue #2234).
  vault_auth_backend: ["tune"],
  vault_jwt_auth_backend: ["tune"],
  vault_ldap_auth_backend: ["tune"],
};
