/**
 * Fuzzing the plan reader: `analysePlan` takes `terraform show -json` output as text or parsed
 * JSON. Random text, mutated real plans and arbitrary JSON (also grafted into a real plan's
 * resource changes) yield a report — a refusal is a report with exit code 1 and a reason — and
 * never an exception.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { DriftExitCode, analysePlan } from "../../../drift/plan-drift";
import { fuzz, textAround } from "../../support/fuzz";

const plan = readFileSync(join(__dirname, "../../fixtures/constructs/plans/role-changed-out-of-band.json"), "utf8");

function reportOnly(input: unknown): void {
  const report = analysePlan(input, { stack: "fuzz" });
  expect(Object.values(DriftExitCode)).toContain(report.exitCode);
}

describe("plan JSON under fuzzing", () => {
  it("the valid seed of the mutations reports drift", () => {
    expect(analysePlan(plan, { stack: "fuzz" }).exitCode).toBe(DriftExitCode.drift);
  });

  it("random and mutated plan text", () => {
    fuzz("plan JSON text (analysePlan)", textAround(plan), reportOnly, 1_000);
  });

  it("arbitrary JSON values, bare and grafted into a real plan", () => {
    const parsed = JSON.parse(plan) as { resource_changes: Record<string, unknown>[] };
    const grafted = fc
      .tuple(fc.nat(), fc.constantFrom("change", "type", "address", "mode", "name", "provider_name"), fc.jsonValue())
      .map(([i, key, value]) => {
        const copy = structuredClone(parsed);
        const rc = copy.resource_changes[i % copy.resource_changes.length];
        rc[key] = value;
        return copy;
      });
    const inChange = fc
      .tuple(
        fc.nat(),
        fc.constantFrom("actions", "before", "after", "after_unknown", "before_sensitive", "after_sensitive"),
        fc.jsonValue(),
      )
      .map(([i, key, value]) => {
        const copy = structuredClone(parsed);
        const rc = copy.resource_changes[i % copy.resource_changes.length] as { change: Record<string, unknown> };
        rc.change[key] = value;
        return copy;
      });
    fuzz("plan JSON values (analysePlan)", fc.oneof(fc.jsonValue(), grafted, inChange), reportOnly, 1_500);
  });
});
