/**
 * Policy sets on disk: a directory (or a directory at a git ref, written `<ref>:<dir>`) of
 * `<name>.hcl` / `<name>.json` policy files and an optional `roles.yaml` that says which policies
 * each token role holds (`roles: { app-a: [app-a, base] }`). Without it, every policy is a role of
 * its own.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { PolicyDocument } from "./policy-document";
import { PolicyValidationError } from "./policy-error";
import { parsePolicy } from "./policy-parse";
import { storedPolicyName } from "./policy-name";
import { PolicyServerFlavor } from "./server-flavor";

/** The roles file name inside a policy directory. */
export const ROLES_FILE = "roles.yaml";

/** A loaded policy set. */
export interface PolicySet {
  /** Where it came from (directory or `<ref>:<dir>`). */
  readonly source: string;
  /** Policies by name, sorted by name. */
  readonly policies: readonly PolicyDocument[];
  /** Token roles and the policies each holds. */
  readonly roles: Readonly<Record<string, readonly string[]>>;
  /** Files whose name Vault would store differently (it lower-cases policy names); the set uses the stored name. */
  readonly renamed: readonly { readonly file: string; readonly stored: string }[];
}

const rolesSchema = z.object({ roles: z.record(z.string(), z.array(z.string()).min(1)) }).strict();

interface SourceFile {
  readonly name: string;
  readonly text: string;
}

function readDirectory(dir: string): SourceFile[] {
  return readdirSync(dir)
    .filter((name) => /\.(hcl|json)$/.test(name) || name === ROLES_FILE)
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));
}

function readGit(ref: string, dir: string, cwd: string): SourceFile[] {
  const prefix = dir === "" || dir === "." ? "" : `${dir.replace(/\/+$/, "")}/`;
  let listing: string;
  try {
    listing = execFileSync("git", ["ls-tree", "--name-only", `${ref}:${prefix}`], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    throw new Error(
      `cannot read ${JSON.stringify(`${ref}:${dir}`)} from git: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`,
    );
  }
  return listing
    .split("\n")
    .filter((name) => /\.(hcl|json)$/.test(name) || name === ROLES_FILE)
    .sort()
    .map((name) => ({ name, text: execFileSync("git", ["show", `${ref}:${prefix}${name}`], { cwd, encoding: "utf8" }) }));
}

/**
 * Load a policy set from `spec`: an existing directory, or `<git ref>:<directory>` read from the
 * repository at `cwd`. Throws `PolicyValidationError` (file and line) for a bad policy file.
 */
export async function loadPolicySet(spec: string, options: { flavor?: PolicyServerFlavor; cwd?: string } = {}): Promise<PolicySet> {
  const cwd = options.cwd ?? process.cwd();
  let files: SourceFile[];
  let label = (name: string) => join(spec, name);
  const local = resolve(cwd, spec);
  if (existsSync(local) && statSync(local).isDirectory()) {
    files = readDirectory(local);
  } else if (spec.includes(":")) {
    const colon = spec.indexOf(":");
    const ref = spec.slice(0, colon);
    const dir = spec.slice(colon + 1);
    files = readGit(ref, dir, cwd);
    label = (name) => `${ref}:${join(dir, name)}`;
  } else {
    throw new PolicyValidationError(
      { file: spec },
      "no such folder, and not <git ref>:<folder> either: give the folder your policy files are in",
    );
  }
  const policies: PolicyDocument[] = [];
  const renamed: { file: string; stored: string }[] = [];
  let roles: Record<string, string[]> | undefined;
  // Every file is read, so one run reports every bad file, not only the first.
  const problems: PolicyValidationError[] = [];
  for (const file of files) {
    if (file.name === ROLES_FILE) {
      let raw: unknown;
      try {
        raw = parseYaml(file.text);
      } catch (error) {
        problems.push(new PolicyValidationError({ file: label(file.name) }, `malformed YAML: ${(error as Error).message.split("\n")[0]}`));
        continue;
      }
      const parsed = rolesSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        problems.push(new PolicyValidationError({ file: label(file.name) }, `${issue.path.join(".") || "(root)"}: ${issue.message}`));
        continue;
      }
      roles = parsed.data.roles;
      continue;
    }
    const written = file.name.replace(/\.(hcl|json)$/, "");
    const stored = storedPolicyName(written);
    if (stored !== written) renamed.push({ file: label(file.name), stored });
    try {
      policies.push(await parsePolicy(file.text, { file: label(file.name), name: stored, flavor: options.flavor }));
    } catch (error) {
      if (!(error instanceof PolicyValidationError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new PolicySetValidationError(problems);
  policies.sort((a, b) => a.name.localeCompare(b.name));
  const names = new Set(policies.map((p) => p.name));
  if (roles) {
    for (const [role, held] of Object.entries(roles)) {
      const missing = held.filter((name) => !names.has(name));
      if (missing.length > 0)
        throw new PolicyValidationError(
          { file: label(ROLES_FILE) },
          `role ${JSON.stringify(role)} holds unknown policies: ${missing.join(", ")}`,
        );
    }
  }
  return { source: spec, policies, roles: roles ?? Object.fromEntries(policies.map((p) => [p.name, [p.name]])), renamed };
}

/** Several policy files of one set are invalid; `problems` holds each file's error. */
export class PolicySetValidationError extends Error {
  /** One error per bad file, in file order. */
  public readonly problems: readonly PolicyValidationError[];

  /** Create an error listing `problems` (two or more), one per line. */
  constructor(problems: readonly PolicyValidationError[]) {
    super(`${problems.length} policy files have errors:\n${problems.map((p) => `  ${p.message}`).join("\n")}`);
    this.name = "PolicySetValidationError";
    this.problems = problems;
  }
}

/** The documents a role holds. */
export function policiesOfRole(set: PolicySet, role: string): PolicyDocument[] {
  const names = set.roles[role] ?? [];
  return set.policies.filter((p) => names.includes(p.name));
}
