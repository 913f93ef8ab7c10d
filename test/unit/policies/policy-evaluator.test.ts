import { parsePolicy } from "../../../policies/policy-parse";
import { PolicyDocument } from "../../../policies/policy-document";
import {
  EvaluationRequest,
  EvaluatorOptions,
  LIST_FALLBACK_ORDER,
  OPERATIONS,
  OPERATION_CAPABILITY,
  PARAMETER_VALUE_MATCHING,
  PolicyEvaluator,
} from "../../../policies/policy-evaluator";

async function evaluatorFor(hcls: readonly string[], options?: EvaluatorOptions): Promise<PolicyEvaluator> {
  const docs: PolicyDocument[] = [];
  for (const [i, hcl] of hcls.entries()) docs.push(await parsePolicy(hcl, { name: `p${i}` }));
  return new PolicyEvaluator(docs, options);
}

function allowed(evaluator: PolicyEvaluator, request: EvaluationRequest): boolean {
  return evaluator.evaluate(request).allowed;
}

describe("Vault documentation examples (concepts/policies)", () => {
  it("an exact path matches only itself", async () => {
    const e = await evaluatorFor(['path "secret/foo" { capabilities = ["read"] }']);
    expect(allowed(e, { path: "secret/foo", operation: "read" })).toBe(true);
    expect(allowed(e, { path: "secret/food", operation: "read" })).toBe(false);
    expect(allowed(e, { path: "secret/foo/bar", operation: "read" })).toBe(false);
    expect(allowed(e, { path: "secret/foo", operation: "update" })).toBe(false);
  });

  it("a trailing * is a prefix match that crosses segments", async () => {
    const e = await evaluatorFor(['path "secret/bar/*" { capabilities = ["read"] }\npath "secret/zip-*" { capabilities = ["read"] }']);
    expect(allowed(e, { path: "secret/bar/zip", operation: "read" })).toBe(true);
    expect(allowed(e, { path: "secret/bar/zip/zap", operation: "read" })).toBe(true);
    expect(allowed(e, { path: "secret/bars/zip", operation: "read" })).toBe(false);
    expect(allowed(e, { path: "secret/zip-zap", operation: "read" })).toBe(true);
    expect(allowed(e, { path: "secret/zip-zap/zong", operation: "read" })).toBe(true);
    expect(allowed(e, { path: "secret/zip/zap", operation: "read" })).toBe(false);
  });

  it("+ matches exactly one segment", async () => {
    const e = await evaluatorFor(['path "secret/+/teamb" { capabilities = ["read"] }']);
    expect(allowed(e, { path: "secret/foo/teamb", operation: "read" })).toBe(true);
    expect(allowed(e, { path: "secret/foo/bar/teamb", operation: "read" })).toBe(false);
    const two = await evaluatorFor(['path "secret/+/+/teamb" { capabilities = ["read"] }']);
    expect(allowed(two, { path: "secret/foo/bar/teamb", operation: "read" })).toBe(true);
    expect(allowed(two, { path: "secret/bar/foo/teamb", operation: "read" })).toBe(true);
  });

  it("an exact deny takes precedence over a broader grant", async () => {
    const e = await evaluatorFor([
      'path "secret/*" { capabilities = ["create", "read", "update", "patch", "delete", "list"] }\npath "secret/super-secret" { capabilities = ["deny"] }',
    ]);
    const decision = e.evaluate({ path: "secret/super-secret", operation: "read" });
    expect(decision).toMatchObject({ allowed: false, reason: "denied-by-rule", rule: { pattern: "secret/super-secret", kind: "exact" } });
    expect(allowed(e, { path: "secret/other", operation: "delete" })).toBe(true);
  });

  it("priority example: secret/* beats secret/+/+/foo/* (rule 3: more + segments is lower)", async () => {
    const e = await evaluatorFor(['path "secret/*" { capabilities = ["read"] }\npath "secret/+/+/foo/*" { capabilities = ["delete"] }']);
    const decision = e.evaluate({ path: "secret/a/b/foo/c", operation: "read" });
    expect(decision.allowed).toBe(true);
    expect(decision.rule).toMatchObject({ pattern: "secret/*", shadowed: ["secret/+/+/foo/*"] });
    expect(allowed(e, { path: "secret/a/b/foo/c", operation: "delete" })).toBe(false);
  });

  // The examples given with each priority rule in Vault's acl.go.
  it.each([
    ["rule 1: first wildcard later wins", "foo/a*", "foo/+", "foo/ab"],
    ["rule 1: first wildcard later wins (segments)", "foo/bar/+/baz", "foo/+/bar/baz", "foo/bar/bar/baz"],
    ["rule 2: not ending in * wins", "foo/+/bar", "foo/+/ba*", "foo/x/bar"],
    ["rule 2: foo/+ beats foo/*", "foo/+", "foo/*", "foo/x"],
    ["rule 3: fewer + segments wins", "foo/bar/+/baz", "foo/+/+/baz", "foo/bar/x/baz"],
    ["rule 4: longer wins", "foo/+/bar/ba*", "foo/+/bar/b*", "foo/x/bar/baz"],
  ])("%s: %s over %s for %s", async (_label, winner, loser, path) => {
    for (const order of [
      [winner, loser],
      [loser, winner],
    ]) {
      const e = await evaluatorFor(order.map((p) => `path "${p}" { capabilities = ["${p === winner ? "read" : "delete"}"] }`));
      const decision = e.evaluate({ path, operation: "read" });
      expect(decision.rule?.pattern).toBe(winner);
      expect(decision.allowed).toBe(true);
    }
  });

  it("rule 5: equal in every other respect, the lexicographically greater pattern wins", async () => {
    const e = await evaluatorFor(['path "+/a" { capabilities = ["read"] }\npath "+/b" { capabilities = ["delete"] }']);
    // Only one of them can match a given path; the tie-break is reached when both match through prefixes.
    const prefixes = await evaluatorFor(['path "+/ab*" { capabilities = ["read"] }\npath "+/ba*" { capabilities = ["delete"] }']);
    expect(e.capabilities("x/a")).toEqual(["read"]);
    expect(prefixes.capabilities("x/abx")).toEqual(["read"]);
    expect(prefixes.capabilities("x/bax")).toEqual(["delete"]);
  });

  it("the same pattern in several policies unions the capabilities", async () => {
    const e = await evaluatorFor(['path "secret/app" { capabilities = ["read"] }', 'path "secret/app" { capabilities = ["update"] }']);
    expect(e.capabilities("secret/app")).toEqual(["read", "update"]);
    const decision = e.evaluate({ path: "secret/app", operation: "update" });
    expect(decision.rule?.sources.map((s) => s.policy)).toEqual(["p0", "p1"]);
  });

  it("deny on the same pattern in another policy wins over the union", async () => {
    const e = await evaluatorFor([
      'path "secret/app" { capabilities = ["read", "sudo"] }',
      'path "secret/app" { capabilities = ["deny"] }',
    ]);
    expect(e.capabilities("secret/app")).toEqual(["deny"]);
  });

  it("deny on a different, lower-priority pattern does not override (different patterns never merge)", async () => {
    const e = await evaluatorFor(['path "secret/*" { capabilities = ["deny"] }', 'path "secret/foo" { capabilities = ["read"] }']);
    expect(allowed(e, { path: "secret/foo", operation: "read" })).toBe(true);
    expect(allowed(e, { path: "secret/bar", operation: "read" })).toBe(false);
  });

  it("allowed_parameters: listed keys only, value lists and empty lists", async () => {
    const e = await evaluatorFor([
      'path "secret/restricted" {\n  capabilities = ["create"]\n  allowed_parameters = {\n    "foo" = []\n    "bar" = ["zip", "zap"]\n  }\n}',
    ]);
    expect(allowed(e, { path: "secret/restricted", operation: "create", data: { foo: "anything", bar: "zip" } })).toBe(true);
    expect(allowed(e, { path: "secret/restricted", operation: "create", data: { bar: "zoo" } })).toBe(false);
    expect(allowed(e, { path: "secret/restricted", operation: "create", data: { baz: "1" } })).toBe(false);
    expect(e.evaluate({ path: "secret/restricted", operation: "create", data: { baz: "1" } }).reason).toBe("parameters");
  });

  it('allowed_parameters with "*" = [] lets other parameters through, still restricting listed ones', async () => {
    const e = await evaluatorFor([
      'path "secret/foo" {\n  capabilities = ["create"]\n  allowed_parameters = {\n    "bar" = ["zip", "zap"]\n    "*" = []\n  }\n}',
    ]);
    expect(allowed(e, { path: "secret/foo", operation: "create", data: { other: "x", bar: "zap" } })).toBe(true);
    expect(allowed(e, { path: "secret/foo", operation: "create", data: { bar: "nope" } })).toBe(false);
  });

  it("required_parameters must all be present", async () => {
    const e = await evaluatorFor(['path "secret/foo" {\n  capabilities = ["create"]\n  required_parameters = ["bar", "baz"]\n}']);
    expect(allowed(e, { path: "secret/foo", operation: "create", data: { bar: "1", baz: "2" } })).toBe(true);
    expect(allowed(e, { path: "secret/foo", operation: "create", data: { bar: "1" } })).toBe(false);
  });

  it("denied_parameters: empty list denies the key, values deny those values, * denies everything", async () => {
    const key = await evaluatorFor(['path "secret/foo" {\n  capabilities = ["create"]\n  denied_parameters = { "bar" = [] }\n}']);
    expect(allowed(key, { path: "secret/foo", operation: "create", data: { bar: "x" } })).toBe(false);
    expect(allowed(key, { path: "secret/foo", operation: "create", data: { baz: "x" } })).toBe(true);
    const values = await evaluatorFor([
      'path "secret/foo" {\n  capabilities = ["create"]\n  denied_parameters = { "bar" = ["zip", "zap"] }\n}',
    ]);
    expect(allowed(values, { path: "secret/foo", operation: "create", data: { bar: "zip" } })).toBe(false);
    expect(allowed(values, { path: "secret/foo", operation: "create", data: { bar: "zoo" } })).toBe(true);
    const all = await evaluatorFor(['path "secret/foo" {\n  capabilities = ["create"]\n  denied_parameters = { "*" = [] }\n}']);
    expect(allowed(all, { path: "secret/foo", operation: "create", data: { any: "x" } })).toBe(false);
    expect(allowed(all, { path: "secret/foo", operation: "create" })).toBe(true);
  });

  it("parameter values support prefix and suffix globbing", async () => {
    const e = await evaluatorFor(['path "secret/foo" {\n  capabilities = ["create"]\n  allowed_parameters = { "bar" = ["foo-*"] }\n}']);
    expect(allowed(e, { path: "secret/foo", operation: "create", data: { bar: "foo-1" } })).toBe(true);
    expect(allowed(e, { path: "secret/foo", operation: "create", data: { bar: "1-foo" } })).toBe(false);
  });

  it("the docs' globbing caveat: a comma-separated value passes when the whole value matches the glob", async () => {
    const e = await evaluatorFor([
      'path "secret/foo" {\n  capabilities = ["create", "update", "patch"]\n  allowed_parameters = { "bar" = ["baz/*"] }\n}',
    ]);
    expect(allowed(e, { path: "secret/foo", operation: "create", data: { bar: "baz/quux,wibble,wobble,wubble" } })).toBe(true);
  });

  it("list and comma-separated values: checked element by element on Vault 1.21, as a whole on OpenBao", async () => {
    const hcl = ['path "secret/foo" {\n  capabilities = ["create"]\n  allowed_parameters = { "x" = ["a", "b"] }\n}'];
    const vault = await evaluatorFor(hcl, { flavor: "vault" });
    const openbao = await evaluatorFor(hcl, { flavor: "openbao" });
    for (const data of [{ x: ["a", "b"] }, { x: "b, a" }]) {
      expect(allowed(vault, { path: "secret/foo", operation: "create", data })).toBe(true);
      expect(allowed(openbao, { path: "secret/foo", operation: "create", data })).toBe(false);
    }
    const deniedHcl = ['path "secret/foo" {\n  capabilities = ["create"]\n  denied_parameters = { "y" = ["c"] }\n}'];
    const vaultDenied = await evaluatorFor(deniedHcl, { flavor: "vault" });
    const openbaoDenied = await evaluatorFor(deniedHcl, { flavor: "openbao" });
    for (const data of [{ y: ["c", "d"] }, { y: "d,c" }]) {
      expect(allowed(vaultDenied, { path: "secret/foo", operation: "create", data })).toBe(false);
      expect(allowed(openbaoDenied, { path: "secret/foo", operation: "create", data })).toBe(true);
    }
  });

  it("response wrapping TTL bounds: wrapping becomes mandatory and capped", async () => {
    const e = await evaluatorFor([
      'path "auth/approle/role/my-role/secret-id" {\n  capabilities = ["create", "update"]\n  min_wrapping_ttl = "1s"\n  max_wrapping_ttl = "90s"\n}',
    ]);
    const path = "auth/approle/role/my-role/secret-id";
    expect(allowed(e, { path, operation: "update" })).toBe(false);
    expect(allowed(e, { path, operation: "update", wrapTtlSeconds: 60 })).toBe(true);
    expect(allowed(e, { path, operation: "update", wrapTtlSeconds: 91 })).toBe(false);
    expect(e.evaluate({ path, operation: "update", wrapTtlSeconds: 91 }).reason).toBe("wrapping-ttl");
  });

  it("merged wrapping TTLs take the lower value of each bound", async () => {
    const e = await evaluatorFor([
      'path "x" {\n  capabilities = ["read"]\n  max_wrapping_ttl = "90s"\n}',
      'path "x" {\n  capabilities = ["read"]\n  max_wrapping_ttl = "30s"\n}',
    ]);
    expect(allowed(e, { path: "x", operation: "read", wrapTtlSeconds: 60 })).toBe(false);
    expect(allowed(e, { path: "x", operation: "read", wrapTtlSeconds: 30 })).toBe(true);
  });

  it("LIST falls back to the rule without the trailing slash", async () => {
    const e = await evaluatorFor(['path "auth/approle/role" { capabilities = ["list"] }']);
    expect(e.evaluate({ path: "auth/approle/role/", operation: "list" })).toMatchObject({
      allowed: true,
      rule: { step: "exact-without-trailing-slash" },
    });
    expect(allowed(e, { path: "auth/approle/role/", operation: "read" })).toBe(false);
  });

  it("LIST with a trailing slash: Vault tries the non-exact rules without the slash first, OpenBao last", async () => {
    const hcl = ['path "a/+" { capabilities = ["sudo"] }\npath "+" { capabilities = ["patch"] }'];
    expect((await evaluatorFor(hcl, { flavor: "vault" })).capabilities("a/")).toEqual(["patch"]);
    expect((await evaluatorFor(hcl, { flavor: "openbao" })).capabilities("a/")).toEqual(["sudo"]);
  });

  it("root-protected paths need sudo in addition to the operation's capability", async () => {
    const without = await evaluatorFor(['path "sys/audit" { capabilities = ["read"] }']);
    expect(without.evaluate({ path: "sys/audit", operation: "read" })).toMatchObject({ allowed: false, reason: "sudo-required" });
    const withSudo = await evaluatorFor(['path "sys/audit" { capabilities = ["read", "sudo"] }']);
    expect(allowed(withSudo, { path: "sys/audit", operation: "read" })).toBe(true);
    expect(allowed(without, { path: "sys/audit", operation: "read", rootProtected: false })).toBe(true);
  });

  it("revoke, renew and rollback need update; help is always allowed", async () => {
    const e = await evaluatorFor(['path "sys/leases/renew" { capabilities = ["update"] }']);
    expect(allowed(e, { path: "sys/leases/renew", operation: "renew" })).toBe(true);
    expect(allowed(e, { path: "sys/leases/renew", operation: "read" })).toBe(false);
    expect(allowed(e, { path: "anything/at/all", operation: "help" })).toBe(true);
  });

  it("templated paths resolve for the identity and are skipped when they cannot be resolved", async () => {
    const hcl = [
      'path "secret/data/{{identity.entity.id}}/*" { capabilities = ["read"] }\npath "secret/data/groups/{{identity.groups.ids.g1.name}}/*" { capabilities = ["read"] }',
    ];
    const identity = { entity: { id: "e-123", name: "alice" }, groups: [{ id: "g1", name: "ops" }] };
    const e = await evaluatorFor(hcl, { identity });
    expect(allowed(e, { path: "secret/data/e-123/db", operation: "read" })).toBe(true);
    expect(allowed(e, { path: "secret/data/e-999/db", operation: "read" })).toBe(false);
    expect(allowed(e, { path: "secret/data/groups/ops/x", operation: "read" })).toBe(true);
    const anonymous = await evaluatorFor(hcl);
    expect(anonymous.capabilities("secret/data/e-123/db")).toEqual(["deny"]);
  });

  it("reports no-matching-rule when nothing matches", async () => {
    const e = await evaluatorFor(['path "a" { capabilities = ["read"] }']);
    expect(e.evaluate({ path: "b", operation: "read" })).toMatchObject({ allowed: false, reason: "no-matching-rule" });
    expect(e.capabilities("b")).toEqual(["deny"]);
  });
});

describe("PolicyEvaluator decisions, exactly", () => {
  const rule = (path: string, capabilities: readonly string[], extra: object = {}) => ({ path, capabilities, ...extra });
  const evaluator = (options?: EvaluatorOptions) =>
    new PolicyEvaluator(
      [
        {
          name: "a",
          rules: [
            rule("secret/data/*", ["read", "list", "create"]),
            rule("secret/deny", ["deny"]),
            rule("secret/none", []),
            rule("wrap/max", ["read"], { maxWrappingTtlSeconds: 60 }),
            rule("wrap/min", ["read"], { minWrappingTtlSeconds: 30 }),
            rule("params", ["create", "update", "read", "patch", "recover", "delete", "list"], { allowedParameters: { x: [] } }),
            rule("sys/audit", ["read"]),
            rule("dir", ["read", "list"]),
          ],
        },
        { name: "b", rules: [rule("secret/data/*", ["update"]), rule("wrap/contra", ["read"], { minWrappingTtlSeconds: 60 })] },
        { name: "c", rules: [rule("wrap/contra", ["read"], { maxWrappingTtlSeconds: 30 })] },
      ] as PolicyDocument[],
      options,
    );
  const e = evaluator();

  it("capabilities() are sorted by name; deny, nothing granted and no rule all read as deny", () => {
    expect(e.capabilities("secret/data/x")).toEqual(["create", "list", "read", "update"]);
    expect(e.capabilities("secret/deny")).toEqual(["deny"]);
    expect(e.capabilities("secret/none")).toEqual(["deny"]);
    expect(e.capabilities("nothing/here")).toEqual(["deny"]);
  });

  it("an allowed request names every policy behind the rule and the capability used", () => {
    expect(e.evaluate({ path: "secret/data/x", operation: "read" })).toEqual({
      allowed: true,
      reason: "allowed",
      explanation: 'rule "secret/data/*" (policy "a", "b") grants read',
      rule: {
        pattern: "secret/data/*",
        kind: "prefix",
        step: "non-exact",
        capabilities: ["create", "list", "read", "update"],
        sources: [
          { policy: "a", path: "secret/data/*", capabilities: ["read", "list", "create"] },
          { policy: "b", path: "secret/data/*", capabilities: ["update"] },
        ],
        shadowed: [],
      },
    });
  });

  it.each([
    [
      { path: "secret/data/x", operation: "delete" },
      "capability-missing",
      'rule "secret/data/*" does not grant delete (grants create, list, read, update)',
    ],
    [{ path: "secret/none", operation: "read" }, "capability-missing", 'rule "secret/none" does not grant read (grants nothing)'],
    [{ path: "secret/deny", operation: "read" }, "denied-by-rule", 'rule "secret/deny" (policy "a") denies "secret/deny"'],
    [
      { path: "wrap/max", operation: "read", wrapTtlSeconds: 61 },
      "wrapping-ttl",
      'rule "wrap/max" requires response wrapping with a TTL of at most 60s',
    ],
    [{ path: "wrap/max", operation: "read" }, "wrapping-ttl", 'rule "wrap/max" requires response wrapping with a TTL of at most 60s'],
    [
      { path: "wrap/min", operation: "read", wrapTtlSeconds: 29 },
      "wrapping-ttl",
      'rule "wrap/min" requires response wrapping with a TTL of at least 30s',
    ],
    [{ path: "wrap/min", operation: "read" }, "wrapping-ttl", 'rule "wrap/min" requires response wrapping with a TTL of at least 30s'],
    [
      { path: "wrap/contra", operation: "read", wrapTtlSeconds: 30 },
      "wrapping-ttl",
      'merged wrapping TTL bounds of "wrap/contra" are contradictory (max < min)',
    ],
    [{ path: "params", operation: "update", data: { y: "1" } }, "parameters", 'rule "params": parameter "y" is not in allowed_parameters'],
    [{ path: "sys/audit", operation: "read" }, "sudo-required", '"sys/audit" is root-protected and rule "sys/audit" does not grant sudo'],
  ] as const)("%j is refused: %s", (request, reason, explanation) => {
    expect(e.evaluate(request)).toMatchObject({ allowed: false, reason, explanation });
  });

  it("no rule and help requests carry no rule", () => {
    expect(e.evaluate({ path: "nope", operation: "read" })).toEqual({
      allowed: false,
      reason: "no-matching-rule",
      explanation: 'no policy rule matches "nope"',
    });
    expect(e.evaluate({ path: "nope", operation: "help" })).toEqual({
      allowed: true,
      reason: "help-always-allowed",
      explanation: "help requests are always allowed",
    });
  });

  it("wrapping TTLs exactly on a bound are allowed, equal merged bounds included", () => {
    const equal = new PolicyEvaluator([
      { name: "a", rules: [rule("w", ["read"], { minWrappingTtlSeconds: 30 })] },
      { name: "b", rules: [rule("w", ["read"], { maxWrappingTtlSeconds: 30 })] },
    ] as PolicyDocument[]);
    expect(equal.evaluate({ path: "w", operation: "read", wrapTtlSeconds: 30 }).allowed).toBe(true);
    expect(e.evaluate({ path: "wrap/max", operation: "read", wrapTtlSeconds: 60 }).allowed).toBe(true);
    expect(e.evaluate({ path: "wrap/min", operation: "read", wrapTtlSeconds: 30 }).allowed).toBe(true);
  });

  it("checks parameters for read, create, update, patch and recover, not for delete or list", () => {
    const data = { y: "1" };
    for (const operation of ["read", "create", "update", "patch", "recover"] as const) {
      expect(e.evaluate({ path: "params", operation, data }).reason).toBe("parameters");
    }
    for (const operation of ["delete", "list"] as const) expect(e.evaluate({ path: "params", operation, data }).allowed).toBe(true);
  });

  it("only LIST falls back to the rule without the trailing slash", () => {
    expect(e.evaluate({ path: "dir/", operation: "list" }).allowed).toBe(true);
    expect(e.evaluate({ path: "dir/", operation: "read" }).reason).toBe("no-matching-rule");
  });

  it("takes its root-protected paths from the options, and follows Vault unless told otherwise", () => {
    expect(evaluator({ rootProtectedPaths: [] }).evaluate({ path: "sys/audit", operation: "read" }).allowed).toBe(true);
    const listRules = [rule("a/+", ["sudo"]), rule("+", ["patch"])];
    expect(new PolicyEvaluator([{ name: "p", rules: listRules } as PolicyDocument]).capabilities("a/")).toEqual(["patch"]);
    const listed = new PolicyEvaluator([
      { name: "p", rules: [rule("secret/foo", ["create"], { allowedParameters: { x: ["a", "b"] } })] } as PolicyDocument,
    ]);
    expect(listed.evaluate({ path: "secret/foo", operation: "create", data: { x: ["a", "b"] } }).allowed).toBe(true);
  });

  it("names every operation and the capability each needs", () => {
    expect(OPERATIONS).toEqual(["read", "list", "create", "update", "delete", "patch", "revoke", "renew", "rollback", "help", "recover"]);
    expect(OPERATION_CAPABILITY).toEqual({
      read: "read",
      list: "list",
      create: "create",
      update: "update",
      delete: "delete",
      patch: "patch",
      revoke: "update",
      renew: "update",
      rollback: "update",
      recover: "recover",
    });
    expect(PARAMETER_VALUE_MATCHING).toEqual({ vault: "elements", openbao: "whole-value" });
    expect(LIST_FALLBACK_ORDER).toEqual({ vault: "trimmed-first", openbao: "trimmed-last" });
  });
});
