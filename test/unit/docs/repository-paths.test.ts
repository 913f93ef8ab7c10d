/**
 * Docs name only what exists: every repository path written in backticks in README.md and
 * docs/*.md (`test/unit/...`, `runtime/...`, a folder, a `*` pattern) is in the repository, so a
 * claim such as "covered by test/integration/…" points at a real test.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../../..");
const TOP = ["test", "runtime", "policies", "model", "drift", "constructs", "stacks", "cli", "examples", "tools", "bench", "docs"];
const PATH = new RegExp(`\`((?:${TOP.join("|")})/[A-Za-z0-9_./*-]*)\``, "g");

/** Whether `pattern` (a path, `*` for one segment's characters, `**` for any depth) names something here. */
function exists(pattern: string): boolean {
  if (!pattern.includes("*")) return existsSync(join(ROOT, pattern));
  const segments = pattern.replace(/\/$/, "").split("/");
  const walk = (dir: string, rest: string[]): boolean => {
    if (rest.length === 0) return true;
    const [head, ...tail] = rest;
    if (!existsSync(dir)) return false;
    const entries = readdirSync(dir, { withFileTypes: true });
    if (head === "**") return walk(dir, tail) || entries.some((e) => e.isDirectory() && walk(join(dir, e.name), rest));
    const re = new RegExp(`^${head.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    return entries.some((e) => re.test(e.name) && walk(join(dir, e.name), tail));
  };
  return walk(ROOT, segments);
}

const DOCS = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`)].filter((f) => f.endsWith(".md"));

describe("paths named in the docs", () => {
  it.each(DOCS)("%s names only paths that exist", (doc) => {
    const named = [...readFileSync(join(ROOT, doc), "utf8").matchAll(PATH)].map((m) => m[1].replace(/[.,]$/, ""));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((p) => !exists(p))).toEqual([]);
  });

  it("the matcher refuses a path that does not exist and accepts patterns that match", () => {
    expect(exists("test/unit/docs/repository-paths.test.ts")).toBe(true);
    expect(exists("test/unit/docs/no-such.test.ts")).toBe(false);
    expect(exists("test/integration/runtime/**")).toBe(true);
    expect(exists("test/integration/runtime/certs/*.test.ts")).toBe(true);
    expect(exists("test/integration/nowhere/*.test.ts")).toBe(false);
  });
});
