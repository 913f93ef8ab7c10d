/**
 * The validation plumbing on its own: locating issues in a source, zod issues as raw issues,
 * labelled construct props, unset `${NAME}` references and dropping unset props.
 */
import { ModelValidationError } from "../../../model/errors";
import {
  constructLabel,
  locateIssues,
  omitUndefined,
  prefixed,
  throwLabelled,
  unsetEnvIssues,
  validateLabelled,
  validateSpec,
  zodIssues,
} from "../../../model/validation";
import { z } from "zod";

const schema = z.strictObject({ name: z.string().min(1), port: z.number().int().default(80) });

function thrown(action: () => unknown): ModelValidationError {
  try {
    action();
  } catch (e) {
    if (e instanceof ModelValidationError) return e;
    throw e;
  }
  throw new Error("expected a ModelValidationError");
}

describe("locateIssues", () => {
  it("joins the path under the prefix and adds the file and the located line and column", () => {
    const locate = (path: readonly PropertyKey[]) => (path[0] === "a" ? { line: 3, column: 5 } : undefined);
    expect(
      locateIssues(
        [
          { path: ["a", 0], message: "m1" },
          { path: ["b"], message: "m2" },
        ],
        { file: "estate.yaml", locate, pathPrefix: ["root"] },
      ),
    ).toEqual([
      { path: "root.a[0]", message: "m1", file: "estate.yaml", line: 3, column: 5 },
      { path: "root.b", message: "m2", file: "estate.yaml" },
    ]);
  });

  it("without options: only path and message, and the root for an empty path", () => {
    expect(locateIssues([{ path: [], message: "m" }])).toEqual([{ path: "(root)", message: "m" }]);
    expect(locateIssues([{ path: ["x"], message: "m" }], { file: "" })).toEqual([{ path: "x", message: "m", file: "" }]);
  });
});

describe("zodIssues and validateSpec", () => {
  it("reports each unknown key at the key, other issues at their path", () => {
    const result = schema.safeParse({ name: "", extra: 1, more: 2 });
    expect(result.success).toBe(false);
    const issues = zodIssues(result.error as z.ZodError);
    expect(issues).toContainEqual({ path: ["extra"], message: 'unknown key "extra"' });
    expect(issues).toContainEqual({ path: ["more"], message: 'unknown key "more"' });
    expect(issues).toContainEqual(expect.objectContaining({ path: ["name"] }));
    expect(issues).toHaveLength(3);
  });

  it("returns the parsed output (defaults filled) or throws every problem, located", () => {
    expect(validateSpec(schema, { name: "n" })).toEqual({ name: "n", port: 80 });
    const error = thrown(() => validateSpec(schema, { name: "n", port: "x", other: true }, { file: "f.yaml" }));
    expect(error.issues.map((i) => [i.path, i.file])).toEqual(
      expect.arrayContaining([
        ["port", "f.yaml"],
        ["other", "f.yaml"],
      ]),
    );
    expect(error.issues).toHaveLength(2);
  });
});

describe("labelled construct props", () => {
  it("validateLabelled prefixes every path with the construct's label", () => {
    expect(validateLabelled("Kv(stack/kv)", schema, { name: "n", port: 1 })).toEqual({ name: "n", port: 1 });
    const error = thrown(() => validateLabelled("Kv(stack/kv)", schema, { name: "" }));
    expect(error.issues).toEqual([expect.objectContaining({ path: "Kv(stack/kv).name" })]);
  });

  it("throwLabelled throws the issues under the label, and nothing for none", () => {
    expect(() => throwLabelled("L", [])).not.toThrow();
    const error = thrown(() => throwLabelled("L", [{ path: ["keys", 1, "name"], message: "twice" }]));
    expect(error.issues).toEqual([{ path: "L.keys[1].name", message: "twice" }]);
    expect(error.message).toBe("L.keys[1].name: twice");
  });

  it("constructLabel names the class and the construct path", () => {
    expect(constructLabel("TransitEngine", "stack/transit")).toBe("TransitEngine(stack/transit)");
  });
});

describe("small helpers", () => {
  it("prefixed puts the prefix before each issue's path", () => {
    expect(
      prefixed(
        ["auth", "jwt"],
        [
          { path: ["roles", 0], message: "m" },
          { path: [], message: "n" },
        ],
      ),
    ).toEqual([
      { path: ["auth", "jwt", "roles", 0], message: "m" },
      { path: ["auth", "jwt"], message: "n" },
    ]);
  });

  it("unsetEnvIssues turns a dotted path with indexes into path segments", () => {
    expect(unsetEnvIssues([{ name: "DB_PASS", path: "database[0].connections[12].password" }])).toEqual([
      { path: ["database", 0, "connections", 12, "password"], message: "environment variable DB_PASS is not set" },
    ]);
    expect(unsetEnvIssues([{ name: "X", path: "a1.b2" }])[0].path).toEqual(["a1", "b2"]);
  });

  it("omitUndefined drops only undefined values", () => {
    expect(omitUndefined({ a: undefined, b: null, c: 0, d: false, e: "" })).toEqual({ b: null, c: 0, d: false, e: "" });
    expect(Object.keys(omitUndefined({ a: undefined }))).toEqual([]);
  });
});
