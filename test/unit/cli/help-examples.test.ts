/**
 * Every `$ vaultsmith …` example in the CLI's help parses as the program's own command line, and
 * every relative file or folder it names exists in this repository (or is written by an example
 * before it in the same help: `--out-dir tls/`, `> plan.json`), so a user can paste an example
 * from a clone and it runs. Absolute paths (`/etc/...`) stand for the user's own files.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { Command, CommanderError } from "commander";
import { CliIo, Runner } from "../../../cli/cli-io";
import { buildProgram } from "../../../cli/main";

const ROOT = join(__dirname, "../../..");
const OUTPUT_OPTIONS = ["--out-dir", "--out"];
/** Options whose value is a file the command reads. */
const INPUT_FILE_OPTIONS = ["--config", "--csr"];
const FILE_LIKE = /\/|\.(ya?ml|hcl|json|pem|tfplan)$/;

const io: CliIo = { stdout: () => undefined, stderr: () => undefined, env: {}, cwd: ROOT };
/** Parsing only: actions do nothing. */
const noRun: Runner = () => async () => undefined;

function program(): Command {
  const p = buildProgram(io, noRun);
  const silence = (c: Command): void => {
    c.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    c.commands.forEach(silence);
  };
  silence(p);
  return p;
}

/** Every command of the program with its full help text. */
function helps(): Array<{ path: string; help: string }> {
  const out: Array<{ path: string; help: string }> = [];
  const walk = (c: Command, path: string): void => {
    let help = "";
    c.configureOutput({ writeOut: (t) => (help += t) });
    c.outputHelp();
    out.push({ path, help });
    for (const sub of c.commands) if (sub.name() !== "help") walk(sub, `${path} ${sub.name()}`);
  };
  walk(program(), "vaultsmith");
  return out;
}

/** Words of one example line after `$ `: shell words, without `VAR=…` prefixes and `# comments`. */
function exampleCommands(help: string): string[][] {
  return help
    .split("\n")
    .filter((line) => /^\s+\$ /.test(line))
    .flatMap((line) =>
      line
        .replace(/^\s+\$ /, "")
        .replace(/\s+#.*$/, "")
        .split(/\s*(?:&&|\|)\s*/),
    )
    .map((part) => part.split(/\s+/).filter((w) => w !== "" && !/^[A-Z_]+=/.test(w)));
}

function matchesGlob(pattern: string): boolean {
  const dir = join(ROOT, dirname(pattern));
  const re = new RegExp(`^${pattern.split("/").pop()!.replace(/\./g, "\\.").replace(/\*/g, "[^/]*")}$`);
  return existsSync(dir) && readdirSync(dir).some((name) => re.test(name));
}

const ALL = helps();

/** Long options that take a value, in any command (their values are not positional arguments). */
const VALUE_OPTIONS = new Set<string>();
(function collect(c: Command): void {
  for (const o of c.options) if ((o.required || o.optional) && o.long) VALUE_OPTIONS.add(o.long);
  c.commands.forEach(collect);
})(program());

describe("CLI help examples", () => {
  it("every command and subcommand has examples", () => {
    const without = ALL.filter(({ help }) => exampleCommands(help).length === 0).map(({ path }) => path);
    expect(without).toEqual([]);
  });

  it.each(ALL.map(({ path, help }) => [path, help]))("%s: each vaultsmith example parses", (_path, help) => {
    for (const words of exampleCommands(help).filter((w) => w[0] === "vaultsmith" && !w.includes("<command>"))) {
      let error: unknown;
      try {
        program().parse(words.slice(1), { from: "user" });
      } catch (e) {
        error = e;
      }
      // exitOverride throws for help/version only on purpose; anything else is a parse failure.
      if (error instanceof CommanderError && !["commander.helpDisplayed", "commander.version"].includes(error.code)) {
        throw new Error(`"${words.join(" ")}": ${error.message}`);
      }
      expect(error === undefined || error instanceof CommanderError).toBe(true);
    }
  });

  it.each(ALL.map(({ path, help }) => [path, help]))("%s: each file an example names exists in the repository", (_path, help) => {
    const written = new Set<string>();
    const missing: string[] = [];
    for (const line of help.split("\n").filter((l) => /^\s+\$ /.test(l))) {
      const redirect = /> (\S+)\s*$/.exec(line)?.[1];
      for (const words of exampleCommands(line.replace(/>\s*\S+\s*$/, ""))) {
        words.forEach((word, i) => {
          const option = words[i - 1];
          if (OUTPUT_OPTIONS.includes(option)) return void written.add(word.replace(/\/$/, ""));
          if (VALUE_OPTIONS.has(option) && !INPUT_FILE_OPTIONS.includes(option)) return;
          const file = word.includes("=") && !word.startsWith("-") ? word.slice(word.indexOf("=") + 1) : word;
          if (file.startsWith("-") || file.startsWith("/") || /^[a-z]+:\/\//.test(file) || !FILE_LIKE.test(file)) return;
          const local = file.replace(/^[\w./-]+:(?=\S)/, (ref) => (/^(origin|HEAD|main)/.test(ref) ? "" : ref));
          if ([...written].some((w) => local === w || local.startsWith(`${w}/`))) return;
          if (local.includes("*") ? matchesGlob(local) : existsSync(join(ROOT, local))) return;
          if (/^[\w-]+\.\w+$/.test(local) && words[0] === "terraform") return;
          missing.push(`${words.join(" ")}: ${file}`);
        });
      }
      if (redirect) written.add(redirect);
    }
    expect(missing).toEqual([]);
  });
});
