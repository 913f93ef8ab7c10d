/**
 * Policy tests written in YAML and run offline by the evaluator (`vaultsmith policy test`):
 *
 * ```yaml
 * policies: ../policies        # policy directory, relative to this file (default: this file's directory)
 * flavor: vault                # or openbao (default vault)
 * cases:
 *   - name: app-a reads its own secrets
 *     role: app-a              # a role from roles.yaml, or `policies: [app-a, base]`
 *     path: secret/data/app-a/db
 *     operation: read
 *     expect: allow
 *     rule: secret/data/app-a/*   # optional: the rule that must decide
 *   - name: templated home directory
 *     policies: [user-home]
 *     identity: { entity: { id: e-1, name: alice } }
 *     path: secret/data/e-1/notes
 *     operation: update
 *     data: { note: hello }
 *     wrap_ttl: 60s
 *     expect: allow
 * ```
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { parseVaultDuration } from "./duration";
import { Decision, OPERATIONS, Operation, PolicyEvaluator } from "./policy-evaluator";
import { PolicyValidationError } from "./policy-error";
import { PolicySet, loadPolicySet, policiesOfRole } from "./policy-source";
import { RequestValue } from "./parameter-constraints";

const stringMap = z.record(z.string(), z.string());
const identitySchema = z
  .object({
    entity: z
      .object({
        id: z.string(),
        name: z.string(),
        metadata: stringMap.optional(),
        aliases: z
          .record(
            z.string(),
            z
              .object({
                id: z.string().optional(),
                name: z.string().optional(),
                metadata: stringMap.optional(),
                custom_metadata: stringMap.optional(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict()
      .optional(),
    groups: z.array(z.object({ id: z.string(), name: z.string(), metadata: stringMap.optional() }).strict()).optional(),
  })
  .strict();

const requestValue: z.ZodType<RequestValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(requestValue), z.record(z.string(), requestValue)]),
);

const caseSchema = z
  .object({
    name: z.string().min(1),
    role: z.string().optional(),
    policies: z.array(z.string()).min(1).optional(),
    identity: identitySchema.optional(),
    path: z.string().min(1),
    operation: z.enum(OPERATIONS as [Operation, ...Operation[]]),
    data: z.record(z.string(), requestValue).optional(),
    wrap_ttl: z.union([z.string(), z.number()]).optional(),
    root_protected: z.boolean().optional(),
    expect: z.enum(["allow", "deny"]),
    rule: z.string().optional(),
  })
  .strict()
  .refine((c) => (c.role === undefined) !== (c.policies === undefined), { message: "give exactly one of `role` and `policies`" });

const suiteSchema = z
  .object({
    policies: z.string().optional(),
    flavor: z.enum(["vault", "openbao"]).optional(),
    cases: z.array(caseSchema).min(1),
  })
  .strict();

/** One case's outcome. */
export interface PolicyTestResult {
  /** Case name. */
  readonly name: string;
  /** 1-based line of the case in the YAML file. */
  readonly line: number | undefined;
  /** Whether it passed. */
  readonly passed: boolean;
  /** Why it failed (readable), when it failed. */
  readonly failure?: string;
  /** The evaluator's decision. */
  readonly decision?: Decision;
}

/** A suite's outcome. */
export interface PolicyTestReport {
  /** The YAML file. */
  readonly file: string;
  /** Results in file order. */
  readonly results: readonly PolicyTestResult[];
}

/** One case of a suite, as written in the YAML file. */
export type PolicyTestCase = z.infer<typeof caseSchema>;

/** A loaded suite: its cases (with their 1-based lines) and the policy set they test. */
export interface LoadedPolicyTestSuite {
  /** The YAML file. */
  readonly file: string;
  /** The server whose policy rules apply (`flavor:`). */
  readonly flavor: "vault" | "openbao" | undefined;
  /** The policies and roles (`policies:` folder). */
  readonly set: PolicySet;
  /** Cases in file order. */
  readonly cases: readonly { readonly case: PolicyTestCase; readonly line: number | undefined }[];
}

/** Load and run the YAML suite at `file`. Throws `PolicyValidationError` (file and line) for a malformed suite. */
export async function runPolicyTestFile(file: string): Promise<PolicyTestReport> {
  const suite = await loadPolicyTestSuite(file);
  return { file, results: suite.cases.map(({ case: c, line }) => runCase(suite.set, c, suite.flavor, line, file)) };
}

/** Load the YAML suite at `file` without running it. Throws `PolicyValidationError` (file and line) for a malformed suite. */
export async function loadPolicyTestSuite(file: string): Promise<LoadedPolicyTestSuite> {
  const text = readFileSync(file, "utf8");
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    throw new PolicyValidationError(
      { file, line: error.linePos?.[0].line, column: error.linePos?.[0].col },
      `YAML: ${error.message.split("\n")[0]}`,
    );
  }
  const parsed = suiteSchema.safeParse(document.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const node = document.getIn(issue.path as (string | number)[], true) as { range?: [number] } | undefined;
    const caseNode = document.getIn(issue.path.slice(0, 2) as (string | number)[], true) as { range?: [number] } | undefined;
    const offset = node?.range?.[0] ?? caseNode?.range?.[0];
    const line = offset === undefined ? undefined : lineCounter.linePos(offset).line;
    throw new PolicyValidationError({ file, line }, issue.message, issue.path.join(".") || undefined);
  }
  const suite = parsed.data;
  const set = await loadPolicySet(resolve(dirname(file), suite.policies ?? "."), { flavor: suite.flavor });
  const cases = suite.cases.map((c, index) => {
    const node = document.getIn(["cases", index], true) as { range?: [number] } | undefined;
    return { case: c, line: node?.range ? lineCounter.linePos(node.range[0]).line : undefined };
  });
  return { file, flavor: suite.flavor, set, cases };
}

/** Run one case offline with the evaluator. */
export function runCase(
  set: PolicySet,
  c: PolicyTestCase,
  flavor: "vault" | "openbao" | undefined,
  line: number | undefined,
  file: string,
): PolicyTestResult {
  let docs;
  if (c.role !== undefined) {
    if (!(c.role in set.roles))
      return {
        name: c.name,
        line,
        passed: false,
        failure: `unknown role ${JSON.stringify(c.role)} (roles: ${Object.keys(set.roles).join(", ")})`,
      };
    docs = policiesOfRole(set, c.role);
  } else {
    const missing = (c.policies ?? []).filter((n) => !set.policies.some((p) => p.name === n));
    if (missing.length) return { name: c.name, line, passed: false, failure: `unknown policies: ${missing.join(", ")}` };
    docs = set.policies.filter((p) => c.policies?.includes(p.name));
  }
  const identity = c.identity
    ? {
        entity: c.identity.entity && {
          ...c.identity.entity,
          aliases: c.identity.entity.aliases
            ? Object.fromEntries(
                Object.entries(c.identity.entity.aliases).map(([k, a]) => [
                  k,
                  { id: a.id, name: a.name, metadata: a.metadata, customMetadata: a.custom_metadata },
                ]),
              )
            : undefined,
        },
        groups: c.identity.groups,
      }
    : undefined;
  let wrapTtlSeconds: number | undefined;
  if (c.wrap_ttl !== undefined) {
    try {
      wrapTtlSeconds = parseVaultDuration(c.wrap_ttl);
    } catch (error) {
      throw new PolicyValidationError({ file, line }, (error as Error).message, "wrap_ttl");
    }
  }
  const decision = new PolicyEvaluator(docs, { identity, flavor }).evaluate({
    path: c.path,
    operation: c.operation,
    data: c.data,
    wrapTtlSeconds,
    rootProtected: c.root_protected,
  });
  const got = decision.allowed ? "allow" : "deny";
  const problems: string[] = [];
  if (got !== c.expect) problems.push(`expected ${c.expect}, got ${got}: ${decision.explanation}`);
  if (c.rule !== undefined && decision.rule?.pattern !== c.rule) {
    problems.push(
      `expected rule ${JSON.stringify(c.rule)} to decide, but ${decision.rule ? `${JSON.stringify(decision.rule.pattern)} did` : "no rule matched"}`,
    );
  }
  return { name: c.name, line, passed: problems.length === 0, failure: problems.join("; ") || undefined, decision };
}

/** Human-readable report: one line per case, failures with their reason and location. */
export function formatTestReport(report: PolicyTestReport): string {
  const lines = report.results.map((r) =>
    r.passed ? `  ✓ ${r.name}` : `  ✗ ${r.name} (${report.file}:${r.line ?? "?"})\n      ${r.failure}`,
  );
  const failed = report.results.filter((r) => !r.passed).length;
  return `${report.file}\n${lines.join("\n")}\n${report.results.length - failed} passed, ${failed} failed\n`;
}
