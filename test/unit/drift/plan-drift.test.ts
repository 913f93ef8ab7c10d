import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  KNOWN_FLAPPING_ATTRIBUTES,
  analysePlan,
  canonical,
  combineReports,
  explainPolicyChanges,
  lineDiff,
} from "../../../drift/plan-drift";

const plan = (name: string): string => readFileSync(join(__dirname, "../../fixtures/constructs/plans", name), "utf8");

describe("analysePlan", () => {
  it("a plan with only no-op and data reads is clean: exit 0", () => {
    const report = analysePlan(plan("clean.json"), { stack: "cassandra" });
    expect(report).toEqual({ exitCode: 0, resources: [], text: "cassandra: no drift\n" });
  });

  it("an out-of-band role change is drift: exit 3, with what changed outside and what the plan would do", () => {
    const report = analysePlan(JSON.parse(plan("role-changed-out-of-band.json")), { stack: "cassandra" });
    expect(report.exitCode).toBe(3);
    expect(report.resources[0]).toEqual({
      address: "vault_pki_secret_backend_role.pki-pki_role-server-cert_role_F114CD47",
      type: "vault_pki_secret_backend_role",
      kind: "outside",
      action: "update",
      attributes: [
        { attribute: "allowed_domains", before: '["example.com"]', after: '["example.com","evil.example.net"]' },
        { attribute: "ttl", before: '"2592000"', after: '"86400"' },
      ],
    });
    expect(report.resources[2]).toEqual({
      address: "vault_database_secret_backend_connection.database_connection-cassandra_1",
      type: "vault_database_secret_backend_connection",
      kind: "planned",
      action: "update",
      attributes: [{ attribute: "cassandra", before: "(sensitive)", after: "(sensitive)" }],
    });
    expect(report.text).toBe(
      [
        "cassandra: 3 differences between Vault and the configuration",
        "  changed outside Terraform (refresh):",
        "  ~ vault_pki_secret_backend_role.pki-pki_role-server-cert_role_F114CD47  changed outside Terraform (modified)",
        '      allowed_domains: ["example.com"] -> ["example.com","evil.example.net"]',
        '      ttl: "2592000" -> "86400"',
        "  the configuration would change (plan):",
        "  ~ vault_pki_secret_backend_role.pki-pki_role-server-cert_role_F114CD47  plan: update",
        '      allowed_domains: ["example.com","evil.example.net"] -> ["example.com"]',
        '      ttl: "86400" -> "2592000"',
        "  ~ vault_database_secret_backend_connection.database_connection-cassandra_1  plan: update",
        "      cassandra: (sensitive) -> (sensitive)",
        "",
      ].join("\n"),
    );
    expect(report.text).not.toMatch(/old|new"/);
  });

  it("replacements, creations and deletions; unknown values are shown as such", () => {
    const report = analysePlan(plan("replace-and-create.json"));
    expect(report.exitCode).toBe(3);
    expect(report.resources.map((r) => [r.action, r.type])).toEqual([
      ["replace", "vault_pki_secret_backend_intermediate_cert_request"],
      ["create", "vault_mount"],
      ["delete", "vault_audit"],
      ["update", "vault_auth_backend"],
    ]);
    expect(report.resources[0].attributes).toEqual([
      { attribute: "common_name", before: '"Issuing CA"', after: '"Issuing CA v2"' },
      { attribute: "csr", before: '"-----BEGIN CERTIFICATE REQUEST-----"', after: "(known after apply)" },
    ]);
    expect(report.text).toContain("  -/+ vault_pki_secret_backend_intermediate_cert_request.pki-pki_csr_1E7BD173  plan: replace");
  });

  it("known-flapping attributes can be allowed: a tune-only difference is not drift", () => {
    const report = analysePlan(plan("replace-and-create.json"), { ignoreAttributes: KNOWN_FLAPPING_ATTRIBUTES });
    expect(report.resources.map((r) => r.type)).not.toContain("vault_auth_backend");
    expect(report.exitCode).toBe(3);
  });

  it("errors: exit 1 with the reason", () => {
    expect(analysePlan(plan("errored.json"))).toMatchObject({ exitCode: 1, error: "the plan errored; run terraform plan to see why" });
    expect(analysePlan("{not json")).toMatchObject({ exitCode: 1, error: expect.stringMatching(/^the plan is not JSON/) });
    expect(analysePlan({ resource_changes: [] })).toMatchObject({ exitCode: 1, error: "not a Terraform plan: format_version is missing" });
    expect(analysePlan({ format_version: "2.0" })).toMatchObject({ exitCode: 1, error: "unsupported plan format_version 2.0" });
    expect(analysePlan({ format_version: "1.2", resource_changes: {} })).toMatchObject({
      exitCode: 1,
      error: '"resource_changes" is not a list',
    });
    expect(analysePlan({ format_version: "1.2", resource_changes: [{ address: "x" }] })).toMatchObject({
      exitCode: 1,
      error: 'malformed resource_changes entry "x"',
    });
    expect(analysePlan([1]).exitCode).toBe(1);
  });

  it("a plan with only out-of-band drift and no planned change is drift: exit 3", () => {
    // A refresh found the mount changed and an audit device deleted outside Terraform, while the
    // configuration plans nothing (e.g. ignore_changes): still drift, never "clean".
    const outsideOnly = {
      format_version: "1.2",
      resource_drift: [
        {
          address: "vault_mount.kv",
          mode: "managed",
          type: "vault_mount",
          change: { actions: ["update"], before: { path: "kv", description: "app secrets" }, after: { path: "kv", description: "hacked" } },
        },
        {
          address: "vault_audit.file",
          mode: "managed",
          type: "vault_audit",
          change: { actions: ["delete"], before: { path: "file" }, after: null },
        },
      ],
      resource_changes: [
        { address: "vault_mount.kv", mode: "managed", type: "vault_mount", change: { actions: ["no-op"], before: {}, after: {} } },
        { address: "data.vault_generic_secret.x", mode: "data", type: "vault_generic_secret", change: { actions: ["read"] } },
      ],
    };
    const report = analysePlan(outsideOnly, { stack: "tenant" });
    expect(report.exitCode).toBe(3);
    expect(report.resources.map((r) => [r.kind, r.action, r.address])).toEqual([
      ["outside", "update", "vault_mount.kv"],
      ["outside", "delete", "vault_audit.file"],
    ]);
    expect(report.text).toBe(
      [
        "tenant: 2 differences between Vault and the configuration",
        "  changed outside Terraform (refresh):",
        "  ~ vault_mount.kv  changed outside Terraform (modified)",
        '      description: "app secrets" -> "hacked"',
        "  - vault_audit.file  changed outside Terraform (deleted)",
        "",
      ].join("\n"),
    );
    expect(combineReports([analysePlan(plan("clean.json")), report]).exitCode).toBe(3);
  });

  it("malformed or unsupported plans are errors, not clean: resource_drift shape, format_version prefix", () => {
    expect(analysePlan({ format_version: "1.2", resource_drift: "x" })).toMatchObject({
      exitCode: 1,
      error: '"resource_drift" is not a list',
    });
    expect(analysePlan({ format_version: "1.2", resource_drift: [{ address: "y", type: "t", change: {} }] })).toMatchObject({
      exitCode: 1,
      error: 'malformed resource_drift entry "y"',
    });
    expect(analysePlan({ format_version: "1.2", resource_changes: [{ type: "t", change: { actions: [] } }] })).toMatchObject({
      exitCode: 1,
      error: "malformed resource_changes entry null",
    });
    for (const version of ["10.0", "21.0", "0.1.0", "", "1"]) expect(analysePlan({ format_version: version }).exitCode).toBe(1);
    expect(analysePlan({ format_version: 1.2 }).exitCode).toBe(1);
    expect(analysePlan({ format_version: "1.0" })).toEqual({ exitCode: 0, resources: [], text: "stack: no drift\n" });
    expect(analysePlan(null).exitCode).toBe(1);
    expect(analysePlan("").exitCode).toBe(1);
    expect(analysePlan('{"format_version":"1.2"} trailing').exitCode).toBe(1);
  });

  it("combines stacks: error beats drift beats clean", () => {
    const clean = analysePlan(plan("clean.json"), { stack: "a" });
    const drift = analysePlan(plan("replace-and-create.json"), { stack: "b" });
    const error = analysePlan(plan("errored.json"), { stack: "c" });
    expect(combineReports([clean]).exitCode).toBe(0);
    expect(combineReports([clean, drift]).exitCode).toBe(3);
    expect(combineReports([clean, drift, error]).exitCode).toBe(1);
    expect(combineReports([clean, error]).text).toBe("a: no drift\nc: error: the plan errored; run terraform plan to see why\n");
  });

  it("null, [] and {} are one value, as Terraform treats an SDKv2 provider's: the read-back after an apply is not drift", () => {
    // What every refresh after the first apply carried (terraform plan -detailed-exitcode: 0).
    const refreshNoise = {
      format_version: "1.2",
      resource_drift: [
        {
          address: "vault_mount.kv",
          mode: "managed",
          type: "vault_mount",
          change: {
            actions: ["update"],
            before: { path: "secret", allowed_managed_keys: null, options: null, audit_non_hmac_request_keys: null },
            after: { path: "secret", allowed_managed_keys: [], options: {}, audit_non_hmac_request_keys: [] },
            after_unknown: {},
            before_sensitive: {},
            after_sensitive: {},
          },
        },
        {
          address: "vault_approle_auth_backend_role.app",
          mode: "managed",
          type: "vault_approle_auth_backend_role",
          change: {
            actions: ["update"],
            before: { role_name: "app", token_bound_cidrs: null, tune: [{ allowed_response_headers: null, max_lease_ttl: "" }] },
            after: { role_name: "app", token_bound_cidrs: [], tune: [{ allowed_response_headers: [], max_lease_ttl: "" }] },
            after_unknown: {},
            before_sensitive: {},
            after_sensitive: {},
          },
        },
      ],
      resource_changes: [
        {
          address: "vault_mount.kv",
          mode: "managed",
          type: "vault_mount",
          change: { actions: ["no-op"], before: {}, after: {} },
        },
      ],
    };
    expect(analysePlan(refreshNoise, { stack: "cassandra" })).toEqual({ exitCode: 0, resources: [], text: "cassandra: no drift\n" });
    expect(canonical({ b: [], a: { x: null, y: {} }, c: [1] })).toEqual({ c: [1] });
    // A real difference still counts.
    refreshNoise.resource_drift[0].change.after.allowed_managed_keys = ["k"] as never;
    expect(analysePlan(refreshNoise).resources[0].attributes).toEqual([
      { attribute: "allowed_managed_keys", before: "null", after: '["k"]' },
    ]);
  });

  it("policy text is shown whole as a line diff, and what access changes (from the policy engine)", async () => {
    const before = 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n';
    const after = `${before}\npath "sys/*" {\n  capabilities = ["sudo", "read"]\n}\n`;
    const policyPlan = {
      format_version: "1.2",
      resource_drift: [
        {
          address: "vault_policy.app",
          mode: "managed",
          type: "vault_policy",
          change: { actions: ["update"], before: { name: "app", policy: before }, after: { name: "app", policy: after } },
        },
      ],
    };
    const report = analysePlan(policyPlan, { stack: "cassandra" });
    expect(report.exitCode).toBe(3);
    expect(report.resources[0].attributes[0]).toEqual({
      attribute: "policy",
      before: "(3 lines)",
      after: "(7 lines)",
      lines: ["…", "  }", "+ ", '+ path "sys/*" {', '+   capabilities = ["sudo", "read"]', "+ }"],
    });
    const explained = await explainPolicyChanges(report);
    expect(explained.widens).toBe(true);
    expect(explained.resources[0].attributes[0].access).toEqual(["sys/* gains read, sudo"]);
    expect(explained.text).toBe(
      [
        "cassandra: 1 difference between Vault and the configuration",
        "  changed outside Terraform (refresh):",
        "  ~ vault_policy.app  changed outside Terraform (modified)",
        "      policy: (3 lines) -> (7 lines)",
        "        …",
        "          }",
        "        + ",
        '        + path "sys/*" {',
        '        +   capabilities = ["sudo", "read"]',
        "        + }",
        "        access: sys/* gains read, sudo",
        "",
      ].join("\n"),
    );
    const narrowed = await explainPolicyChanges(
      analysePlan({
        ...policyPlan,
        resource_drift: [
          { ...policyPlan.resource_drift[0], change: { actions: ["update"], before: { policy: after }, after: { policy: before } } },
        ],
      }),
    );
    expect(narrowed.widens).toBe(false);
    expect(narrowed.resources[0].attributes[0].access).toEqual(["sys/* loses read, sudo"]);
  });

  it("line diff keeps one line of context and marks skipped lines", () => {
    expect(lineDiff("a\nb\nc\nd\ne\n", "a\nb\nC\nd\ne\n")).toEqual(["…", "  b", "- c", "+ C", "  d", "…"]);
  });
});

/** A plan whose resource_changes hold `entries`. */
function planWith(...entries: object[]): object {
  return { format_version: "1.2", resource_changes: entries };
}

function update(address: string, type: string, change: object): object {
  return { address, mode: "managed", type, change: { actions: ["update"], ...change } };
}

const POLICY_WITH_PARAMS = 'path "secret/*" {\n  capabilities = ["create"]\n  allowed_parameters = { "x" = [] }\n}\n';
const POLICY = 'path "secret/*" {\n  capabilities = ["create"]\n}\n';

describe("analysePlan: what a change shows", () => {
  it("canonical: undefined and null are null, object keys sorted at every depth", () => {
    expect(canonical(undefined)).toBeNull();
    expect(canonical(null)).toBeNull();
    expect(JSON.stringify(canonical({ b: 1, a: { d: 2, c: [3] } }))).toBe('{"a":{"c":[3],"d":2},"b":1}');
  });

  it("an added or removed attribute shows null on its missing side", () => {
    const report = analysePlan(planWith(update("vault_mount.kv", "vault_mount", { before: { a: "x" }, after: { b: "y" } })));
    expect(report.resources[0].attributes).toEqual([
      { attribute: "a", before: '"x"', after: "null" },
      { attribute: "b", before: "null", after: '"y"' },
    ]);
  });

  it("single-line values are shown as JSON; multi-line text by its line count, with a line diff", () => {
    const report = analysePlan(
      planWith(update("vault_mount.kv", "vault_mount", { before: { d: "one", n: 1, t: "a" }, after: { d: "two", n: 2, t: "a\nb" } })),
    );
    expect(report.resources[0].attributes).toEqual([
      { attribute: "d", before: '"one"', after: '"two"' },
      { attribute: "n", before: "1", after: "2" },
      { attribute: "t", before: '"a"', after: "(2 lines)", lines: ["  a", "+ b"] },
    ]);
  });

  it("never shows lines of a sensitive or unknown text, even when its other side is plain", () => {
    const change = { before: { t: "a\nb\n", u: "x\ny\n" }, after: { t: "a\nc\n", u: "x\nz\n" } };
    const report = analysePlan(
      planWith(update("vault_mount.kv", "vault_mount", { ...change, before_sensitive: { t: true }, after_unknown: { u: true } })),
    );
    expect(report.resources[0].attributes).toEqual([
      { attribute: "t", before: "(sensitive)", after: "(2 lines)" },
      { attribute: "u", before: "(2 lines)", after: "(known after apply)" },
    ]);
  });

  it("a whole-value sensitivity flag (true instead of a map) hides every attribute; a nested map hides only what holds true", () => {
    const whole = analysePlan(
      planWith(update("vault_mount.kv", "vault_mount", { before: { a: "1", b: "2" }, after: { a: "3", b: "4" }, after_sensitive: true })),
    );
    expect(whole.resources[0].attributes).toEqual([
      { attribute: "a", before: '"1"', after: "(sensitive)" },
      { attribute: "b", before: '"2"', after: "(sensitive)" },
    ]);
    const nested = analysePlan(
      planWith(
        update("vault_mount.kv", "vault_mount", {
          before: { s: { k: "1" }, p: { k: "1" } },
          after: { s: { k: "2" }, p: { k: "2" } },
          after_sensitive: { s: { k: true }, p: { k: false } },
        }),
      ),
    );
    expect(nested.resources[0].attributes).toEqual([
      { attribute: "p", before: '{"k":"1"}', after: '{"k":"2"}' },
      { attribute: "s", before: '{"k":"1"}', after: "(sensitive)" },
    ]);
  });

  it("creations and deletions list no attributes; the symbols say what happens", () => {
    const report = analysePlan(
      planWith(
        {
          address: "vault_mount.new",
          mode: "managed",
          type: "vault_mount",
          change: { actions: ["create"], before: null, after: { path: "n" } },
        },
        {
          address: "vault_mount.old",
          mode: "managed",
          type: "vault_mount",
          change: { actions: ["delete"], before: { path: "o" }, after: null },
        },
      ),
      { stack: "s" },
    );
    expect(report.resources.map((r) => [r.action, r.attributes])).toEqual([
      ["create", []],
      ["delete", []],
    ]);
    expect(report.text).toBe(
      [
        "s: 2 differences between Vault and the configuration",
        "  the configuration would change (plan):",
        "  + vault_mount.new  plan: create",
        "  - vault_mount.old  plan: delete",
        "",
      ].join("\n"),
    );
  });

  it("a replacement where only ignored attributes differ is not drift; no-op and read entries never are", () => {
    const replace = {
      address: "vault_auth_backend.k",
      mode: "managed",
      type: "vault_auth_backend",
      change: { actions: ["delete", "create"], before: { tune: [{ a: 1 }] }, after: { tune: [{ a: 2 }] } },
    };
    expect(analysePlan(planWith(replace), { ignoreAttributes: KNOWN_FLAPPING_ATTRIBUTES }).exitCode).toBe(0);
    const noop = { ...replace, change: { actions: ["no-op"], before: { a: 1 }, after: { a: 2 } } };
    const read = { ...replace, change: { actions: ["read"], before: { a: 1 }, after: { a: 2 } } };
    expect(analysePlan(planWith(noop, read)).exitCode).toBe(0);
  });

  it("data sources are skipped before their shape is checked; a managed entry without a type is malformed", () => {
    expect(analysePlan(planWith({ address: "data.x.y", mode: "data" })).exitCode).toBe(0);
    expect(analysePlan(planWith({ address: "vault_mount.kv", mode: "managed", change: { actions: ["update"] } }))).toEqual({
      exitCode: 1,
      resources: [],
      error: 'malformed resource_changes entry "vault_mount.kv"',
      text: 'stack: error: malformed resource_changes entry "vault_mount.kv"\n',
    });
  });

  it("a plan that is JSON but not an object is an error with no resources", () => {
    for (const doc of ["[1]", 5, null]) {
      expect(analysePlan(doc, { stack: "s" })).toEqual({
        exitCode: 1,
        resources: [],
        error: "the plan is not a JSON object",
        text: "s: error: the plan is not a JSON object\n",
      });
    }
  });

  it("the JWT and LDAP backends' tune blocks are known to flap too", () => {
    expect(KNOWN_FLAPPING_ATTRIBUTES).toEqual({
      vault_auth_backend: ["tune"],
      vault_jwt_auth_backend: ["tune"],
      vault_ldap_auth_backend: ["tune"],
    });
  });
});

describe("lineDiff", () => {
  /** Length of a longest common subsequence, computed independently. */
  function lcsLength(a: readonly string[], b: readonly string[]): number {
    let row = new Array<number>(b.length + 1).fill(0);
    for (const x of a) {
      const next = [0];
      for (let j = 0; j < b.length; j++) next.push(x === b[j] ? row[j] + 1 : Math.max(row[j + 1], next[j]));
      row = next;
    }
    return row[b.length];
  }

  it("property: with full context, a diff rebuilds both texts and keeps as many lines as can be kept (no change: one ellipsis)", () => {
    const lines = fc.array(fc.constantFrom("a", "b", "c", "d"), { maxLength: 8 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const before = a.join("\n");
        const after = b.join("\n");
        const diff = lineDiff(before, after, 100);
        if (before === after) {
          expect(diff).toEqual(["…"]);
          return;
        }
        const kept = diff.filter((l) => l.startsWith("  "));
        expect(diff.filter((l) => !l.startsWith("+ ")).map((l) => l.slice(2))).toEqual(before.split("\n"));
        expect(diff.filter((l) => !l.startsWith("- ")).map((l) => l.slice(2))).toEqual(after.split("\n"));
        expect(kept).toHaveLength(lcsLength(before.split("\n"), after.split("\n")));
      }),
    );
  });

  it("differences at the very first and last lines, and one ellipsis per skipped run", () => {
    expect(lineDiff("x\nb\nc\nd\ne\nf\ny", "X\nb\nc\nd\ne\nf\nY")).toEqual(["- x", "+ X", "  b", "…", "  f", "- y", "+ Y"]);
    expect(lineDiff("a\nb", "a\nb", 0)).toEqual(["…"]);
    expect(lineDiff("a\nb\nc", "a\nB\nc", 0)).toEqual(["…", "- b", "+ B", "…"]);
  });
});

describe("explainPolicyChanges", () => {
  const policyPlan = (before: string, after: string, extra: object = {}) =>
    analysePlan(
      planWith(
        update("vault_policy.app", "vault_policy", {
          before: { name: "app", policy: before },
          after: { name: "app", policy: after },
          ...extra,
        }),
      ),
    );

  it("names parameter constraints removed (looser, widening) and added (tighter)", async () => {
    const looser = await explainPolicyChanges(policyPlan(POLICY_WITH_PARAMS, POLICY));
    expect(looser.resources[0].attributes[0].access).toEqual(["secret/* looser: allowed_parameters removed"]);
    expect(looser.widens).toBe(true);
    const tighter = await explainPolicyChanges(policyPlan(POLICY, POLICY_WITH_PARAMS));
    expect(tighter.resources[0].attributes[0].access).toEqual(["secret/* tighter: allowed_parameters added"]);
    expect(tighter.widens).toBe(false);
  });

  it("says when a text change changes no access, and when a text cannot be analysed (naming where)", async () => {
    const comment = await explainPolicyChanges(policyPlan(POLICY, `# reviewed\n${POLICY}`));
    expect(comment.resources[0].attributes[0].access).toEqual(["no access change"]);
    const broken = await explainPolicyChanges(policyPlan("path {", POLICY));
    expect(broken.resources[0].attributes[0].access).toEqual([
      expect.stringMatching(/^not analysed: vault_policy\.app\.policy:1:6: HCL syntax: Unclosed configuration block;[^\n]*$/),
    ]);
    expect(broken.widens).toBe(false);
  });

  it("explains only the policy text of ACL policies, never a sensitive one", async () => {
    const renamed = await explainPolicyChanges(
      analysePlan(
        planWith(
          update("vault_policy.app", "vault_policy", { before: { name: "a", policy: POLICY }, after: { name: "b", policy: POLICY } }),
        ),
      ),
    );
    expect(renamed.resources[0].attributes).toEqual([{ attribute: "name", before: '"a"', after: '"b"' }]);
    const other = await explainPolicyChanges(
      analysePlan(
        planWith(update("vault_egp_policy.x", "vault_egp_policy", { before: { policy: POLICY }, after: { policy: POLICY_WITH_PARAMS } })),
      ),
    );
    expect(other.resources[0].attributes[0].access).toBeUndefined();
    const secret = await explainPolicyChanges(policyPlan(POLICY_WITH_PARAMS, POLICY, { after_sensitive: { policy: true } }));
    expect(secret.resources[0].attributes).toEqual([{ attribute: "policy", before: "(4 lines)", after: "(sensitive)" }]);
    expect(secret.widens).toBe(false);
  });

  it("renders a report it did not see analysed under the stack name 'stack'", async () => {
    expect(await explainPolicyChanges({ exitCode: 0, resources: [], text: "" })).toEqual({
      exitCode: 0,
      resources: [],
      text: "stack: no drift\n",
      widens: false,
    });
  });

  it("returns an error report as it was, not widening", async () => {
    const failed = analysePlan("nope", { stack: "s" });
    expect(await explainPolicyChanges(failed)).toEqual({ ...failed, widens: false });
  });
});
