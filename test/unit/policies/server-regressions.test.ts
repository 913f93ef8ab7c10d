import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parsePolicy } from "../../../policies/policy-parse";
import { PolicyEvaluator } from "../../../policies/policy-evaluator";
import { RequestValue } from "../../../policies/parameter-constraints";

interface Regressions {
  capabilities: { name: string; policies: string[]; expected: Record<string, Record<"openbao" | "vault", string[]>> }[];
  requests: {
    name: string;
    policies: string[];
    request: { operation: "create" | "read"; data: Record<string, RequestValue> };
    expected: Record<"openbao" | "vault", "allowed" | "refused">;
  }[];
}

const regressions = JSON.parse(readFileSync(join(__dirname, "../../fixtures/policies/server-regressions.json"), "utf8")) as Regressions;

async function evaluator(policies: readonly string[], flavor: "openbao" | "vault"): Promise<PolicyEvaluator> {
  const docs = await Promise.all(policies.map((text, i) => parsePolicy(text, { name: `r${i}`, flavor })));
  return new PolicyEvaluator(docs, { flavor });
}

describe.each(["openbao", "vault"] as const)("server regressions (%s)", (flavor) => {
  it.each(regressions.capabilities)("capabilities: $name", async ({ policies, expected }) => {
    const e = await evaluator(policies, flavor);
    for (const [path, byFlavor] of Object.entries(expected)) expect([path, e.capabilities(path)]).toEqual([path, byFlavor[flavor]]);
  });

  it.each(regressions.requests)("requests: $name", async ({ policies, request, expected }) => {
    const e = await evaluator(policies, flavor);
    const decision = e.evaluate({ path: "kv1/k", operation: request.operation, data: request.data });
    expect(decision.allowed ? "allowed" : "refused").toBe(expected[flavor]);
  });
});
