/**
 * Differential proof of the request-level checks (parameter constraints, response-wrapping TTL
 * bounds, their merging across policies, operation → capability): random constrained policies are
 * loaded into a real server, real requests are sent to a KV v1 mount with a token holding them,
 * and "was it refused with 403" is compared with the evaluator's decision.
 *
 * Knobs: VAULTSMITH_POLICY_REQ_RUNS (default 300 policy sets, 6 requests each), VAULTSMITH_POLICY_DIFF_SEED.
 */
import fc from "fast-check";
import { renderHcl } from "../../../policies/hcl-render";
import { PathRule, PolicyDocument } from "../../../policies/policy-document";
import { EvaluationRequest, PolicyEvaluator } from "../../../policies/policy-evaluator";
import { RequestValue } from "../../../policies/parameter-constraints";
import { DevServer, startDevServer } from "../../support/dev-server";
import { selectedFlavors } from "../../support/server-binaries";
import { RealRequest, mountKv1, sendAs, tokenWithPolicies, writePolicy } from "./policy-server";

const RUNS = Number(process.env.VAULTSMITH_POLICY_REQ_RUNS ?? 300);
const SEED = Number(process.env.VAULTSMITH_POLICY_DIFF_SEED ?? Date.now() % 2 ** 31);

const names = fc.constantFrom("a", "b", "c", "B");
const policyValues = fc.subarray(["x", "y", "x*", "*y", "*x*", "xy", "x,y"], { maxLength: 3 });
/** `value` in roughly one case out of `oneIn`, otherwise undefined. */
function sometimes<T>(value: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });
}
// Keys that differ only in case are refused by the validator (Vault would keep one at random).
const params = sometimes(
  fc.dictionary(fc.oneof(names, fc.constant("*")), policyValues, { maxKeys: 3 }).filter((d) => !("b" in d && "B" in d)),
  3,
);
const ttl = sometimes(fc.constantFrom(30, 60, 120), 5);

const ruleArb: fc.Arbitrary<PathRule> = fc
  .record({
    path: fc.constantFrom("kv1/*", "kv1/+", "kv1/k*"),
    capabilities: fc.constantFrom<PathRule["capabilities"]>(
      ["create", "read", "update"],
      ["create", "update"],
      ["read"],
      ["create", "read", "update", "list"],
    ),
    allowedParameters: params,
    deniedParameters: params,
    requiredParameters: sometimes(fc.subarray(["a", "b", "C"], { minLength: 1 }), 5),
    min: ttl,
    max: ttl,
  })
  .map(({ min, max, ...rule }) => {
    const out: PathRule = { ...rule };
    const bounded = min !== undefined && max !== undefined && max < min ? { min: max, max: min } : { min, max };
    return {
      ...Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)),
      ...(bounded.min !== undefined ? { minWrappingTtlSeconds: bounded.min } : {}),
      ...(bounded.max !== undefined ? { maxWrappingTtlSeconds: bounded.max } : {}),
    } as PathRule;
  });

const scalar: fc.Arbitrary<RequestValue> = fc.oneof(
  fc.constantFrom<RequestValue>("x", "y", "xy", "yx", "x,y", "y, x", "", "z"),
  fc.constantFrom<RequestValue>(1, true),
);
const requestValue: fc.Arbitrary<RequestValue> = fc.oneof(
  { weight: 3, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);
const requestArb = fc.record({
  operation: fc.constantFrom<"create" | "read">("create", "create", "read"),
  data: fc.dictionary(fc.constantFrom("a", "b", "c", "A", "C"), requestValue, { maxKeys: 2 }),
  wrapTtlSeconds: sometimes(fc.constantFrom(10, 45, 90, 200), 3),
});

describe.each(selectedFlavors())("request checks agree with a real %s server", (flavor) => {
  let server: DevServer;
  let counter = 0;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    await mountKv1(server, "kv1");
  });

  afterAll(async () => {
    await server?.stop();
  });

  it(`decides real KV v1 requests like the server on ${RUNS} random constrained policy sets (seed ${SEED})`, async () => {
    let cases = 0;
    let refused = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(ruleArb, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
        fc.array(requestArb, { minLength: 6, maxLength: 6 }),
        async (ruleSets, requests) => {
          const run = counter++;
          const policies: PolicyDocument[] = ruleSets.map((rules, i) => ({ name: `req-${run}-${i}`, rules }));
          for (const doc of policies) await writePolicy(server, doc.name, renderHcl(doc));
          const token = await tokenWithPolicies(
            server,
            policies.map((p) => p.name),
          );
          const evaluator = new PolicyEvaluator(policies, { flavor });
          const wrong: unknown[] = [];
          for (const [i, r] of requests.entries()) {
            const path = `kv1/k${run}-${i}`;
            const real: RealRequest =
              r.operation === "create"
                ? { method: "PUT", path, body: r.data, wrapTtlSeconds: r.wrapTtlSeconds }
                : { method: "GET", path, wrapTtlSeconds: r.wrapTtlSeconds };
            const evaluation: EvaluationRequest = {
              path,
              operation: r.operation,
              data: r.operation === "create" ? r.data : {},
              wrapTtlSeconds: r.wrapTtlSeconds,
            };
            const answer = await sendAs(server, token, real);
            const decision = evaluator.evaluate(evaluation);
            cases++;
            if (answer.status === 403) refused++;
            if (decision.allowed === (answer.status === 403))
              wrong.push({ request: real, status: answer.status, errors: answer.errors, decision });
          }
          if (wrong.length > 0) {
            throw new Error(
              `disagreement:\n${policies.map((p) => `# ${p.name}\n${renderHcl(p)}`).join("\n")}\n${JSON.stringify(wrong, null, 1)}`,
            );
          }
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );
    console.log(
      `[${flavor}] request differential: ${cases} requests (${refused} refused) over ${RUNS} policy sets, seed ${SEED}, ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    expect(cases).toBeGreaterThanOrEqual(RUNS * 6);
    // Both outcomes must be well represented, or the comparison proves little.
    expect(refused).toBeGreaterThan(cases / 10);
    expect(cases - refused).toBeGreaterThan(cases / 10);
  }, 900_000);
});
