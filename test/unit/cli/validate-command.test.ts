import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../cli/main";
import { CliIo } from "../../../cli/cli-io";

const FIXTURES = join(__dirname, "../../fixtures/constructs");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultsmith-validate-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: dir, out: () => out.join(""), err: () => err.join("") };
}

describe("vaultsmith validate", () => {
  it("accepts a valid estate with exit 0", async () => {
    const io = capture();
    expect(await main(["validate", join(FIXTURES, "full-estate.yaml")], io)).toBe(0);
    expect(io.out()).toBe(`${join(FIXTURES, "full-estate.yaml")}: valid estate\n`);
    expect(io.err()).toBe("");
  });

  it("reports every problem at once as file:line:column: field: message, exit 2, no stack", async () => {
    writeFileSync(
      join(dir, "bad.yaml"),
      [
        "target:",
        "  edition: vault-pro",
        "  version: 2.6.1",
        "kv:",
        "  - path: secret",
        "    maxVersions: many",
        "    bogus: 1",
        "namespace: ${NO_SUCH_VAR}",
        "",
      ].join("\n"),
    );
    const io = capture();
    expect(await main(["validate", "bad.yaml"], io)).toBe(2);
    const lines = io.err().trimEnd().split("\n");
    expect(lines[0]).toMatch(/^bad\.yaml:2:3: target\.edition: /);
    expect(lines).toContain("bad.yaml:8:1: namespace: environment variable NO_SUCH_VAR is not set");
    expect(lines.some((l) => /^bad\.yaml:6:5: kv\[0\]\.maxVersions: /.test(l))).toBe(true);
    expect(lines.some((l) => /^bad\.yaml:7:5: kv\[0\](\.bogus)?: .*bogus/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe(`vaultsmith validate: ${lines.length - 1} problems in bad.yaml`);
    expect(io.err()).not.toMatch(/\n\s+at /);
  });

  it("locates a missing closing quote at the quote that opened it", async () => {
    writeFileSync(join(dir, "quote.yaml"), 'target:\n  edition: openbao\n  version: "2.6.1\nnamespace: x\n');
    const io = capture();
    expect(await main(["validate", "quote.yaml"], io)).toBe(2);
    expect(io.err()).toContain('quote.yaml:3:12: (yaml): malformed YAML: Missing closing "quote\n');
  });

  it("recognises seed and cert-watch files; --allow-unset-env accepts unset ${NAME} references", async () => {
    const seed = join(__dirname, "../../../examples/cdktf/vault_integration.yaml");
    const watch = join(__dirname, "../../../examples/cassandra/cert-watch.yaml");
    const strict = capture();
    expect(await main(["validate", seed], strict)).toBe(2);
    expect(strict.err()).toMatch(
      /vault_integration\.yaml:\d+:\d+: vault_integration\.authentication\.role_id: environment variable VAULT_ROLE_ID is not set/,
    );
    const relaxed = capture();
    expect(await main(["validate", seed, watch, "--allow-unset-env"], relaxed)).toBe(0);
    expect(relaxed.out()).toBe(`${seed}: valid seed\n${watch}: valid cert-watch\n`);
  });

  it("names an unreadable file, and --json gives one verdict per file", async () => {
    const io = capture();
    expect(await main(["validate", "missing.yaml", "--json"], io)).toBe(2);
    expect(JSON.parse(io.out())).toEqual([
      {
        file: "missing.yaml",
        kind: "unreadable",
        valid: false,
        issues: [{ file: "missing.yaml", path: "(file)", message: "cannot read the file (ENOENT): check the path" }],
      },
    ]);
  });
});
