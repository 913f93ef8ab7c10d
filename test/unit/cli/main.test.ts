import { Command } from "commander";
import { readFileSync } from "node:fs";
import { AddressInfo, createServer } from "node:net";
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
      /^vaultsmith: missing command: one of validate, synth, policy, drift, detect, cert \(see vaultsmith --help\)\n$/,
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
