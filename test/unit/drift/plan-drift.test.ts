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

  it("an out-of-band role change is drift: exit 2, with what changed outside and what the plan would do", () => {
    const report = analysePlan(JSON.parse(plan("role-changed-out-of-band.json")), { stack: "cassandra" });
    expect(report.exitCode).toBe(2);
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
    expect(report.exitCode).toBe(2);
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
    expect(report.exitCode).toBe(2);
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

  it("a plan with only out-of-band drift and no planned change is drift: exit 2", () => {
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
    expect(report.exitCode).toBe(2);
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
    expect(combineReports([analysePlan(plan("clean.json")), report]).exitCode).toBe(2);
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
    expect(combineReports([clean, drift]).exitCode).toBe(2);
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
    expect(report.exitCode).toBe(2);
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
