import { ModelValidationError, formatIssue, joinPath } from "../../../model/errors";

describe("model errors", () => {
  it("joins paths with dots and indices", () => {
    expect(joinPath(["pki", "intermediates", 0, "ttl"])).toBe("pki.intermediates[0].ttl");
    expect(joinPath([])).toBe("(root)");
  });

  it("formats file, line, column, path and message", () => {
    expect(formatIssue({ path: "a.b", message: "bad", file: "x.yaml", line: 3, column: 5 })).toBe("x.yaml:3:5: a.b: bad");
    expect(formatIssue({ path: "a.b", message: "bad", line: 3 })).toBe("line 3: a.b: bad");
    expect(formatIssue({ path: "a.b", message: "bad" })).toBe("a.b: bad");
  });

  it("lists several issues in one message and keeps them structured", () => {
    const e = new ModelValidationError([
      { path: "a", message: "one" },
      { path: "b", message: "two" },
    ]);
    expect(e.message).toBe("2 problems:\n  - a: one\n  - b: two");
    expect(e.issues).toHaveLength(2);
    expect(e.name).toBe("ModelValidationError");
  });
});
