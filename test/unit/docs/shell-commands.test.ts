/**
 * The docs tell the truth about the command line: every command in a shell block (```sh) of
 * README.md and docs/*.md names something that exists — `vaultsmith …` / `npx vaultsmith …` is
 * parsed by the CLI's own commander program (command, subcommand, options and arguments must be
 * accepted), `npm run <script>` must be a script of package.json — and the cheap, self-contained
 * ones (help, version, validate, policy fmt|lint|test on the repository's example files) are run
 * and must exit 0.
 *
 * Notation the docs may use: `[--opt value]` for an optional part (checked with the part, run
 * without it), `VAR=value` prefixes, `\` continuations, `&&` between commands, `# comments`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { CliIo } from "../../../cli/cli-io";
import { buildProgram, main } from "../../../cli/main";

const ROOT = join(__dirname, "../../..");

/** One command line found in a document. */
interface DocCommand {
  /** `README.md:101`. */
  readonly where: string;
  /** The line as written (continuations joined, comment removed). */
  readonly text: string;
  /** Words with optional parts kept (brackets removed): what must parse. */
  readonly full: readonly string[];
  /** Words without the optional parts: what is run. */
  readonly minimal: readonly string[];
}

/** Split a command line into words (single and double quotes group; no expansion). */
function words(line: string): string[] {
  const out: string[] = [];
  let current = "";
  let quote: string | undefined;
  let started = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started || current) out.push(current);
      current = "";
      started = false;
    } else {
      current += ch;
    }
  }
  if (started || current) out.push(current);
  return out;
}

/** Remove `[...]` groups (minimal) or only their brackets (full). */
function optional(tokens: readonly string[], keep: boolean): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const token of tokens) {
    let t = token;
    const opens = t.startsWith("[") ? 1 : 0;
    if (opens) t = t.slice(1);
    const closes = t.endsWith("]") ? 1 : 0;
    if (closes) t = t.slice(0, -1);
    depth += opens;
    if ((depth === 0 || keep) && t !== "") out.push(t);
    depth -= closes;
  }
  return out;
}

/** Every command line of the ```sh / ```bash / ```shell blocks of `markdown`. */
function shellCommands(markdown: string, file: string): DocCommand[] {
  const commands: DocCommand[] = [];
  const lines = markdown.split("\n");
  let inShell = false;
  let inOther = false;
  let pending = "";
  let pendingLine = 0;
  lines.forEach((raw, index) => {
    const fence = /^\s*```(\S*)/.exec(raw);
    if (fence) {
      if (inShell || inOther) {
        inShell = inOther = false;
      } else if (["sh", "bash", "shell", "console"].includes(fence[1])) {
        inShell = true;
      } else {
        inOther = true;
      }
      return;
    }
    if (!inShell) return;
    if (pending === "") pendingLine = index + 1;
    const line = raw.replace(/^\s*\$\s+/, "");
    if (line.trimEnd().endsWith("\\")) {
      pending += `${line.trimEnd().slice(0, -1)} `;
      return;
    }
    const joined = `${pending}${line}`.replace(/(^|\s)#.*$/, "").trim();
    pending = "";
    if (joined === "") return;
    for (const part of joined.split(/\s*(?:&&|;)\s*/)) {
      const tokens = words(part);
      while (tokens.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(tokens[0])) tokens.shift();
      if (tokens.length === 0) continue;
      commands.push({ where: `${file}:${pendingLine}`, text: part, full: optional(tokens, true), minimal: optional(tokens, false) });
    }
  });
  return commands;
}

const DOCS = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`),
];

const ALL = DOCS.flatMap((file) => shellCommands(readFileSync(join(ROOT, file), "utf8"), file));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };

/** The vaultsmith arguments of a command (`npx vaultsmith a b` → `[a, b]`), or undefined for another program. */
function vaultsmithArgs(tokens: readonly string[]): string[] | undefined {
  if (tokens[0] === "vaultsmith") return tokens.slice(1);
  if (tokens[0] === "npx" && tokens[1] === "vaultsmith") return tokens.slice(2);
  return undefined;
}

const silentIo: CliIo = { stdout: () => undefined, stderr: () => undefined, env: {}, cwd: ROOT };

/** What commander says about `args` when the actions do nothing: undefined when it accepts them. */
async function commanderVerdict(args: readonly string[]): Promise<string | undefined> {
  const program = buildProgram(silentIo, () => async () => undefined);
  const quiet = (command: Command): void => {
    command.exitOverride();
    command.configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined });
    command.commands.forEach(quiet);
  };
  quiet(program);
  try {
    await program.parseAsync([...args], { from: "user" });
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError && (error.code === "commander.helpDisplayed" || error.code === "commander.version"))
      return undefined;
    return error instanceof Error ? error.message : String(error);
  }
}

/** Whether the docs test runs this vaultsmith command: no server, no writes, no network. */
function isSelfContained(args: readonly string[]): boolean {
  if (args.some((a) => a === "--help" || a === "-h" || a === "--version" || a === "-V")) return true;
  if (args[0] === "validate") return true;
  if (args[0] === "policy" && ["lint", "test"].includes(args[1])) return true;
  if (args[0] === "policy" && args[1] === "fmt") return !args.includes("--write");
  return false;
}

describe("shell blocks of README.md and docs/*.md", () => {
  it("finds the commands (the extraction itself works)", () => {
    expect(DOCS).toContain("docs/policies.md");
    const texts = ALL.map((c) => c.text);
    expect(texts).toContain("npm ci");
    expect(texts).toContain("npm run demo");
    expect(ALL.filter((c) => vaultsmithArgs(c.full)).length).toBeGreaterThanOrEqual(10);
  });

  it("reads the notation: optional parts, env prefixes, continuations, &&, comments", () => {
    const found = shellCommands(
      [
        "```sh",
        "A=1 B='x y' npm ci && npm run demo  # both",
        "vaultsmith policy lint dir/ [--kv2-mount secret/] \\",
        "  --json",
        "```",
      ].join("\n"),
      "t.md",
    );
    expect(found).toEqual([
      { where: "t.md:2", text: "A=1 B='x y' npm ci", full: ["npm", "ci"], minimal: ["npm", "ci"] },
      { where: "t.md:2", text: "npm run demo", full: ["npm", "run", "demo"], minimal: ["npm", "run", "demo"] },
      {
        where: "t.md:3",
        text: "vaultsmith policy lint dir/ [--kv2-mount secret/]    --json",
        full: ["vaultsmith", "policy", "lint", "dir/", "--kv2-mount", "secret/", "--json"],
        minimal: ["vaultsmith", "policy", "lint", "dir/", "--json"],
      },
    ]);
  });

  it("names only programs the test can check: vaultsmith, npx vaultsmith, npm", () => {
    const other = ALL.filter((c) => !vaultsmithArgs(c.full) && c.full[0] !== "npm").map((c) => `${c.where}: ${c.text}`);
    expect(other).toEqual([]);
  });

  it("every npm command is a built-in or a script of package.json", () => {
    const wrong = ALL.filter((c) => c.full[0] === "npm")
      .filter((c) => {
        const [, sub, script] = c.full;
        if (sub === "run") return pkg.scripts[script] === undefined;
        if (sub === "test") return pkg.scripts.test === undefined;
        return !["ci", "install", "pack"].includes(sub);
      })
      .map((c) => `${c.where}: ${c.text}`);
    expect(wrong).toEqual([]);
  });

  it("every vaultsmith command is accepted by the CLI's commander program (commands, options, arguments)", async () => {
    const refused: string[] = [];
    for (const c of ALL) {
      const args = vaultsmithArgs(c.full);
      if (!args) continue;
      const verdict = await commanderVerdict(args);
      if (verdict !== undefined) refused.push(`${c.where}: ${c.text}: ${verdict}`);
    }
    expect(refused).toEqual([]);
  });

  it("the self-contained vaultsmith commands run and exit 0 (help, version, validate, policy fmt|lint|test on the example files)", async () => {
    const ran: string[] = [];
    const failed: string[] = [];
    for (const c of ALL) {
      const args = vaultsmithArgs(c.minimal);
      if (!args || !isSelfContained(args)) continue;
      let err = "";
      const code = await main(args, { stdout: () => undefined, stderr: (t) => (err += t), env: {}, cwd: ROOT });
      ran.push(args.join(" "));
      if (code !== 0) failed.push(`${c.where}: ${c.text}: exit ${code}: ${err.trim()}`);
    }
    expect(failed).toEqual([]);
    expect(ran).toEqual(expect.arrayContaining(["--help", "validate examples/estate.yaml", "policy lint examples/policies/"]));
  });
});
