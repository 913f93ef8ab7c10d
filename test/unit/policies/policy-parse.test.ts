import { PolicyValidationError } from "../../../policies/policy-error";
import { PolicyDocument } from "../../../policies/policy-document";
import { parsePolicy, parsePolicyHcl, parsePolicyJson } from "../../../policies/policy-parse";

async function parseError(text: string, options: Parameters<typeof parsePolicy>[1] = {}): Promise<PolicyValidationError> {
  try {
    await parsePolicy(text, { file: "team.hcl", ...options });
  } catch (error) {
    if (error instanceof PolicyValidationError) return error;
    throw error;
  }
  throw new Error("expected a PolicyValidationError");
}

describe("parsePolicy", () => {
  it("reads every path-block key vaultsmith models, in source order, names from the file", async () => {
    const text = [
      "# comment",
      'path "b/*" {',
      '  capabilities = ["read", "list"]',
      '  comment = "ignored by Vault"',
      "}",
      'path "/a" {',
      '  policy = "write"',
      '  allowed_parameters = { "Ttl" = ["1h", "2h"] }',
      '  denied_parameters = { "*" = [] }',
      '  required_parameters = ["ttl"]',
      "  min_wrapping_ttl = 60",
      '  max_wrapping_ttl = "1h"',
      "}",
      'path "c" {\n  policy = "deny"\n  capabilities = ["read"]\n}',
    ].join("\n");
    const doc = await parsePolicy(text, { file: "dir/app-a.hcl" });
    expect(doc).toEqual({
      name: "app-a",
      rules: [
        { path: "b/*", capabilities: ["read", "list"] },
        {
          path: "a",
          capabilities: ["create", "read", "update", "delete", "list"],
          allowedParameters: { Ttl: ["1h", "2h"] },
          deniedParameters: { "*": [] },
          requiredParameters: ["ttl"],
          minWrappingTtlSeconds: 60,
          maxWrappingTtlSeconds: 3600,
        },
        { path: "c", capabilities: ["deny"] },
      ],
    });
  });

  it("reports HCL syntax errors with the parser's line and column", async () => {
    const error = await parseError('path "c" { policy = "deny"\n capabilities = ["read"] }', { name: "p" });
    expect(error.line).toBe(1);
    expect(error.column).toBe(27);
    expect(error.message).toContain("HCL syntax: Invalid single-argument block definition");
  });

  it("keeps repeated patterns as separate rules in source order", async () => {
    const doc = await parsePolicy(
      'path "z" { capabilities = ["read"] }\npath "a" { capabilities = ["list"] }\npath "z" { capabilities = ["update"] }',
      { name: "p" },
    );
    expect(doc.rules.map((r) => `${r.path}:${r.capabilities.join(",")}`)).toEqual(["z:read", "a:list", "z:update"]);
  });

  it.each([
    ['path "a" {\n  capabilities = ["read"]\n  bogus = 1\n}', 3, 'path "a": invalid key "bogus"'],
    ['\n\npath "a/+*" {\n  capabilities = ["read"]\n}', 3, "invalid use of wildcards ('+*' is forbidden)"],
    ['path "a" {\n  capabilities = ["read", "fly"]\n}', 2, 'path "a".capabilities: invalid capability "fly"'],
    [
      'path "a" {\n  capabilities = ["read"]\n  min_wrapping_ttl = "2h"\n  max_wrapping_ttl = "1h"\n}',
      4,
      "max_wrapping_ttl cannot be less than min_wrapping_ttl",
    ],
    ['path "a" {\n  capabilities = ["read"\n}', 3, "HCL syntax: Missing item separator"],
    ['path "a" { capabilities = ["read"] }\nnope = 1', 2, 'invalid key "nope"'],
    ['path "a" {\n  policy = "admin"\n}', 2, 'invalid policy "admin"'],
    ['path "a" {\n  max_wrapping_ttl = "forever"\n}', 2, "error parsing max_wrapping_ttl"],
    ['path "a" {\n  capabilities = ["read"]\n  allowed_parameters = { "x" = [1] }\n}', 3, "only string values are supported"],
    ['path "a/{{identity.entity.id}}}}" {\n  capabilities = ["read"]\n}', 1, "unbalanced templating characters"],
  ])("rejects bad input with file and line: %j", async (text, line, message) => {
    const error = await parseError(text, { name: "p" });
    expect(error.file).toBe("team.hcl");
    expect(error.line).toBe(line);
    expect(error.message).toContain(message);
    expect(error.message.startsWith(`team.hcl:${line}`)).toBe(true);
  });

  it("applies each server's key list: subscribe_event_types is Vault-only, pagination_limit OpenBao-only", async () => {
    const vaultOnly = 'path "a" {\n  capabilities = ["read"]\n  subscribe_event_types = ["*"]\n}';
    expect((await parseError(vaultOnly, { name: "p", flavor: "openbao" })).message).toContain('invalid key "subscribe_event_types"');
    expect((await parseError(vaultOnly, { name: "p", flavor: "vault" })).message).toContain(
      "valid for vault but not supported by vaultsmith",
    );
    const baoOnly = 'path "a" {\n  capabilities = ["list"]\n  pagination_limit = 10\n}';
    expect((await parseError(baoOnly, { name: "p", flavor: "vault" })).message).toContain('invalid key "pagination_limit"');
    expect((await parseError(baoOnly, { name: "p", flavor: "openbao" })).message).toContain("valid for openbao but not supported");
  });

  it("applies each server's capability list: subscribe and recover are Vault-only", async () => {
    const text = 'path "a" {\n  capabilities = ["read", "subscribe"]\n}';
    expect((await parsePolicy(text, { name: "p", flavor: "vault" })).rules[0].capabilities).toEqual(["read", "subscribe"]);
    expect((await parseError(text, { name: "p", flavor: "openbao" })).message).toContain('invalid capability "subscribe"');
  });

  it("refuses a name Vault would lower-case", async () => {
    expect((await parseError('path "a" { capabilities = ["read"] }', { file: "Team.hcl" })).message).toContain(
      'would be stored by Vault as "team"',
    );
  });

  it("reads JSON policies and reports JSON syntax errors with a line", async () => {
    const doc = parsePolicyJson('{"path": {"a": {"capabilities": ["read"]}, "b/*": [{"capabilities": ["deny", "read"]}]}}', { name: "p" });
    expect(doc.rules).toEqual([
      { path: "a", capabilities: ["read"] },
      { path: "b/*", capabilities: ["deny"] },
    ]);
    expect(() => parsePolicyJson('{"path": {\n"a": {"capabilities": ["read"]},\n}}', { name: "p", file: "x.json" })).toThrow(
      /^x\.json:3:1: JSON syntax/,
    );
    expect(() => parsePolicyJson('{"path": {"a": {\n"capabilities": ["read"],\n"zzz": 1}}}', { name: "p", file: "x.json" })).toThrow(
      'x.json:3: path "a": invalid key "zzz"',
    );
  });
});

describe("policy files that Vault would refuse, word for word", () => {
  const json = (body: object): string => JSON.stringify({ path: { a: body } });
  it.each([
    ["a root that is not an object", () => parsePolicyJson("[1]"), "policy.json: does not contain a root object"],
    ["a null root", () => parsePolicyJson("null"), "policy.json: does not contain a root object"],
    ["an empty JSON file, with no position", () => parsePolicyJson(""), "policy.json: JSON syntax: Unexpected end of JSON input"],
    ["an unknown key with regex characters, at its line", () => parsePolicyJson('{\n  "a.b*": 1\n}'), 'policy.json:2: invalid key "a.b*"'],
    [
      "an unknown key not written as such (escaped), without a line",
      () => parsePolicyJson('{"\\u0062ogus": 1}'),
      'policy.json: invalid key "bogus"',
    ],
    [
      "a null path body",
      () => parsePolicyJson('{"path": {"a": null}}'),
      'policy.json:1: path "a": a path block needs exactly one label and a body: path "<pattern>" { ... }',
    ],
    [
      "capabilities that are not a list, at their own line",
      () => parsePolicyHcl('path "a" {\n  capabilities = "read"\n}\n'),
      'policy.hcl:2: path "a".capabilities: must be a list of strings, got "read"',
    ],
    [
      "denied_parameters that are not a map, at their own line",
      () => parsePolicyHcl('path "a" {\n  capabilities = ["create"]\n  denied_parameters = 5\n}\n'),
      'policy.hcl:3: path "a".denied_parameters: must be a map of parameter name to list of values',
    ],
    [
      "required_parameters that are not a list, at their own line",
      () => parsePolicyHcl('path "a" {\n  capabilities = ["create"]\n  required_parameters = "x"\n}\n'),
      'policy.hcl:3: path "a".required_parameters: must be a list of strings, got "x"',
    ],
    [
      "a min wrapping TTL that is not a duration, at its own line",
      () => parsePolicyHcl('path "a" {\n  capabilities = ["create"]\n  min_wrapping_ttl = "soon"\n}\n'),
      'policy.hcl:3: path "a".min_wrapping_ttl: error parsing min_wrapping_ttl: invalid duration "soon": expected a number followed by one of ns, us, ms, s, m, h',
    ],
    ["an unknown top-level key, at its line", () => parsePolicyJson('{\n  "paths": {}\n}'), 'policy.json:2: invalid key "paths"'],
    [
      "an unknown key on the first line",
      () => parsePolicyHcl('bogus = 1\npath "a" { capabilities = ["read"] }'),
      'policy.hcl:1: invalid key "bogus"',
    ],
    [
      "a path that is not a block",
      () => parsePolicyJson('{"path": 5}'),
      'policy.json: a path block needs exactly one label: path "<pattern>" { ... }',
    ],
    [
      "a path list of non-blocks",
      () => parsePolicyJson('{"path": [5]}'),
      'policy.json: a path block needs exactly one label: path "<pattern>" { ... }',
    ],
    [
      "a path block without a body",
      () => parsePolicyJson('{"path": {"a": 5}}'),
      'policy.json:1: path "a": a path block needs exactly one label and a body: path "<pattern>" { ... }',
    ],
    [
      "capabilities that are not a list",
      () => parsePolicyJson(json({ capabilities: "read" })),
      'policy.json:1: path "a".capabilities: must be a list of strings, got "read"',
    ],
    [
      "capabilities with a number",
      () => parsePolicyJson(json({ capabilities: ["read", 5] })),
      'policy.json:1: path "a".capabilities: must be a list of strings, got ["read",5]',
    ],
    [
      "capabilities of numbers only",
      () => parsePolicyJson(json({ capabilities: [5] })),
      'policy.json:1: path "a".capabilities: must be a list of strings, got [5]',
    ],
    [
      "required_parameters that are not a list",
      () => parsePolicyJson(json({ capabilities: ["create"], required_parameters: "x" })),
      'policy.json:1: path "a".required_parameters: must be a list of strings, got "x"',
    ],
    [
      "allowed_parameters that are not a map",
      () => parsePolicyJson(json({ capabilities: ["create"], allowed_parameters: 5 })),
      'policy.json:1: path "a".allowed_parameters: must be a map of parameter name to list of values',
    ],
    [
      "a denied parameter mapped to a string",
      () => parsePolicyJson(json({ capabilities: ["create"], denied_parameters: { x: "y" } })),
      'policy.json:1: path "a".denied_parameters: parameter "x" must map to a list',
    ],
    [
      "a wrapping TTL that is not a duration",
      () => parsePolicyJson(json({ capabilities: ["create"], min_wrapping_ttl: true })),
      'policy.json:1: path "a".min_wrapping_ttl: error parsing min_wrapping_ttl: expected a duration, got true',
    ],
    [
      "a max wrapping TTL below the min",
      () => parsePolicyJson(json({ capabilities: ["create"], min_wrapping_ttl: "61s", max_wrapping_ttl: 60 })),
      'policy.json:1: path "a".max_wrapping_ttl: max_wrapping_ttl cannot be less than min_wrapping_ttl',
    ],
    ["a legacy policy that is not a name", () => parsePolicyJson(json({ policy: 5 })), 'policy.json:1: path "a": invalid policy 5'],
    [
      "a legacy policy given as a list",
      () => parsePolicyJson(json({ policy: ["read"] })),
      'policy.json:1: path "a": invalid policy ["read"]',
    ],
    [
      "JSON that does not parse (default file name)",
      () => parsePolicyJson("{"),
      "policy.json:1:2: JSON syntax: Expected property name or '}' in JSON at position 1",
    ],
    [
      "HCL that does not parse (default file name)",
      () => parsePolicyHcl('path "a" {'),
      "policy.hcl:1:10: HCL syntax: Unclosed configuration block; There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
    ],
    [
      "HCL syntax errors on lines and columns past 9",
      () => parsePolicy(`${"\n".repeat(10)}path "aaaaaaaaaaaaaaaa" {\n  capabilities = ["read"] ]\n}\n`, { file: "x.hcl" }),
      "x.hcl:12:27: HCL syntax: Missing newline after argument; An argument definition must end with a newline.",
    ],
    [
      "an invalid capability, at its own line",
      () => parsePolicy('path "a" {\n\n  capabilities = ["reed"]\n}\n'),
      'policy.hcl:3: path "a".capabilities: invalid capability "reed"',
    ],
    [
      "a max wrapping TTL below the min, at its own line",
      () => parsePolicy('path "a" {\n  capabilities = ["read"]\n  min_wrapping_ttl = "2m"\n  max_wrapping_ttl = "1m"\n}\n'),
      'policy.hcl:4: path "a".max_wrapping_ttl: max_wrapping_ttl cannot be less than min_wrapping_ttl',
    ],
    [
      "a non-string parameter value, at its key's line",
      () => parsePolicy('path "a" {\n  capabilities = ["create"]\n  allowed_parameters = {\n    "x" = [1]\n  }\n}\n'),
      'policy.hcl:3: path "a".allowed_parameters: parameter "x": only string values are supported by vaultsmith (got [1])',
    ],
  ])("refuses %s", async (_what, parse, message) => {
    let error: unknown;
    try {
      await parse();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyValidationError);
    expect((error as Error).message).toBe(message);
  });
});

describe("policy files Vault accepts", () => {
  const rulesOf = async (parse: () => Promise<PolicyDocument> | PolicyDocument) => (await parse()).rules;

  it("an empty policy, a name key, a leading slash, and bodies given as a list", async () => {
    expect(await rulesOf(() => parsePolicyJson("{}"))).toEqual([]);
    expect(await rulesOf(() => parsePolicyJson('{"name": "x", "path": {"/a": {"capabilities": ["read"]}}}'))).toEqual([
      { path: "a", capabilities: ["read"] },
    ]);
    expect(
      await rulesOf(() =>
        parsePolicyJson('{"path": {"a": [{"capabilities": ["read"]}, {"capabilities": ["list"]}], "b": {"capabilities": ["list"]}}}'),
      ),
    ).toEqual([
      { path: "a", capabilities: ["read"] },
      { path: "b", capabilities: ["list"] },
      // A second JSON body of one pattern is not located in the text, so it sorts last.
      { path: "a", capabilities: ["list"] },
    ]);
  });

  it("legacy policy values map to capabilities; deny wins over everything", async () => {
    const legacy = (body: object) => rulesOf(() => parsePolicyJson(JSON.stringify({ path: { a: body } })));
    expect(await legacy({ policy: "read" })).toEqual([{ path: "a", capabilities: ["read", "list"] }]);
    expect(await legacy({ policy: "sudo" })).toEqual([{ path: "a", capabilities: ["create", "read", "update", "delete", "list", "sudo"] }]);
    expect(await legacy({ policy: "write", capabilities: ["patch"] })).toEqual([
      { path: "a", capabilities: ["create", "read", "update", "patch", "delete", "list"] },
    ]);
    expect(await legacy({ policy: "deny", capabilities: ["read"] })).toEqual([{ path: "a", capabilities: ["deny"] }]);
    expect(await legacy({ capabilities: ["deny", "bogus"] })).toEqual([{ path: "a", capabilities: ["deny"] }]);
    expect(await legacy({ capabilities: ["deny"], allowed_parameters: { x: [] }, min_wrapping_ttl: 5 })).toEqual([
      { path: "a", capabilities: ["deny"] },
    ]);
  });

  it("keeps only what is set: no empty required list, each wrapping bound alone, equal bounds", async () => {
    const rule = (body: object) => rulesOf(() => parsePolicyJson(JSON.stringify({ path: { a: { capabilities: ["create"], ...body } } })));
    expect(await rule({ required_parameters: [] })).toEqual([{ path: "a", capabilities: ["create"] }]);
    expect(await rule({ required_parameters: ["x"] })).toEqual([{ path: "a", capabilities: ["create"], requiredParameters: ["x"] }]);
    expect(await rule({ max_wrapping_ttl: 60 })).toEqual([{ path: "a", capabilities: ["create"], maxWrappingTtlSeconds: 60 }]);
    expect(await rule({ min_wrapping_ttl: 60 })).toEqual([{ path: "a", capabilities: ["create"], minWrappingTtlSeconds: 60 }]);
    expect(await rule({ min_wrapping_ttl: "60s", max_wrapping_ttl: 60 })).toEqual([
      { path: "a", capabilities: ["create"], minWrappingTtlSeconds: 60, maxWrappingTtlSeconds: 60 },
    ]);
  });

  it("keeps source order when the same pattern appears twice before another", async () => {
    const text = 'path "b" { capabilities = ["read"] }\npath "b" { capabilities = ["list"] }\npath "a" { capabilities = ["update"] }';
    expect((await parsePolicy(text)).rules.map((r) => [r.path, r.capabilities])).toEqual([
      ["b", ["read"]],
      ["b", ["list"]],
      ["a", ["update"]],
    ]);
  });

  it("tells JSON from HCL by the first non-blank character only", async () => {
    expect((await parsePolicy('  \n {"path": {"a": {"capabilities": ["read"]}}}')).rules).toEqual([{ path: "a", capabilities: ["read"] }]);
    expect((await parsePolicy('path "a" { capabilities = ["read"] }\n# {')).rules).toEqual([{ path: "a", capabilities: ["read"] }]);
  });

  it("names a policy after its file, dropping only a final .hcl or .json", async () => {
    expect((await parsePolicyJson('{"path": {"a": {"capabilities": ["read"]}}}', { file: "dir/app.json" })).name).toBe("app");
    expect((await parsePolicyHcl('path "a" { capabilities = ["read"] }', { file: "dir/ops.HCL" })).name).toBe("ops");
    expect((await parsePolicyHcl('path "a" { capabilities = ["read"] }', { file: "a.hcl.bak" })).name).toBe("a.hcl.bak");
  });
});
