import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../cli/main";
import { CliIo } from "../../../cli/cli-io";

const ESTATE = join(__dirname, "../../fixtures/policies/estate");
const scratch: string[] = [];

function scratchDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `vaultsmith-${label}-`));
  scratch.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function capture(env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: ESTATE, out: () => out.join(""), err: () => err.join("") };
}

describe("vaultsmith policy", () => {
  it("diff prints what each role gains and loses; --fail-on-widen exits 1 when access widens", async () => {
    const io = capture();
    expect(await main(["policy", "diff", "base", "head"], io)).toBe(0);
    expect(io.out()).toContain("role app-a gains delete on secret/data/app-a/*\n");
    const strict = capture();
    expect(await main(["policy", "diff", "base", "head", "--fail-on-widen"], strict)).toBe(1);
    const same = capture();
    expect(await main(["policy", "diff", "head", "head", "--fail-on-widen"], same)).toBe(0);
    expect(same.out()).toBe("no access changes\n");
  });

  it("diff --format markdown prints a table", async () => {
    const io = capture();
    expect(await main(["policy", "diff", "base", "head", "--format", "markdown"], io)).toBe(0);
    expect(io.out()).toContain("| role | path | gains | loses | e.g. |");
    expect(await main(["policy", "diff", "base", "head", "--format", "html"], capture())).toBe(2);
  });

  it("test runs YAML suites and exits 1 on a failing case", async () => {
    const passing = capture();
    expect(await main(["policy", "test", "policy-tests.yaml"], passing)).toBe(0);
    expect(passing.out()).toContain("7 passed, 0 failed");
    const failing = capture();
    expect(await main(["policy", "test", "failing-tests.yaml"], failing)).toBe(1);
    expect(failing.out()).toContain("✗ ops may read prod secrets (failing-tests.yaml:3)");
    const bad = capture();
    expect(await main(["policy", "test", "bad-suite.yaml"], bad)).toBe(2);
    expect(bad.err()).toContain("bad-suite.yaml:3: cases.0.operation");
  });

  it("lint reports hidden denies as errors (exit 1) and passes a clean set", async () => {
    const dir = scratchDir("lint");
    writeFileSync(join(dir, "guard.hcl"), 'path "secret/data/prod/*" {\n  capabilities = ["deny"]\n}\n');
    writeFileSync(join(dir, "app.hcl"), 'path "secret/data/prod/db" {\n  capabilities = ["read"]\n}\n');
    writeFileSync(join(dir, "roles.yaml"), "roles:\n  app: [guard, app]\n");
    const io = capture();
    expect(await main(["policy", "lint", dir], io)).toBe(1);
    expect(io.out()).toContain('error   deny-not-effective guard "secret/data/prod/*"');
    writeFileSync(join(dir, "Shouty.hcl"), 'path "x" {\n  capabilities = ["read"]\n}\n');
    const renamed = capture();
    await main(["policy", "lint", dir], renamed);
    expect(renamed.out()).toContain(`warning policy-name-case shouty "${join(dir, "Shouty.hcl")}"`);
    expect(renamed.out()).toContain('is stored as "shouty"');
    const clean = capture();
    expect(await main(["policy", "lint", "head"], clean)).toBe(0);
    expect(clean.out()).toBe("no findings\n");
  });

  it("lint refuses a folder without policy files (exit 2) and reports every bad file, not only the first", async () => {
    const empty = scratchDir("empty");
    const none = capture();
    expect(await main(["policy", "lint", empty], none)).toBe(2);
    expect(none.err()).toBe(
      `vaultsmith policy lint: ${empty} holds no policy files (*.hcl or *.json): give the folder your policies are in\n`,
    );
    expect(none.out()).toBe("");
    const bad = scratchDir("bad");
    writeFileSync(join(bad, "a.hcl"), 'path "x" {\n  capabilities = ["reed"]\n}\n');
    writeFileSync(join(bad, "b.hcl"), 'path "y" {\n  nope = 1\n}\n');
    const two = capture();
    expect(await main(["policy", "lint", bad], two)).toBe(2);
    expect(two.err()).toContain(`${join(bad, "a.hcl")}:2`);
    expect(two.err()).toContain(`${join(bad, "b.hcl")}:2`);
    expect(two.err()).toContain("PolicySetValidationError: 2 policy files have errors:");
    const missing = capture();
    expect(await main(["policy", "lint", "no-such-folder"], missing)).toBe(2);
    expect(missing.err()).toContain("no-such-folder: no such folder");
  });

  it("fmt prints canonical HCL, rewrites with --write, and reports bad input with file and line", async () => {
    const dir = scratchDir("fmt");
    const file = join(dir, "p.hcl");
    writeFileSync(file, 'path "a" { capabilities = ["read","create"] }');
    const io = capture();
    expect(await main(["policy", "fmt", file], io)).toBe(0);
    expect(io.out()).toBe('path "a" {\n  capabilities = ["create", "read"]\n}\n');
    expect(await main(["policy", "fmt", file, "--write"], capture())).toBe(0);
    expect(readFileSync(file, "utf8")).toBe('path "a" {\n  capabilities = ["create", "read"]\n}\n');
    writeFileSync(file, 'path "a" {\n  capabilities = ["read"]\n  nope = true\n}\n');
    const bad = capture();
    expect(await main(["policy", "fmt", file], bad)).toBe(2);
    expect(bad.err()).toContain(`${file}:3: path "a": invalid key "nope"`);
  });

  it("sync needs an address and a token", async () => {
    const io = capture();
    expect(await main(["policy", "sync", "head"], io)).toBe(2);
    expect(io.err()).toContain("no server address");
    const noToken = capture({ VAULT_ADDR: "http://127.0.0.1:1" });
    expect(await main(["policy", "sync", "head"], noToken)).toBe(2);
    expect(noToken.err()).toContain("no token");
  });
});
