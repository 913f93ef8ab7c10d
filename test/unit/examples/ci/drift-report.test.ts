import { readFileSync } from "node:fs";
import { join } from "node:path";
import { driftReport } from "../../../../examples/ci/drift-report";

const PLANS = join(__dirname, "../../../fixtures/constructs/plans");

describe("examples/ci/drift-report", () => {
  const read = (p: string): string => readFileSync(join(PLANS, p), "utf8");

  it("exits 0 for clean stacks, 2 with the list on drift, 1 on errors and unreadable plans", () => {
    expect(driftReport(["one-mount=clean.json"], read)).toEqual({ exitCode: 0, text: "one-mount: no drift\n" });
    const drift = driftReport(["one-mount=clean.json", "cassandra=role-changed-out-of-band.json"], read);
    expect(drift.exitCode).toBe(2);
    expect(drift.text).toContain("cassandra: 3 differences between Vault and the configuration");
    expect(driftReport(["x=errored.json"], read).exitCode).toBe(1);
    expect(driftReport(["x=missing.json"], read)).toMatchObject({
      exitCode: 1,
      text: expect.stringMatching(/^x: error: cannot read missing\.json/),
    });
    expect(driftReport([], read).exitCode).toBe(1);
  });

  it("the tune-only flapping of auth mounts is not reported", () => {
    expect(driftReport(["s=replace-and-create.json"], read).text).not.toContain("vault_auth_backend");
  });
});
