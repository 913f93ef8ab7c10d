/**
 * YAML policy tests against a live server (`vaultsmith policy test --live`): the same cases the
 * evaluator runs offline, asked of the server that holds the deployed policies, so a deployed
 * estate can be verified.
 *
 * For each case the server is asked, through `sys/capabilities`, what a token holding exactly the
 * case's policies (by name, as deployed; `default` only when listed) may do on the case's path.
 * The case passes live when that grants the operation's capability (and `sudo` on a
 * root-protected path) exactly when the case expects `allow`. The tokens are children of the
 * caller's token, live five minutes and are revoked at the end; the caller's token must be allowed
 * to create tokens with those policies (root, or `sudo` on `auth/token/create`).
 *
 * `sys/capabilities` knows a path's capabilities, not a request's body or the caller's identity,
 * so cases it cannot judge are reported as skipped, with why: identity templates (the test token
 * has no entity), `help` (always allowed), and `deny` expectations that rest on parameter
 * constraints or wrapping TTLs. An `allow` case with a body is still checked: the capability
 * must be there.
 */
import { POLICIES, Requester } from "../runtime/transport/requester";
import { OPERATION_CAPABILITY } from "./policy-evaluator";
import { LoadedPolicyTestSuite, PolicyTestCase, loadPolicyTestSuite, runCase } from "./policy-test-suite";
import { isRootProtected } from "./root-paths";

/** What a live server answers about capabilities. */
export interface LiveCapabilitySource {
  /** Where the answers come from, for the report (an address). */
  readonly description: string;
  /** Policy names the server does not hold, of `names`. */
  missingPolicies(names: readonly string[]): Promise<string[]>;
  /** The capabilities a token holding exactly `policies` has on `path`, as `sys/capabilities` reports them. */
  capabilities(policies: readonly string[], path: string): Promise<string[]>;
  /** Revoke what was created and release connections. */
  close(): Promise<void>;
}

/** One case judged live. */
export interface LivePolicyTestResult {
  /** Case name. */
  readonly name: string;
  /** 1-based line of the case in the YAML file. */
  readonly line: number | undefined;
  /** `pass`, `fail`, or `skip` (the server cannot judge this case through `sys/capabilities`). */
  readonly outcome: "pass" | "fail" | "skip";
  /** Why it failed or was skipped; for a pass, what the server granted. */
  readonly detail: string;
  /** What the server reported, when asked. */
  readonly capabilities?: readonly string[];
}

/** A suite judged live. */
export interface LivePolicyTestReport {
  /** The YAML file. */
  readonly file: string;
  /** Where the answers came from. */
  readonly server: string;
  /** Results in file order. */
  readonly results: readonly LivePolicyTestResult[];
}

/** The policy names a case's token holds. */
function policyNames(suite: LoadedPolicyTestSuite, c: PolicyTestCase): readonly string[] | string {
  if (c.role !== undefined) {
    const names = suite.set.roles[c.role];
    return names ?? `unknown role ${JSON.stringify(c.role)} (roles: ${Object.keys(suite.set.roles).join(", ")})`;
  }
  return c.policies ?? [];
}

/** Why `sys/capabilities` cannot judge `c`, or undefined when it can. */
export function whyNotLive(suite: LoadedPolicyTestSuite, c: PolicyTestCase, line: number | undefined): string | undefined {
  if (c.operation === "help") return "help requests are always allowed";
  if (c.identity) return "identity templates need the caller's entity; a test token has none (checked offline only)";
  if (c.expect === "deny") {
    const offline = runCase(suite.set, c, suite.flavor, line, suite.file).decision;
    if (offline?.reason === "parameters") return "the denial rests on parameter constraints, which sys/capabilities does not see";
    if (offline?.reason === "wrapping-ttl") return "the denial rests on a wrapping TTL, which sys/capabilities does not see";
  }
  return undefined;
}

/** Whether `capabilities` (from the server) allow `c`'s operation on its path. */
export function liveAllows(c: PolicyTestCase, capabilities: readonly string[]): { allowed: boolean; needed: string[] } {
  if (c.operation === "help") return { allowed: true, needed: [] };
  const needed: string[] = [OPERATION_CAPABILITY[c.operation]];
  if (c.root_protected ?? isRootProtected(c.path)) needed.push("sudo");
  if (capabilities.includes("root")) return { allowed: true, needed };
  if (capabilities.includes("deny")) return { allowed: false, needed };
  return { allowed: needed.every((n) => capabilities.includes(n)), needed };
}

/** Run the YAML suite at `file` against `server`. Throws `PolicyValidationError` for a malformed suite. */
export async function runLivePolicyTestFile(file: string, server: LiveCapabilitySource): Promise<LivePolicyTestReport> {
  const suite = await loadPolicyTestSuite(file);
  const results: LivePolicyTestResult[] = [];
  for (const { case: c, line } of suite.cases) {
    const base = { name: c.name, line };
    const skip = whyNotLive(suite, c, line);
    if (skip) {
      results.push({ ...base, outcome: "skip", detail: skip });
      continue;
    }
    const names = policyNames(suite, c);
    if (typeof names === "string") {
      results.push({ ...base, outcome: "fail", detail: names });
      continue;
    }
    const missing = await server.missingPolicies(names);
    if (missing.length > 0) {
      results.push({ ...base, outcome: "fail", detail: `the server holds no policy ${missing.map((m) => JSON.stringify(m)).join(", ")}` });
      continue;
    }
    const capabilities = await server.capabilities(names, c.path);
    const { allowed, needed } = liveAllows(c, capabilities);
    const got = allowed ? "allow" : "deny";
    const granted = `${c.path}: ${capabilities.join(", ")}`;
    results.push(
      got === c.expect
        ? { ...base, outcome: "pass", detail: granted, capabilities }
        : {
            ...base,
            outcome: "fail",
            detail: `expected ${c.expect}, the server says ${got} (${c.operation} needs ${needed.join(" + ")}; ${granted})`,
            capabilities,
          },
    );
  }
  return { file, server: server.description, results };
}

/** Human-readable live report: one line per case. */
export function formatLiveTestReport(report: LivePolicyTestReport): string {
  const lines = report.results.map((r) => {
    if (r.outcome === "pass") return `  ✓ ${r.name} [${r.detail}]`;
    if (r.outcome === "skip") return `  - ${r.name} (skipped: ${r.detail})`;
    return `  ✗ ${r.name} (${report.file}:${r.line ?? "?"})\n      ${r.detail}`;
  });
  const count = (o: LivePolicyTestResult["outcome"]) => report.results.filter((r) => r.outcome === o).length;
  return `${report.file} (live: ${report.server})\n${lines.join("\n")}\n${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped\n`;
}

/** Options of {@link HttpCapabilitySource}. */
export interface HttpCapabilitySourceOptions {
  /**
   * Sends the requests, with a token that may create tokens with the tested policies, in the
   * namespace the policies live in (a `VaultClient`: failover, retries, metrics).
   * The caller owns it.
   */
  readonly requester: Requester;
  /** Names the server in reports: its address and namespace, never a token. */
  readonly description: string;
}

/** {@link LiveCapabilitySource} over the HTTP API: one short-lived child token per policy set. */
export class HttpCapabilitySource implements LiveCapabilitySource {
  readonly description: string;
  readonly #requester: Requester;
  readonly #tokens = new Map<string, Promise<string>>();
  readonly #known = new Map<string, Promise<boolean>>();

  constructor(options: HttpCapabilitySourceOptions) {
    this.description = options.description;
    this.#requester = options.requester;
  }

  /** {@inheritDoc LiveCapabilitySource.missingPolicies} */
  async missingPolicies(names: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const name of names) {
      if (name === "default" || name === "root") continue;
      let known = this.#known.get(name);
      if (!known) {
        known = this.#requester
          .request({ method: "GET", path: `sys/policies/acl/${encodeURIComponent(name)}`, acceptStatus: [404] }, POLICIES.read)
          .then((r) => r.status !== 404);
        this.#known.set(name, known);
      }
      if (!(await known)) missing.push(name);
    }
    return missing;
  }

  /** {@inheritDoc LiveCapabilitySource.capabilities} */
  async capabilities(policies: readonly string[], path: string): Promise<string[]> {
    const token = await this.tokenFor(policies);
    // A question, not a change: harmless to repeat.
    const res = await this.#requester.request<{ capabilities?: string[]; data?: Record<string, string[]> }>(
      { method: "POST", path: "sys/capabilities", body: { token, paths: [path] } },
      POLICIES.idempotentWrite,
    );
    const body = res.body ?? {};
    return [...(body.data?.[path] ?? body.capabilities ?? [])].sort();
  }

  private tokenFor(policies: readonly string[]): Promise<string> {
    const key = [...new Set(policies)].sort().join(",");
    let token = this.#tokens.get(key);
    if (!token) {
      const body = {
        policies: key.split(",").filter(Boolean),
        no_default_policy: !policies.includes("default"),
        ttl: "5m",
        explicit_max_ttl: "5m",
        display_name: "vaultsmith-policy-test",
        renewable: false,
      };
      token = this.#requester
        .request<{ auth?: { client_token?: string } }>({ method: "POST", path: "auth/token/create", body }, POLICIES.creatingWrite)
        .then((r) => {
          const t = r.body?.auth?.client_token;
          if (!t) throw new Error("auth/token/create returned no token");
          return t;
        });
      this.#tokens.set(key, token);
    }
    return token;
  }

  /** {@inheritDoc LiveCapabilitySource.close} Revokes the child tokens; the requester stays open. */
  async close(): Promise<void> {
    const tokens = [...this.#tokens.values()];
    this.#tokens.clear();
    for (const token of tokens) {
      const t = await token.catch(() => undefined);
      if (t)
        await this.#requester
          .request({ method: "POST", path: "auth/token/revoke", body: { token: t } }, POLICIES.creatingWrite)
          .catch(() => undefined);
    }
  }
}
