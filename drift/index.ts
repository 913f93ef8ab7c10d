/** `vaultsmith/drift`: drift detection over Terraform plan JSON — the report, its exit code, access-widening text. */
export { analysePlan, combineReports, KNOWN_FLAPPING_ATTRIBUTES } from "./plan-drift";
export type {
  AnalyseOptions,
  AttributeChange,
  DriftExitCode,
  DriftReport,
  ExplainOptions,
  PlannedAction,
  ResourceDrift,
} from "./plan-drift";
export { formatWidening } from "./widening";
export type { WideningChange } from "./widening";
export type { PolicyServerFlavor } from "../policies/server-flavor";
