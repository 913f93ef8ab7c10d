/**
 * Differential proof: random policy sets and request paths are loaded into a real server and the
 * server's `sys/capabilities` answer is compared with the offline evaluator's. Every disagreement
 * is shrunk by fast-check to a minimal policy set and path list.
 *
 * Knobs: VAULTSMITH_POLICY_DIFF_RUNS (policy sets per server, default 400: about 23,000 path checks), VAULTSMITH_POLICY_DIFF_SEED.
 */
import fc from "fast-check";
import { renderHcl } from "../../../policies/hcl-render";
import { PolicyDocument } from "../../../policies/policy-document";
import { PolicyEvaluator } from "../../../policies/policy-evaluator";
import { SERVER_CAPABILITIES } from "../../../policies/server-flavor";
import { DevServer, startDevServer } from "../../support/dev-server";
import { selectedFlavors } from "../../support/server-binaries";
import { pathsArbitrary, pathsNearPatterns, policySetArbitrary } from "./policy-arbitraries";
import { serverCapabilities, tokenWithPolicies, writePolicy } from "./policy-server";

const RUNS = Number(process.env.VAULTSMITH_POLICY_DIFF_RUNS ?? 400);
const SEED = Number(process.env.VAULTSMITH_POLICY_DIFF_SEED ?? Date.now() % 2 ** 31);
const RANDOM_PATHS = 24;

describe.each(selectedFlavors())("policy evaluator agrees with a real %s server", (flavor) => {
  let server: DevServer;
  let counter = 0;

  beforeAll(async () => {
    server = await startDevServer(flavor);
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** Load `policies` under fresh names; return the paths where server and evaluator disagree. */
  async function disagreements(policies: readonly PolicyDocument[], paths: readonly string[]) {
    const run = counter++;
    const named = policies.map((p, i) => ({ ...p, name: `diff-${run}-${i}` }));
    for (const doc of named) await writePolicy(server, doc.name, renderHcl(doc));
    const token = await tokenWithPolicies(
      server,
      named.map((p) => p.name),
    );
    const answer = await serverCapabilities(server, token, paths);
    const evaluator = new PolicyEvaluator(named, { flavor });
    const out: { path: string; server: string[]; evaluator: string[] }[] = [];
    for (const path of paths) {
      const expected = [...(answer[path] ?? [])].sort();
      const actual = evaluator.capabilities(path);
      if (expected.join(",") !== actual.join(",")) out.push({ path, server: expected, evaluator: actual });
    }
    return { out, checked: paths.length };
  }

  it(`matches sys/capabilities on ${RUNS} random policy sets (seed ${SEED})`, async () => {
    let cases = 0;
    const started = Date.now();
    const caps = SERVER_CAPABILITIES[flavor];
    await fc.assert(
      fc.asyncProperty(policySetArbitrary(caps), pathsArbitrary(RANDOM_PATHS), async (policies, randomPaths) => {
        const paths = [...new Set([...pathsNearPatterns(policies), ...randomPaths])];
        const { out, checked } = await disagreements(policies, paths);
        cases += checked;
        if (out.length > 0) {
          throw new Error(
            `disagreement:\n${policies.map((p) => `# ${p.name}\n${renderHcl(p)}`).join("\n")}\n${JSON.stringify(out, null, 1)}`,
          );
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );
    console.log(
      `[${flavor}] policy differential: ${cases} path checks over ${RUNS} policy sets, seed ${SEED}, ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    expect(cases).toBeGreaterThanOrEqual(Math.min(10_000, RUNS * 20));
  }, 900_000);
});
