/**
 * Which real servers a test run uses (`VAULTSMITH_SERVER=openbao|vault|both`, default
 * {@link DEFAULT_FLAVORS}) and where their binaries are.
 *
 * - OpenBao is the pinned release `npm run servers:build` fetches; a missing binary fails with
 *   that command.
 * - HashiCorp Vault is whatever binary the user has: `VAULT_BINARY` (a path, or a command name
 *   looked up on the PATH), else `vault` on the PATH. Its `vault version` must name HashiCorp
 *   Vault; the version it reports is the one the tests expect the server to report. A missing or
 *   unusable binary fails with what to set.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, resolve } from "node:path";
import { DEFAULT_FLAVORS, OPENBAO_BUILD, ServerFlavor, openBaoBinaryPath } from "../../tools/server-versions";

export type { ServerFlavor } from "../../tools/server-versions";

const ALL: readonly ServerFlavor[] = ["openbao", "vault"];

/** Flavours selected by `VAULTSMITH_SERVER`. Throws on an unknown value. */
export function selectedFlavors(value = process.env.VAULTSMITH_SERVER): readonly ServerFlavor[] {
  const choice = (value ?? "").trim().toLowerCase();
  if (choice === "") return DEFAULT_FLAVORS;
  if (choice === "both") return ALL;
  if (choice === "openbao" || choice === "vault") return [choice];
  throw new Error(`VAULTSMITH_SERVER must be openbao, vault or both; got "${value}"`);
}

/** A server binary the harness runs, and what it says it is. */
export interface ServerBinary {
  readonly flavor: ServerFlavor;
  /** Absolute path of the executable. */
  readonly path: string;
  /** Version as `<binary> version` reports it and `sys/health` will: `1.21.4`, `1.15.2+ent`. */
  readonly version: string;
  /** Commit `<binary> version` names, when it names one. */
  readonly commit: string | undefined;
}

/** What `<binary> version` says: product, version and commit. */
export interface ReportedVersion {
  readonly product: "Vault" | "OpenBao";
  readonly version: string;
  readonly commit: string | undefined;
}

/**
 * Parse `vault version` / `bao version` output: `Vault v1.21.4 (ffe7023c…), built 2025-…`,
 * `Vault v1.15.2+ent ('a1b2…')` (older releases quote the commit), `OpenBao v2.6.1 (ba7ad886…), …`.
 */
export function parseVersionOutput(output: string): ReportedVersion | undefined {
  const match = /^(Vault|OpenBao) v(\d+\.\d+\.\d+\S*)(?: \('?([0-9a-f]{7,40})'?\))?/m.exec(output.trim());
  if (!match) return undefined;
  return { product: match[1] as ReportedVersion["product"], version: match[2].replace(/,$/, ""), commit: match[3] };
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** How to find and ask a binary; tests pass their own. */
export interface BinaryLookup {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly isExecutable: (path: string) => boolean;
  /** Run `<path> version`: its exit status and output, or the error that kept it from starting. */
  readonly version: (path: string) => { status: number | null; output: string; error?: Error };
}

/** The real file system and processes, with `env` (default: this process's) and `cwd`. */
export const systemLookup = (env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): BinaryLookup => ({
  env,
  cwd,
  isExecutable: isExecutableFile,
  version: (path) => {
    const result = spawnSync(path, ["version"], { encoding: "utf8", timeout: 15_000, env: { PATH: process.env.PATH ?? "" } });
    return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}`, error: result.error };
  },
});

const HOW_TO_SET = "set VAULT_BINARY=/path/to/vault or put a HashiCorp Vault binary named vault on the PATH";

function onPath(name: string, lookup: BinaryLookup): string | undefined {
  for (const dir of (lookup.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = resolve(lookup.cwd, dir, name);
    if (lookup.isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Path of the HashiCorp Vault binary to test against: `VAULT_BINARY` (a path, relative to the
 * working directory, or a bare command name looked up on the PATH), else `vault` on the PATH.
 * Throws one line saying what to set.
 */
export function findVaultBinary(lookup: BinaryLookup = systemLookup()): string {
  const given = (lookup.env.VAULT_BINARY ?? "").trim();
  if (given !== "") {
    const bare = !given.includes("/");
    const path = bare ? onPath(given, lookup) : isAbsolute(given) ? given : resolve(lookup.cwd, given);
    if (path === undefined || !lookup.isExecutable(path)) {
      const where = bare ? `no executable named ${given} on the PATH` : `${path} is not an executable file`;
      throw new Error(`VAULT_BINARY=${given}: ${where}: set VAULT_BINARY to the path of a HashiCorp Vault binary`);
    }
    return path;
  }
  const found = onPath("vault", lookup);
  if (found === undefined) throw new Error(`VAULTSMITH_SERVER asks for HashiCorp Vault but no vault binary was found: ${HOW_TO_SET}`);
  return found;
}

/** Ask `path version` and check it is HashiCorp Vault. Throws one line naming the binary and the fix. */
export function vaultBinary(path: string, lookup: BinaryLookup = systemLookup()): ServerBinary {
  const result = lookup.version(path);
  const output = result.output.trim();
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit status ${result.status}${output ? `: ${output.split("\n")[0]}` : ""}`;
    throw new Error(`${path} version failed (${why}): ${HOW_TO_SET}`);
  }
  const reported = parseVersionOutput(output);
  if (!reported) throw new Error(`${path} version printed ${JSON.stringify(output.split("\n")[0])}, not "Vault v…": ${HOW_TO_SET}`);
  if (reported.product !== "Vault") {
    throw new Error(
      `${path} is ${reported.product} v${reported.version}, not HashiCorp Vault: run with VAULTSMITH_SERVER=openbao, or ${HOW_TO_SET}`,
    );
  }
  return { flavor: "vault", path, version: reported.version, commit: reported.commit };
}

/** The pinned OpenBao binary; throws with the command that fetches it when it is missing. */
export function openBaoBinary(isExecutable: (path: string) => boolean = isExecutableFile): ServerBinary {
  const path = openBaoBinaryPath();
  if (!isExecutable(path)) {
    throw new Error(`openbao ${OPENBAO_BUILD.version} is not built: ${path} is missing. Build it with \`npm run servers:build openbao\`.`);
  }
  return { flavor: "openbao", path, version: OPENBAO_BUILD.version, commit: OPENBAO_BUILD.commit };
}

const resolved = new Map<ServerFlavor, ServerBinary>();

/** The binary of `flavor` with the version it reports (looked up once per process). */
export function serverBinary(flavor: ServerFlavor): ServerBinary {
  const known = resolved.get(flavor);
  if (known) return known;
  const binary = flavor === "openbao" ? openBaoBinary() : vaultBinary(findVaultBinary());
  resolved.set(flavor, binary);
  return binary;
}

/** Path of the binary for `flavor`; throws with what to build or set when there is none. */
export function requireServerBinary(flavor: ServerFlavor): string {
  return serverBinary(flavor).path;
}

/** `vault 1.21.4 (commit ffe7023c, /usr/local/bin/vault)`: how a run names the server it tests. */
export function describeServerBinary(binary: ServerBinary): string {
  const commit = binary.commit ? `commit ${binary.commit.slice(0, 8)}, ` : "";
  return `${binary.flavor} ${binary.version} (${commit}${binary.path})`;
}
