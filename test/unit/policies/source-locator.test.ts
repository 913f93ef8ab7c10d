import { lineAndColumn, locatePathBlocks } from "../../../policies/source-locator";

describe("locatePathBlocks", () => {
  it("finds HCL blocks and their keys, skipping comments and strings", () => {
    const text = [
      '# path "fake" {',
      'path "a" {',
      '  capabilities = ["path \\"b\\" {"]',
      '  /* path "c" { */',
      "  max_wrapping_ttl = 1",
      "}",
      'path "d" { policy = "read" }',
    ].join("\n");
    const blocks = locatePathBlocks(text);
    expect(blocks.map((b) => [b.path, b.line])).toEqual([
      ["a", 2],
      ["d", 7],
    ]);
    expect(blocks[0].keyLines.get("max_wrapping_ttl")).toBe(5);
  });

  it("finds JSON path entries", () => {
    const blocks = locatePathBlocks('{\n "path": {\n  "a": {\n   "capabilities": ["read"]\n  }\n }\n}');
    expect(blocks.map((b) => [b.path, b.line, b.keyLines.get("capabilities")])).toEqual([["a", 3, 4]]);
  });

  it("converts offsets to 1-based lines and columns", () => {
    expect(lineAndColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});
