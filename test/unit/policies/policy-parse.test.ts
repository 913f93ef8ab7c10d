import { PolicyValidationError } from "../../../policies/policy-error";
import { parsePolicy, parsePolicyJson } from "../../../policies/policy-parse";

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
