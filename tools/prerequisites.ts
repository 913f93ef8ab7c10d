/**
 * `npm test`'s `pretest`: the Debian packages the test suite needs (OpenLDAP's slapd and
 * ldap-utils for the LDAP tests, Java 17, Maven and openssl for Cassandra, PostgreSQL for the
 * database engine and lease tests, MariaDB for the database engine tests, python3 with pip to fetch OpenBao). When some are missing it installs them — only as root with apt-get, slapd's
 * configuration question preseeded — or stops at once with the exact command to run. With
 * `VAULTSMITH_NO_INSTALL=1` it never installs, only tells.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { postgresBinDir } from "./server-versions";

/** What the machine has, as far as the tests care. */
export interface Probe {
  /** Whether an executable exists at an absolute path or on PATH. */
  readonly has: (command: string) => boolean;
  /** Major version of the Java the Cassandra harness would run ($JAVA_HOME/bin/java, else java on PATH). */
  readonly javaMajor: () => number | undefined;
  /** Whether `python3 -c "import pip"` succeeds. */
  readonly pythonPip: () => boolean;
  /** Whether a PostgreSQL server (`postgres` and `initdb`) is installed where Debian puts it. */
  readonly postgres: () => boolean;
  /** Running as root. */
  readonly isRoot: boolean;
}

/** One Debian package the suite needs. */
export interface Requirement {
  readonly pkg: string;
  readonly why: string;
  readonly present: (probe: Probe) => boolean;
}

/** Every package the test suite needs, in install order. */
export const REQUIREMENTS: readonly Requirement[] = [
  { pkg: "python3", why: "fetches OpenBao (PyPI)", present: (p) => p.has("python3") },
  { pkg: "python3-pip", why: "fetches OpenBao (PyPI)", present: (p) => p.pythonPip() },
  { pkg: "slapd", why: "LDAP auth tests run a real OpenLDAP server", present: (p) => p.has("/usr/sbin/slapd") },
  { pkg: "ldap-utils", why: "LDAP auth tests load the directory with ldapadd", present: (p) => p.has("/usr/bin/ldapadd") },
  { pkg: "openjdk-17-jre-headless", why: "Cassandra 5.0 runs on Java 17", present: (p) => p.javaMajor() === 17 },
  { pkg: "maven", why: "fetches Cassandra's jars", present: (p) => p.has("mvn") },
  { pkg: "openssl", why: "builds the tests' PKCS#12 stores", present: (p) => p.has("openssl") },
  { pkg: "postgresql", why: "database engine and lease tests run a real PostgreSQL", present: (p) => p.postgres() },
  { pkg: "mariadb-server", why: "database engine tests run a real MariaDB", present: (p) => p.has("/usr/sbin/mariadbd") },
];

/** The commands that install `packages` on Debian as root (slapd asks no question). */
export function installCommands(packages: readonly string[]): string[] {
  return [
    "apt-get update",
    ...(packages.includes("slapd") ? ["echo 'slapd slapd/no_configuration boolean true' | debconf-set-selections"] : []),
    `DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages.join(" ")}`,
  ];
}

/** What to do about the machine. */
export type Plan =
  | { readonly action: "none" }
  | { readonly action: "install"; readonly packages: readonly string[]; readonly commands: readonly string[] }
  | { readonly action: "fail"; readonly message: string };

/** Decide from `probe`: nothing missing, install (root with apt-get, installs allowed), or fail with the exact commands. */
export function plan(probe: Probe, options: { readonly allowInstall: boolean }): Plan {
  const missing = REQUIREMENTS.filter((r) => !r.present(probe));
  if (missing.length === 0) return { action: "none" };
  const packages = missing.map((r) => r.pkg);
  const commands = installCommands(packages);
  if (options.allowInstall && probe.isRoot && probe.has("apt-get") && probe.has("debconf-set-selections"))
    return { action: "install", packages, commands };
  const sudo = probe.isRoot ? "" : "sudo ";
  const lines = commands.map((c) => (c.startsWith("echo") ? c.replace("| debconf", `| ${sudo}debconf`) : `${sudo}${c}`));
  const javaNote =
    packages.includes("openjdk-17-jre-headless") && probe.has("java")
      ? " (another Java is installed: after installing 17, set JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 or the like)"
      : "";
  return {
    action: "fail",
    message: `the tests need Debian packages that are missing: ${missing.map((r) => `${r.pkg} (${r.why})`).join(", ")}${javaNote}. Install them with:\n  ${lines.join("\n  ")}`,
  };
}

function onPath(command: string): boolean {
  const candidates = command.startsWith("/")
    ? [command]
    : (process.env.PATH ?? "")
        .split(delimiter)
        .filter(Boolean)
        .map((d) => join(d, command));
  return candidates.some((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The probe of this machine. */
export function machineProbe(): Probe {
  return {
    has: onPath,
    javaMajor: () => {
      const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : onPath("java") ? "java" : undefined;
      if (!java) return undefined;
      const out = spawnSync(java, ["-version"], { encoding: "utf8" });
      const major = /version "(\d+)/.exec(`${out.stderr}${out.stdout}`)?.[1];
      return major === undefined ? undefined : Number(major);
    },
    pythonPip: () => spawnSync("python3", ["-c", "import pip"], { stdio: "ignore" }).status === 0,
    postgres: () => postgresBinDir() !== undefined,
    isRoot: typeof process.getuid === "function" && process.getuid() === 0,
  };
}

function runMain(): number {
  const probe = machineProbe();
  const decided = plan(probe, { allowInstall: process.env.VAULTSMITH_NO_INSTALL !== "1" });
  if (decided.action === "none") return 0;
  if (decided.action === "fail") {
    process.stderr.write(`prerequisites: ${decided.message}\n`);
    return 1;
  }
  process.stdout.write(`prerequisites: installing ${decided.packages.join(" ")}\n`);
  for (const command of decided.commands) {
    process.stdout.write(`+ ${command}\n`);
    const result = spawnSync("sh", ["-c", command], { stdio: "inherit" });
    if (result.status !== 0) {
      process.stderr.write(`prerequisites: \`${command}\` failed (exit ${result.status ?? result.signal}); run it by hand and retry\n`);
      return 1;
    }
  }
  const after = plan(machineProbe(), { allowInstall: false });
  if (after.action === "fail") {
    process.stderr.write(`prerequisites: still missing after the install: ${after.message}\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) process.exitCode = runMain();
