/**
 * Which resources of a drift report widen access: for `vaultsmith drift --fail-on-widen`.
 *
 * A changed `vault_policy` widens access when its new text grants something the old one did not
 * (a capability gained on a path, a parameter constraint loosened), as the policy engine judges
 * it ({@link explainPolicyChanges}). "New" follows Terraform's direction in each section:
 *
 * - changed outside Terraform (`resource_drift`): from the state to what the server holds now —
 *   someone widened a policy by hand;
 * - the configuration would change (`resource_changes`): from the server to the configuration —
 *   applying would widen it.
 */
import { DriftExitCode, DriftReport, ExplainOptions, ResourceDrift, explainPolicyChanges } from "./plan-drift";

/** One resource whose policy change widens access. */
export interface WideningChange {
  /** Resource address, e.g. `vault_policy.app`. */
  readonly address: string;
  /** `outside`: widened outside Terraform; `planned`: the configuration would widen it. */
  readonly kind: ResourceDrift["kind"];
}

/** The resources of `report` (an {@link analysePlan} report) whose policy changes widen access, in report order. */
export async function wideningChanges(report: DriftReport, options: ExplainOptions = {}): Promise<WideningChange[]> {
  if (report.exitCode !== DriftExitCode.drift) return [];
  const widened: WideningChange[] = [];
  for (const resource of report.resources) {
    if (!resource.attributes.some((a) => a.attribute === "policy")) continue;
    const one = await explainPolicyChanges({ ...report, resources: [resource] }, options);
    if (one.widens) widened.push({ address: resource.address, kind: resource.kind });
  }
  return widened;
}

/** The lines that name widening changes, e.g. `cassandra: vault_policy.app widened outside Terraform`. */
export function formatWidening(stack: string, changes: readonly WideningChange[]): string {
  return changes
    .map((c) => `${stack}: ${c.address} ${c.kind === "outside" ? "widened outside Terraform" : "would be widened by the configuration"}\n`)
    .join("");
}
