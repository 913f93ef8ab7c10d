import * as policy from "../../../policies";

describe("vaultsmith/policy entry point", () => {
  it("exports the builder, renderer, parser and evaluator", async () => {
    const doc = new policy.PolicyBuilder("p").allow("secret/data/*", ["read"]).build();
    const text = policy.renderHcl(doc);
    const parsed = await policy.parsePolicy(text, { name: "p" });
    expect(new policy.PolicyEvaluator([parsed]).capabilities("secret/data/x")).toEqual(["read"]);
    expect(policy.CAPABILITIES).toContain("sudo");
  });
});
