import { ModelValidationError } from "../../../model/errors";
import { parseYaml } from "../../../model/yaml-loader";

function yamlIssues(text: string): readonly unknown[] {
  try {
    parseYaml(text, "estate.yaml");
  } catch (e) {
    if (e instanceof ModelValidationError) return e.issues;
    throw e;
  }
  throw new Error("expected a ModelValidationError");
}

describe("parseYaml: malformed documents", () => {
  it("refuses an alias to no anchor (found by fuzzing: it escaped as a ReferenceError), at the alias", () => {
    expect(yamlIssues("a: 1\nb: *nowhere\n")).toEqual([
      {
        path: "(yaml)",
        message: "malformed YAML: Unresolved alias (the anchor must be set before the alias): nowhere",
        file: "estate.yaml",
        line: 2,
        column: 4,
      },
    ]);
  });

  it("refuses a document whose aliases expand without bound (billion laughs)", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [name, prev] of [
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
      ["e", "d"],
      ["f", "e"],
    ])
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    expect(yamlIssues(levels.join("\n"))).toEqual([
      expect.objectContaining({ path: "(yaml)", message: expect.stringMatching(/^malformed YAML: Excessive alias count/), line: 1 }),
    ]);
  });

  it("points an unclosed double quote at the quote that opened it, past escaped quotes", () => {
    expect(yamlIssues('a: 1\nb: "x \\" y\nc: 2\n')).toEqual([
      { path: "(yaml)", message: 'malformed YAML: Missing closing "quote', file: "estate.yaml", line: 2, column: 4 },
    ]);
  });

  it("points an unclosed single quote at the quote that opened it, past doubled quotes", () => {
    expect(yamlIssues("a: 1\nb: 'it''s\nc: 2\n")).toEqual([
      { path: "(yaml)", message: "malformed YAML: Missing closing 'quote", file: "estate.yaml", line: 2, column: 4 },
    ]);
  });

  it("refuses a key given twice (the second would silently win), at the second", () => {
    expect(yamlIssues("a: 1\nb: 2\na: 3\n")).toEqual([
      { path: "(yaml)", message: "malformed YAML: Map keys must be unique", file: "estate.yaml", line: 3, column: 1 },
    ]);
  });

  it("finds an opening quote at the very start of the text", () => {
    expect(yamlIssues('"abc')).toEqual([
      { path: "(yaml)", message: 'malformed YAML: Missing closing "quote', file: "estate.yaml", line: 1, column: 1 },
    ]);
  });

  it("a missing bracket is not a missing quote", () => {
    expect(yamlIssues("[1, 2")).toEqual([
      { path: "(yaml)", message: "malformed YAML: Flow sequence must end with a ]", file: "estate.yaml", line: 1, column: 6 },
    ]);
  });

  it("reports other syntax errors in one line at their position", () => {
    expect(yamlIssues("a: [1, 2\n")).toEqual([
      {
        path: "(yaml)",
        message: "malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
        file: "estate.yaml",
        line: 2,
        column: 1,
      },
    ]);
  });
});

describe("parseYaml: data and locations", () => {
  const text = "# estate\ntop:\n  list:\n    - name: a\n      val: 1\n    - name: b\n  other: x\nnum: 5\n";
  const { data, locate } = parseYaml(text, "estate.yaml");

  it("returns the document as plain data", () => {
    expect(data).toEqual({ top: { list: [{ name: "a", val: 1 }, { name: "b" }], other: "x" }, num: 5 });
  });

  it.each([
    [["top"], 2, 1],
    [["top", "list"], 3, 3],
    [["top", "other"], 7, 3],
    [["top", "list", 0, "val"], 5, 7],
    [["top", "list", 1, "name"], 6, 7],
    [["num"], 8, 1],
  ])("locates the key of %j at line %i, column %i", (path, line, column) => {
    expect(locate(path)).toEqual({ line, column });
  });

  it.each([
    [["top", "list", 1], 6, 7, "a list item: where its content starts"],
    [["top", "list", 1, "missing"], 6, 7, "a key the item lacks: the item"],
    [["top", "list", 7], 4, 5, "an index past the end: the list"],
    [["num", "deep"], 8, 6, "below a scalar: the scalar's value"],
    [["nope"], 2, 1, "an unknown top-level key: the document"],
    [[], 2, 1, "the root: the document"],
  ])("locates %j at line %i, column %i (%s)", (path, line, column) => {
    expect(locate(path)).toEqual({ line, column });
  });
});
