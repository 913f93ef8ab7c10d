import { join } from "node:path";
import { PolicyValidationError } from "../../../policies/policy-error";
import { formatTestReport, runPolicyTestFile } from "../../../policies/policy-test-suite";

const ESTATE = join(__dirname, "../../fixtures/policies/estate");

describe("runPolicyTestFile", () => {
  it("runs every case and passes a correct suite", async () => {
    const report = await runPolicyTestFile(join(ESTATE, "policy-tests.yaml"));
    expect(report.results.map((r) => [r.name, r.passed])).toEqual([
      ["app-a reads its own secrets", true],
      ["app-a lists its own keys", true],
      ["app-a cannot write other apps' secrets", true],
      ["ops reads the audit devices only with sudo", true],
      ["every role can look itself up", true],
      ["a user writes in their own home directory", true],
      ["a user cannot write in someone else's home directory", true],
    ]);
  });

  it("explains failures with the deciding rule and the case's line", async () => {
    const report = await runPolicyTestFile(join(ESTATE, "failing-tests.yaml"));
    expect(report.results.map((r) => r.passed)).toEqual([false, false]);
    const text = formatTestReport({ ...report, file: "failing-tests.yaml" });
    expect(text).toContain("✗ ops may read prod secrets (failing-tests.yaml:3)");
    expect(text).toContain('expected allow, got deny: rule "secret/data/prod/*" (policy "ops") denies "secret/data/prod/db"');
    expect(text).toContain('expected rule "secret/data/+/db" to decide, but "secret/data/app-a/*" did');
    expect(text).toContain("0 passed, 2 failed");
  });

  it("rejects a malformed suite with file, line and field", async () => {
    const error = await runPolicyTestFile(join(ESTATE, "bad-suite.yaml")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyValidationError);
    expect((error as PolicyValidationError).line).toBe(3);
    expect((error as PolicyValidationError).field).toBe("cases.0.operation");
  });
});
