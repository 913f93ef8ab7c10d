import { normaliseMountPath, targetOf } from "../../../../runtime/auth/auth-method";

describe("normaliseMountPath", () => {
  it("refuses an auth/ prefix and dot segments, naming the fix", () => {
    expect(() => normaliseMountPath("auth/approle", "approle")).toThrow(
      'mount path is relative to auth/: give "approle", not "auth/approle"',
    );
    expect(() => normaliseMountPath("team/../approle", "approle")).toThrow(
      'mount path must not contain empty, "." or ".." segments: "team/../approle"',
    );
    expect(() => normaliseMountPath("team//approle", "approle")).toThrow(TypeError);
  });

  it("strips slashes and falls back to the method's default", () => {
    expect(normaliseMountPath("/team/approle/", "approle")).toBe("team/approle");
    expect(normaliseMountPath(undefined, "approle")).toBe("approle");
  });

  it("rejects an empty path", () => {
    expect(() => normaliseMountPath("///", "approle")).toThrow("mount path must not be empty");
  });
});

describe("targetOf", () => {
  it("names the method and its mount for errors", () => {
    expect(targetOf({ name: "ldap", mountPath: "corp" })).toEqual({ authMethod: "ldap", mountPath: "corp" });
  });
});
