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

  it("keeps a template without references as it is", () => {
    expect(parseTemplate("t", "a: b\nc: d\n").parts).toEqual(["a: b\nc: d\n"]);
    expect(parseTemplate("t", "").parts).toEqual([]);
  });

  it.each([
    ["a\nb: {{ kv secret app\n", 2, 4, /not closed/],
    ["x\ny\n  {{ }}", 3, 3, /empty reference/],
    ["{{ vault secret x y }}", 1, 1, /unknown source "vault"/],
    ["\n{{ kv secret app }}", 2, 1, /`kv` takes 3 argument/],
    ["{{ kv secret app f | upper }}", 1, 1, /unknown filter "upper"/],
    ["{{ kv secret app f | }}", 1, 1, /followed by one filter/],
    ["{{ database app token }}", 1, 1, /username or password/],
    ["{{ pki cert key }}", 1, 1, /unknown certificate field "key"/],
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
