/** Drift detection over Terraform plan JSON. */
export * from "./plan-drift";
export * from "./widening";
