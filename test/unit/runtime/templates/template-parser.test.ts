/**
 * The template syntax: references with their line and column, filters, literals, and a typed
 * error with the line for every malformed reference.
 */
import { TemplateSyntaxError } from "../../../../runtime/templates/template-errors";
import { parseTemplate } from "../../../../runtime/templates/template-parser";

describe("parseTemplate", () => {
  it("splits text and references, with the position of each reference", () => {
    const parsed = parseTemplate(
      "app.env",
      'DB_USER={{ database app username }}\nDB_PASS={{database app password|quote}}\nKEY={{ kv secret "app/api" token | trim | base64 }}\n',
    );
    expect(parsed.parts.filter((p) => typeof p === "string")).toEqual(["DB_USER=", "\nDB_PASS=", "\nKEY=", "\n"]);
    expect(parsed.references.map((r) => [r.line, r.column, r.source, r.filters])).toEqual([
      [1, 9, { kind: "database", name: "app", field: "username" }, []],
      [2, 9, { kind: "database", name: "app", field: "password" }, ["quote"]],
      [3, 5, { kind: "kv", mount: "secret", path: "app/api", field: "token" }, ["trim", "base64"]],
    ]);
    expect(parsed.references[2].text).toBe('kv secret "app/api" token | trim | base64');
  });

  it("reads every source and a literal that writes braces", () => {
    const parsed = parseTemplate(
      "t",
      '{{ static db app password }}{{ pki cassandra private_key }}{{ transit transit k decrypt "vault:v1:abc" }}{{ transit transit k latest_version }}{{ "{{" }}',
    );
    expect(parsed.references.map((r) => r.source)).toEqual([
      { kind: "static", mount: "db", role: "app", field: "password" },
      { kind: "pki", name: "cassandra", field: "private_key" },
      { kind: "transit-decrypt", mount: "transit", key: "k", ciphertext: "vault:v1:abc" },
      { kind: "transit-version", mount: "transit", key: "k" },
      { kind: "literal", text: "{{" },
    ]);
  });

  it("adds no empty text piece before a reference at the start or right after another", () => {
    const parsed = parseTemplate("t", '{{ database app username }}{{ "-" }}x');
    expect(parsed.parts.map((p) => (typeof p === "string" ? p : p.source.kind))).toEqual(["database", "literal", "x"]);
  });

  it("reads every certificate field and keeps blanks inside a quoted string", () => {
    const fields = ["certificate", "private_key", "issuing_ca", "ca_chain", "serial", "not_after"];
    const parsed = parseTemplate("t", fields.map((f) => `{{ pki c ${f} }}`).join(""));
    expect(parsed.references.map((r) => r.source)).toEqual(fields.map((field) => ({ kind: "pki", name: "c", field })));
    expect(parseTemplate("t", '{{ "a b" }}{{ kv secret "my app" f }}').references.map((r) => r.source)).toEqual([
      { kind: "literal", text: "a b" },
      { kind: "kv", mount: "secret", path: "my app", field: "f" },
    ]);
  });

  it("a `{{` inside a quoted string is literal, one outside it leaves the reference unclosed", () => {
    expect(parseTemplate("t", '{{ "a{{b" }}').references.map((r) => r.source)).toEqual([{ kind: "literal", text: "a{{b" }]);
    // A quoted `{{` before the reference does not make the one inside it literal.
    expect(() => parseTemplate("t", 'say "hi" {{ kv a {{ b }}')).toThrow(/line 1.*not closed/);
    expect(() => parseTemplate("t", 'a"{{ kv s p {{ f }}')).toThrow(/not closed/);
  });

  it("keeps a template without references as it is", () => {
    expect(parseTemplate("t", "a: b\nc: d\n").parts).toEqual(["a: b\nc: d\n"]);
    expect(parseTemplate("t", "").parts).toEqual([]);
  });

  it.each([
    ["a\nb: {{ kv secret app\n", 2, 4, /not closed/],
    ["x\ny\n  {{ }}", 3, 3, /empty reference/],
    ["{{ vault secret x y }}", 1, 1, /unknown source "vault"/],
    ["\n{{ kv secret app }}", 2, 1, /`kv` takes 3 argument\(s\): \{\{ kv <mount> <path> <field> \}\}/],
    ["{{ kv secret app f | upper }}", 1, 1, /unknown filter "upper" \(known: quote, base64, trim\)/],
    ["{{ kv secret app f | }}", 1, 1, /followed by one filter/],
    ["{{ kv secret app f | quote trim base64 }}", 1, 1, /followed by one filter/],
    ["{{ kv secret app f | | quote }}", 1, 1, /followed by one filter/],
    ["{{ | quote }}", 1, 1, /needs a source before its first `\|`/],
    ["{{ | upper }}", 1, 1, /unknown filter "upper"/],
    ['{{ "\\x" }}', 1, 1, /bad string "\\x"/],
    ["{{ database app }}", 1, 1, /`database` takes 2 argument\(s\): \{\{ database <name> username\|password \}\}/],
    ["{{ static db app }}", 1, 1, /`static` takes 3 argument\(s\): \{\{ static <mount> <role> username\|password \}\}/],
    [
      "{{ pki c }}",
      1,
      1,
      /`pki` takes 2 argument\(s\): \{\{ pki <name> certificate\|private_key\|issuing_ca\|ca_chain\|serial\|not_after \}\}/,
    ],
    ["{{ transit t k decrypt }}", 1, 1, /`transit` takes 4 argument\(s\): \{\{ transit <mount> <key> decrypt "<ciphertext>" \}\}/],
    ["{{ transit t k latest_version x }}", 1, 1, /`transit` takes 3 argument\(s\): \{\{ transit <mount> <key> latest_version \}\}/],
    ["{{ database app token }}", 1, 1, /username or password/],
    [
      "{{ pki cert key }}",
      1,
      1,
      /unknown certificate field "key" \(known: certificate, private_key, issuing_ca, ca_chain, serial, not_after\)/,
    ],
    ["{{ transit transit k encrypt x }}", 1, 1, /decrypt/],
    ['{{ "lit" extra }}', 1, 1, /literal takes no arguments/],
    ['{{ kv secret "app f }}', 1, 1, /unterminated string/],
    ['{{ kv secret "" f }}', 1, 1, /must not be empty/],
  ])("refuses %j at line %i, column %i", (text, line, column, message) => {
    let error: unknown;
    try {
      parseTemplate("broken.yaml", text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error).toMatchObject({ template: "broken.yaml", line, column });
    expect(String(error)).toMatch(message);
    expect(String(error)).toContain(`template "broken.yaml" line ${line}`);
  });
});
