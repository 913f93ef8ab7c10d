import { Command } from "commander";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildProgram, main } from "../../../cli/main";
import { CliIo } from "../../../cli/cli-io";

function capture(env: Record<string, string> = {}, cwd = process.cwd()): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd, out: () => out.join(""), err: () => err.join("") };
}

/** Every command path of the program: `policy`, `policy lint`, ... */
function commandPaths(): string[][] {
  const paths: string[][] = [];
  const walk = (command: Command, path: string[]): void => {
    for (const sub of command.commands) {
      if (sub.name() === "help") continue;
      paths.push([...path, sub.name()]);
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(
    buildProgram(
      capture(),
      (fn) =>
        async (...args) =>
          void (await fn(...args)),
    ),
    [],
  );
  return paths;
}

/** A loopback port nothing listens on (just released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("main", () => {
  it("prints the package version with --version and -V", async () => {
    const version = (JSON.parse(readFileSync(join(__dirname, "../../../package.json"), "utf8")) as { version: string }).version;
    for (const flag of ["--version", "-V"]) {
      const io = capture();
      expect(await main([flag], io)).toBe(0);
      expect(io.out()).toBe(`${version}\n`);
    }
  });

  it("prints help with the exit codes, ending in a newline; without a command it is a one-line usage error", async () => {
    const help = capture();
    expect(await main(["--help"], help)).toBe(0);
    expect(help.out()).toMatch(/^Usage: vaultsmith \[options\] \[command\]\n/);
    expect(help.out()).toContain("Exit codes:\n  0  success\n  1  failure while running");
    expect(help.out().endsWith("\n")).toBe(true);
    const none = capture();
    expect(await main([], none)).toBe(2);
    expect(none.err()).toMatch(
      /^vaultsmith: missing command: one of validate, synth, policy, drift, detect, cert, dr, audit, namespace \(see vaultsmith --help\)\n$/,
    );
  });

  it.each(commandPaths().map((path) => [path.join(" "), path] as const))("%s has --help with examples, exit 0", async (_name, path) => {
    for (const argv of [
      [...path, "--help"],
      [...path.slice(0, -1), "help", path[path.length - 1]],
    ]) {
      const io = capture();
      expect(await main(argv, io)).toBe(0);
      expect(io.out()).toContain(`Usage: vaultsmith ${path.join(" ")} `);
      expect(io.out()).toContain("Examples:\n  $ ");
      expect(io.out().endsWith("\n")).toBe(true);
      expect(io.err()).toBe("");
    }
  });

  it.each([
    [["nope"], "vaultsmith: unknown command 'nope' (see vaultsmith --help)"],
    [["policy", "nope"], "vaultsmith policy: unknown command 'nope' (see vaultsmith policy --help)"],
    [["policy"], "vaultsmith policy: missing command: one of fmt, lint, test, diff, sync (see vaultsmith policy --help)"],
    [["policy", "diff", "a", "b", "--bogus"], "vaultsmith policy diff: unknown option '--bogus' (see vaultsmith policy diff --help)"],
    [["policy", "lint"], "vaultsmith policy lint: missing required argument 'dir' (see vaultsmith policy lint --help)"],
    [["drift", "--help-me"], "vaultsmith drift: unknown option '--help-me' (Did you mean --help?) (see vaultsmith drift --help)"],
  ])("%j is one line on stderr and exit 2", async (argv, line) => {
    const io = capture();
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toBe(`${line}\n`);
    expect(io.out()).toBe("");
  });

  it("prints a stack trace only with --debug", async () => {
    const port = await closedPort();
    const env = { VAULT_ADDR: `http://127.0.0.1:${port}`, VAULT_TOKEN: "t" };
    const plain = capture(env);
    expect(await main(["detect"], plain)).toBe(1);
    expect(plain.err()).toBe(
      `vaultsmith detect: nothing answers at http://127.0.0.1:${port} (connection refused): check the address (VAULT_ADDR or --address) and that the server is running\n`,
    );
    const debug = capture(env);
    expect(await main(["detect", "--debug"], debug)).toBe(1);
    expect(debug.err().split("\n")[0]).toBe(plain.err().trimEnd());
    expect(debug.err()).toMatch(/\n {4}at /);
  });
});

describe("files named on the command line that cannot be read", () => {
  it("are bad input: one line with the path and the reason, exit 2, no stack trace", async () => {
    const missing = capture();
    expect(await main(["policy", "fmt", "no-such-policy.hcl"], missing)).toBe(2);
    expect(missing.err()).toBe(
      `vaultsmith policy fmt: cannot read ${join(process.cwd(), "no-such-policy.hcl")}: no such file or directory\n`,
    );
    const folder = capture();
    expect(await main(["policy", "test", "examples"], folder)).toBe(2);
    expect(folder.err()).toMatch(/^vaultsmith policy test: cannot read (a file|\S+): is a directory, not a file\n$/);
  });
});

describe("how main reports each kind of failure", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-main-"));
    mkdirSync(join(dir, "empty"));
    mkdirSync(join(dir, "bad-set"));
    for (const name of ["a.hcl", "b.hcl"]) writeFileSync(join(dir, "bad-set", name), 'path "a" {');
    writeFileSync(join(dir, "bad.hcl"), 'path "a" {');
    writeFileSync(join(dir, "bad.yaml"), "target:\n  edition: nope\n");
    writeFileSync(join(dir, "plain-file"), "x");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const unclosed =
    "HCL syntax: Unclosed configuration block; There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.";

  it("a usage error: the command, the message and the --help hint, exit 2", async () => {
    const io = capture();
    expect(await main(["detect"], io)).toBe(2);
    expect(io.err()).toBe("vaultsmith detect: give --address or set VAULT_ADDR (see vaultsmith detect --help)\n");
  });

  it("bad input: exit 2, the error's name unless it is a plain InputError, no hint", async () => {
    const empty = capture();
    expect(await main(["policy", "lint", join(dir, "empty")], empty)).toBe(2);
    expect(empty.err()).toBe(
      `vaultsmith policy lint: ${join(dir, "empty")} holds no policy files (*.hcl or *.json): give the folder your policies are in\n`,
    );
    const policy = capture();
    expect(await main(["policy", "fmt", join(dir, "bad.hcl")], policy)).toBe(2);
    expect(policy.err()).toBe(`vaultsmith policy fmt: PolicyValidationError: ${join(dir, "bad.hcl")}:1:10: ${unclosed}\n`);
    const set = capture();
    expect(await main(["policy", "lint", join(dir, "bad-set")], set)).toBe(2);
    expect(set.err()).toMatch(/^vaultsmith policy lint: PolicySetValidationError: 2 policy files have errors:\n/);
    const model = capture();
    expect(await main(["synth", join(dir, "bad.yaml")], model)).toBe(2);
    expect(model.err()).toMatch(/^vaultsmith synth: ModelValidationError: 2 problems:\n {2}- .*bad\.yaml:2:3: target\.edition: /);
  });

  it("a file that cannot be read because a part of its path is a file, or a folder that does not exist", async () => {
    const notDir = capture();
    expect(await main(["policy", "fmt", join(dir, "plain-file", "x.hcl")], notDir)).toBe(2);
    expect(notDir.err()).toBe(
      `vaultsmith policy fmt: cannot read ${join(dir, "plain-file", "x.hcl")}: a part of the path is not a directory\n`,
    );
    const folder = capture();
    expect(await main(["policy", "test", "examples"], folder)).toBe(2);
    expect(folder.err()).toBe("vaultsmith policy test: cannot read a file: is a directory, not a file\n");
  });

  it("a file that cannot be opened for a reason other than the four known ones is a failure while running: exit 1", async () => {
    symlinkSync(join(dir, "loop-b"), join(dir, "loop-a"));
    symlinkSync(join(dir, "loop-a"), join(dir, "loop-b"));
    const io = capture();
    expect(await main(["policy", "fmt", join(dir, "loop-a")], io)).toBe(1);
    expect(io.err()).toMatch(/^vaultsmith policy fmt: (Error: )?ELOOP: too many symbolic links encountered, open '[^']*loop-a'\n$/);
  });

  it("a file system error other than reading input is a failure while running: exit 1", async () => {
    const io = capture();
    expect(await main(["synth", "examples/estate.yaml", "--out", join(dir, "plain-file", "sub")], io)).toBe(1);
    // (Jest runs the test in its own realm, where Node's fs errors are not `instanceof Error`: hence the optional "Error: ".)
    expect(io.err()).toMatch(/^vaultsmith synth: (Error: )?ENOTDIR: not a directory, mkdir '[^']*plain-file\/sub'\n$/);
  });

  it("VAULTSMITH_DEBUG=1 adds the stack trace like --debug, for bad input too", async () => {
    const io = capture({ VAULTSMITH_DEBUG: "1" });
    expect(await main(["policy", "fmt", join(dir, "bad.hcl")], io)).toBe(2);
    const [first, second, third] = io.err().split("\n");
    expect(first).toBe(`vaultsmith policy fmt: PolicyValidationError: ${join(dir, "bad.hcl")}:1:10: ${unclosed}`);
    expect(second).toBe(`PolicyValidationError: ${join(dir, "bad.hcl")}:1:10: ${unclosed}`);
    expect(third).toMatch(/^ {4}at /);
    expect(io.err().endsWith("\n")).toBe(true);
    const off = capture({ VAULTSMITH_DEBUG: "0" });
    expect(await main(["policy", "fmt", join(dir, "bad.hcl")], off)).toBe(2);
    expect(off.err().split("\n")).toHaveLength(2);
  });

  it("--debug prints the causes below the error, each as 'caused by:'", async () => {
    const port = await closedPort();
    const io = capture({ VAULT_ADDR: `http://127.0.0.1:${port}`, VAULT_TOKEN: "t" });
    expect(await main(["detect", "--debug"], io)).toBe(1);
    const causes = io
      .err()
      .split("\n")
      .filter((l) => l.startsWith("caused by: "));
    expect(causes.length).toBeGreaterThanOrEqual(1);
    expect(io.err().split("\n")[1]).toMatch(/^ServerUnreachableError: /);
    expect(io.err().endsWith("\n")).toBe(true);
  });

  it("help, help <command> and --help exit 0 and show the program's own lines", async () => {
    for (const argv of [["help"], ["--help"]]) {
      const io = capture();
      expect(await main(argv, io)).toBe(0);
      expect(io.out()).toContain("HashiCorp Vault / OpenBao as code: estates, policies, certificates, drift\n");
      expect(io.out()).toMatch(/ {2}-V, --version +print the version\n/);
      expect(io.out()).toMatch(/ {2}--debug +print stack traces of failures\n/);
      expect(io.out()).toMatch(/ {2}help \[command\] +help for a command\n/);
    }
    const sub = capture();
    expect(await main(["help", "policy"], sub)).toBe(0);
    expect(sub.out()).toMatch(/^Usage: vaultsmith policy /);
  });
});
