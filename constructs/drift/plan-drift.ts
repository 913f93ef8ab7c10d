/**
 * Drift from a Terraform plan: read the JSON of `terraform show -json <planfile>` and turn it into
 * a readable report and an exit code — 0 clean, 2 drift or pending changes, 1 error — the same
 * contract as `terraform plan -detailed-exitcode`, with the list of what changed.
 *
 * Sources: Terraform's JSON output format (`resource_changes[].change.actions`, `before`,
 * `after`, `after_unknown`, `before_sensitive`/`after_sensitive`, `resource_drift`, `errored`).
 */

/** Exit codes, as `terraform plan -detailed-exitcode`. */
export const DriftExitCode = { clean: 0, error: 1, drift: 2 } as const;

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
  /** 0 clean, 1 error, 2 drift. */
  readonly exitCode: 0 | 1 | 2;
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

function canonical(v: Json | undefined): Json | undefined {
  if (Array.isArray(v)) return v.map((x) => canonical(x) as Json);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical(v[k]) as Json]),
    );
  }
  return v;
}

function flag(map: Json | undefined, key: string): boolean {
  if (!isObject(map)) return map === true;
  const v = map[key];
  if (v === true) return true;
  // A nested structure with any `true` inside means part of the value is sensitive/unknown.
  return v !== undefined && v !== null && typeof v === "object" && JSON.stringify(v).includes("true");
}

function show(v: Json | undefined): string {
  if (v === undefined || v === null) return "null";
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function action(actions: readonly string[]): PlannedAction | undefined {
  const a = [...actions].sort().join(",");
  if (a === "create,delete") return "replace";
  if (a === "create") return "create";
  if (a === "delete") return "delete";
  if (a === "update") return "update";
  return undefined; // no-op, read
}

function attributeChanges(change: Change, ignored: readonly string[]): AttributeChange[] {
  const before = isObject(change.before) ? (change.before as Record<string, Json>) : {};
  const after = isObject(change.after) ? (change.after as Record<string, Json>) : {};
  const keys = [
    ...new Set([
      ...Object.keys(before),
      ...Object.keys(after),
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
    out.push({
      attribute: key,
      before: sensitiveBefore ? "(sensitive)" : show(before[key]),
      after: unknown ? "(known after apply)" : sensitiveAfter ? "(sensitive)" : show(after[key]),
    });
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
  return { exitCode: resources.length === 0 ? 0 : 2, resources, text: render(stack, resources) };
}

const SYMBOL: Readonly<Record<PlannedAction, string>> = { create: "+", update: "~", delete: "-", replace: "-/+" };

function render(stack: string, resources: readonly ResourceDrift[]): string {
  if (resources.length === 0) return `${stack}: no drift\n`;
  const lines = [`${stack}: ${resources.length} difference${resources.length === 1 ? "" : "s"} between Vault and the configuration`];
  for (const r of resources) {
    const what =
      r.kind === "outside" ? `changed outside Terraform (${r.action === "delete" ? "deleted" : "modified"})` : `plan: ${r.action}`;
    lines.push(`  ${SYMBOL[r.action]} ${r.address}  ${what}`);
    for (const a of r.attributes) lines.push(`      ${a.attribute}: ${a.before} -> ${a.after}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Combine per-stack reports: any error → 1, else any drift → 2, else 0. */
export function combineReports(reports: readonly DriftReport[]): { exitCode: 0 | 1 | 2; text: string } {
  const exitCode = reports.some((r) => r.exitCode === 1) ? 1 : reports.some((r) => r.exitCode === 2) ? 2 : 0;
  return { exitCode, text: reports.map((r) => r.text).join("") };
}

/** Attributes the Vault provider is known to report spuriously (reference §1.4): a starting allow-list. */
export const KNOWN_FLAPPING_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  // tune blocks show a diff unless every value equals Vault's default (provider issue #2234).
  vault_auth_backend: ["tune"],
  vault_jwt_auth_backend: ["tune"],
  vault_ldap_auth_backend: ["tune"],
};
