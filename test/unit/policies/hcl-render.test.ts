import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { renderHcl } from "../../../policies/hcl-render";
import { PathRule, PolicyDocument } from "../../../policies/policy-document";
import { parsePolicy } from "../../../policies/policy-parse";

const DOCS_DIR = join(__dirname, "../../fixtures/policies/vault-docs");

describe("renderHcl", () => {
  it("renders canonical HCL: fixed key order, sorted parameter names, blank line between blocks", () => {
    const doc: PolicyDocument = {
      name: "p",
      rules: [
        {
          path: "auth/approle/role/r/secret-id",
          capabilities: ["update", "create"],
          maxWrappingTtlSeconds: 90,
          minWrappingTtlSeconds: 1,
          requiredParameters: ["metadata"],
          deniedParameters: { z: [], a: ["x"] },
          allowedParameters: { metadata: [], "*": [] },
        },
        { path: "secret/x", capabilities: ["deny"] },
      ],
    };
    expect(renderHcl(doc)).toBe(
      [
        'path "auth/approle/role/r/secret-id" {',
        '  capabilities = ["create", "update"]',
        "  allowed_parameters = {",
        '    "*" = []',
        '    "metadata" = []',
        "  }",
        "  denied_parameters = {",
        '    "a" = ["x"]',
        '    "z" = []',
        "  }",
        '  required_parameters = ["metadata"]',
        '  min_wrapping_ttl = "1s"',
        '  max_wrapping_ttl = "90s"',
        "}",
        "",
        'path "secret/x" {',
        '  capabilities = ["deny"]',
        "}",
        "",
      ].join("\n"),
    );
  });

  it("escapes quotes and backslashes", async () => {
    const doc: PolicyDocument = { name: "p", rules: [{ path: 'odd/"quoted"\\path', capabilities: ["read"] }] };
    const text = renderHcl(doc);
    expect(text).toContain('path "odd/\\"quoted\\"\\\\path"');
    expect(await parsePolicy(text, { name: "p" })).toEqual(doc);
  });

  it("refuses to render a rule Vault would refuse", () => {
    expect(() => renderHcl({ name: "p", rules: [{ path: "a/+*", capabilities: ["read"] }] })).toThrow(
      'policy "p": path "a/+*": invalid use of wildcards',
    );
  });

  it("renders an empty policy as an empty string", () => {
    expect(renderHcl({ name: "p", rules: [] })).toBe("");
  });

  it.each(readdirSync(DOCS_DIR).filter((f) => /\.(hcl|json)$/.test(f)))("round-trips the Vault docs example %s", async (file) => {
    const text = readFileSync(join(DOCS_DIR, file), "utf8");
    const doc = await parsePolicy(text, { file });
    expect(doc.rules.length).toBeGreaterThan(0);
    const rendered = renderHcl(doc);
    const reparsed = await parsePolicy(rendered, { file });
    expect(reparsed).toEqual(doc);
    expect(renderHcl(reparsed)).toBe(rendered);
  });

  it("parse(render(doc)) is doc for generated documents", async () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", "/", "-", "_", ".", '"', "\\", "é", " ", "😀"), minLength: 1, maxLength: 8 });
    const key = text.filter((k) => !k.includes("*") && !(k.startsWith("/") && /~/.test(k)));
    const params = fc.option(
      fc
        .dictionary(key, fc.array(text, { maxLength: 3 }), { maxKeys: 3 })
        .filter((d) => new Set(Object.keys(d).map((k) => k.toLowerCase())).size === Object.keys(d).length),
      { nil: undefined },
    );
    const rule: fc.Arbitrary<PathRule> = fc
      .record({
        path: fc
          .tuple(text, fc.constantFrom("", "*", "/+/x", "/+/*"))
          .map(([p, end]) => `x${p}${end}`)
          .filter((p) => !p.includes("+*") && !p.includes("{{") && !p.includes("}}")),
        capabilities: fc.subarray(["create", "read", "update", "patch", "delete", "list", "sudo"] as const, { minLength: 1 }),
        allowedParameters: params,
        deniedParameters: params,
        requiredParameters: fc.option(fc.array(text, { minLength: 1, maxLength: 2 }), { nil: undefined }),
        minWrappingTtlSeconds: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
        maxWrappingTtlSeconds: fc.option(fc.integer({ min: 100_000, max: 1_000_000 }), { nil: undefined }),
      })
      .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as PathRule);
    await fc.assert(
      fc.asyncProperty(fc.array(rule, { minLength: 1, maxLength: 4 }), async (rules) => {
        const doc: PolicyDocument = { name: "generated", rules };
        const parsed = await parsePolicy(renderHcl(doc), { name: "generated" });
        expect(parsed).toEqual({
          name: "generated",
          rules: rules.map((r) => ({ ...r, capabilities: [...r.capabilities].sort(byCanonical) })),
        });
      }),
      { numRuns: 200 },
    );
  });
});

const ORDER = ["create", "read", "update", "patch", "delete", "list", "sudo", "deny", "subscribe", "recover"];
function byCanonical(a: string, b: string): number {
  return ORDER.indexOf(a) - ORDER.indexOf(b);
}
