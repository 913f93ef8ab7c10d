/**
 * The parser refuses exactly what a real server refuses, for the same reason, and accepts what it
 * accepts (every Vault documentation example, written to the server after rendering).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { renderHcl } from "../../../policies/hcl-render";
import { PolicyValidationError } from "../../../policies/policy-error";
import { parsePolicy } from "../../../policies/policy-parse";
import { DevServer, startDevServer } from "../../support/dev-server";
import { selectedFlavors } from "../../support/server-binaries";
import { PolicyEvaluator } from "../../../policies/policy-evaluator";
import { serverCapabilities, tokenWithPolicies, tryWritePolicy } from "./policy-server";

const DOCS_DIR = join(__dirname, "../../fixtures/policies/vault-docs");

const BAD_INPUTS: readonly { label: string; text: string; reason: string; line: number }[] = [
  { label: "unknown key", text: 'path "a" {\n  capabilities = ["read"]\n  bogus = 1\n}', reason: 'invalid key "bogus"', line: 3 },
  { label: "+*", text: 'path "a/+*" {\n  capabilities = ["read"]\n}', reason: "invalid use of wildcards ('+*' is forbidden)", line: 1 },
  { label: "unknown capability", text: 'path "a" {\n  capabilities = ["read", "fly"]\n}', reason: 'invalid capability "fly"', line: 2 },
  {
    label: "max_wrapping_ttl below min",
    text: 'path "a" {\n  capabilities = ["read"]\n  min_wrapping_ttl = "2h"\n  max_wrapping_ttl = "1h"\n}',
    reason: "max_wrapping_ttl cannot be less than min_wrapping_ttl",
    line: 4,
  },
  { label: "unknown legacy policy", text: 'path "a" {\n  policy = "admin"\n}', reason: 'invalid policy "admin"', line: 2 },
  {
    label: "unbalanced template",
    text: 'path "a/{{identity.entity.id}}}}" {\n  capabilities = ["read"]\n}',
    reason: "unbalanced templating characters",
    line: 1,
  },
  { label: "unknown top-level key", text: 'path "a" {\n  capabilities = ["read"]\n}\nnope = 1', reason: 'invalid key "nope"', line: 4 },
];

describe.each(selectedFlavors())("policy parsing agrees with a real %s server", (flavor) => {
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer(flavor);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it.each(BAD_INPUTS)("refuses $label like the server, with file and line", async ({ text, reason, line }) => {
    const serverErrors = await tryWritePolicy(server, "bad-input", text);
    expect(serverErrors.join("\n")).toContain(reason);
    let ours: PolicyValidationError | undefined;
    try {
      await parsePolicy(text, { name: "bad-input", file: "bad.hcl", flavor });
    } catch (error) {
      ours = error as PolicyValidationError;
    }
    expect(ours).toBeInstanceOf(PolicyValidationError);
    expect(ours?.reason).toContain(reason);
    expect(ours?.line).toBe(line);
    // Where the server names a line (unknown keys), it is the same line.
    const serverLine = /on line (\d+)/.exec(serverErrors.join("\n"));
    if (serverLine) expect(Number(serverLine[1])).toBe(line);
  });

  it("writes escaped quotes, backslashes and non-ASCII in paths the way the server reads them", async () => {
    const doc = { name: "escapes", rules: [{ path: 'odd/"q"\\p/é😀/*', capabilities: ["read" as const] }] };
    expect(await tryWritePolicy(server, "escapes", renderHcl(doc))).toEqual([]);
    const token = await tokenWithPolicies(server, ["escapes"]);
    const paths = ['odd/"q"\\p/é😀/x', 'odd/"q"/p/x', "odd/q/x"];
    const answer = await serverCapabilities(server, token, paths);
    const evaluator = new PolicyEvaluator([doc], { flavor });
    for (const path of paths) expect([path, evaluator.capabilities(path)]).toEqual([path, [...answer[path]].sort()]);
    expect(answer[paths[0]]).toEqual(["read"]);
  });

  it("maps legacy policy values (deny, read, write, sudo) to the capabilities the server grants", async () => {
    const text = [
      'path "l/deny" { policy = "deny" }',
      'path "l/read" { policy = "read" }',
      'path "l/write" { policy = "write" }',
      'path "l/sudo" { policy = "sudo" }',
      'path "l/mixed" {\n  capabilities = ["patch"]\n  policy = "read"\n}',
    ].join("\n");
    expect(await tryWritePolicy(server, "legacy", text)).toEqual([]);
    const token = await tokenWithPolicies(server, ["legacy"]);
    const paths = ["l/deny", "l/read", "l/write", "l/sudo", "l/mixed"];
    const answer = await serverCapabilities(server, token, paths);
    const evaluator = new PolicyEvaluator([await parsePolicy(text, { name: "legacy", flavor })], { flavor });
    for (const path of paths) expect([path, evaluator.capabilities(path)]).toEqual([path, [...answer[path]].sort()]);
  });

  it.each(readdirSync(DOCS_DIR).filter((f) => /\.(hcl|json)$/.test(f)))(
    "accepts the documentation example %s as written and as rendered",
    async (file) => {
      const text = readFileSync(join(DOCS_DIR, file), "utf8");
      expect(await tryWritePolicy(server, "docs-original", text)).toEqual([]);
      const doc = await parsePolicy(text, { file, flavor });
      expect(await tryWritePolicy(server, "docs-rendered", renderHcl(doc))).toEqual([]);
    },
  );
});
