/**
 * A real OpenLDAP server (`slapd` from Debian's `slapd` package, loaded with `ldapadd` from
 * `ldap-utils`) on a free loopback port, for LDAP auth tests. Its config (a `slapd.conf` with
 * an MDB database) and data live in a temp directory of the run registry; the process is a
 * {@link ServerProcess}, so it is recorded and reaped like the Vault servers.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { waitFor } from "./harness-http";
import { freePort } from "./ports";
import { serverTempDir } from "./run-registry";
import { ServerProcess } from "./server-process";

const run = promisify(execFile);

const SLAPD = "/usr/sbin/slapd";
const LDAPADD = "/usr/bin/ldapadd";
const LDAPWHOAMI = "/usr/bin/ldapwhoami";
const SCHEMAS = ["core", "cosine", "inetorgperson", "nis"];

/** A user to create under `ou=people`. */
export interface LdapUser {
  /** `uid` of the user (the login name). */
  readonly uid: string;
  /** Password (stored as given; test data only). */
  readonly password: string;
}

/** A group to create under `ou=groups` (`groupOfNames`). */
export interface LdapGroup {
  /** `cn` of the group. */
  readonly name: string;
  /** `uid`s of the members. */
  readonly members: readonly string[];
}

/** What to load into the directory. */
export interface LdapServerOptions {
  /** Users. */
  readonly users: readonly LdapUser[];
  /** Groups. @default none */
  readonly groups?: readonly LdapGroup[];
  /** Deadline for start-up, in milliseconds. @default 30000 */
  readonly timeoutMs?: number;
}

/** A running slapd with its directory loaded. */
export interface LdapServer {
  /** `ldap://127.0.0.1:<port>`. */
  readonly url: string;
  /** Base DN, `dc=vaultsmith,dc=test`. */
  readonly baseDn: string;
  /** DN of the users' container. */
  readonly userDn: string;
  /** DN of the groups' container. */
  readonly groupDn: string;
  /** Admin (rootdn) DN, for Vault's `binddn`. */
  readonly bindDn: string;
  /** Admin password (random per server), for Vault's `bindpass`. */
  readonly bindPassword: string;
  /** Stop slapd and delete its directory. */
  stop(): Promise<void>;
}

/** Throw with the install command when slapd or ldap-utils are missing. */
export function requireLdapTools(): void {
  for (const tool of [SLAPD, LDAPADD, LDAPWHOAMI]) {
    try {
      accessSync(tool, constants.X_OK);
    } catch {
      throw new Error(`${tool} is missing: install it with \`apt-get install -y slapd ldap-utils\``);
    }
  }
}

function ldif(baseDn: string, userDn: string, groupDn: string, options: LdapServerOptions): string {
  const entries = [
    [`dn: ${baseDn}`, "objectClass: top", "objectClass: dcObject", "objectClass: organization", "o: vaultsmith test", "dc: vaultsmith"],
    [`dn: ${userDn}`, "objectClass: organizationalUnit", "ou: people"],
    [`dn: ${groupDn}`, "objectClass: organizationalUnit", "ou: groups"],
    ...options.users.map((u) => [
      `dn: uid=${u.uid},${userDn}`,
      "objectClass: inetOrgPerson",
      `uid: ${u.uid}`,
      `cn: ${u.uid}`,
      `sn: ${u.uid}`,
      `userPassword: ${u.password}`,
    ]),
    ...(options.groups ?? []).map((g) => [
      `dn: cn=${g.name},${groupDn}`,
      "objectClass: groupOfNames",
      `cn: ${g.name}`,
      ...g.members.map((m) => `member: uid=${m},${userDn}`),
    ]),
  ];
  return `${entries.map((lines) => lines.join("\n")).join("\n\n")}\n`;
}

/** Start slapd on a free loopback port and load the users and groups; resolves once loaded. */
export async function startLdapServer(options: LdapServerOptions): Promise<LdapServer> {
  requireLdapTools();
  const dir = serverTempDir("slapd");
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const baseDn = "dc=vaultsmith,dc=test";
  const userDn = `ou=people,${baseDn}`;
  const groupDn = `ou=groups,${baseDn}`;
  const bindDn = `cn=admin,${baseDn}`;
  const bindPassword = randomBytes(12).toString("hex");
  mkdirSync(join(dir, "data"));
  const config = join(dir, "slapd.conf");
  writeFileSync(
    config,
    [
      ...SCHEMAS.map((s) => `include /etc/ldap/schema/${s}.schema`),
      `pidfile ${join(dir, "slapd.pid")}`,
      `argsfile ${join(dir, "slapd.args")}`,
      "modulepath /usr/lib/ldap",
      "moduleload back_mdb",
      "database mdb",
      "maxsize 67108864",
      `suffix "${baseDn}"`,
      `rootdn "${bindDn}"`,
      `rootpw ${bindPassword}`,
      `directory ${join(dir, "data")}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  const data = join(dir, "data.ldif");
  writeFileSync(data, ldif(baseDn, userDn, groupDn, options), { mode: 0o600 });
  const proc = new ServerProcess({
    binary: SLAPD,
    args: ["-f", config, "-h", `${url}/`, "-d", "0"],
    home: dir,
    secrets: [bindPassword, ...options.users.map((u) => u.password)],
  });
  const stop = async (): Promise<void> => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (!proc.isRunning) throw new Error("slapd exited early");
        await run(LDAPWHOAMI, ["-x", "-H", url, "-D", bindDn, "-w", bindPassword], { timeout: 5_000 });
        return true;
      },
      { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 200, describe: () => `slapd on ${url} did not answer:\n${proc.output()}` },
    );
    await run(LDAPADD, ["-x", "-H", url, "-D", bindDn, "-w", bindPassword, "-f", data], { timeout: 15_000 });
    return { url, baseDn, userDn, groupDn, bindDn, bindPassword, stop };
  } catch (error) {
    await stop();
    throw error instanceof Error ? new Error(error.message.split(bindPassword).join("<redacted>")) : error;
  }
}
