import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BinaryLookup,
  describeServerBinary,
  findVaultBinary,
  parseVersionOutput,
  systemLookup,
  vaultBinary,
} from "../../support/server-binaries";

/** A directory of small executables standing in for binaries a user may have (real files, real spawns). */
let dir: string;

function script(relative: string, body: string): string {
  const path = join(dir, relative);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function lookup(env: Record<string, string | undefined>): BinaryLookup {
  return systemLookup(env, dir);
}

const VAULT_1_21 = 'echo "Vault v1.21.4 (ffe7023c481dc1ea2d8550bbaca8d85f8e611e0b), built 2026-03-04T17:40:05Z"';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultsmith-vault-binary-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("parseVersionOutput", () => {
  it.each([
    [
      "Vault v1.21.4 (ffe7023c481dc1ea2d8550bbaca8d85f8e611e0b), built 2026-03-04T17:40:05Z",
      "Vault",
      "1.21.4",
      "ffe7023c481dc1ea2d8550bbaca8d85f8e611e0b",
    ],
    [
      "Vault v1.15.2+ent (cf1b5cafa047bc8e4a3f93444fcb4011593b92cb), built 2023-11-06T11:33:28Z",
      "Vault",
      "1.15.2+ent",
      "cf1b5cafa047bc8e4a3f93444fcb4011593b92cb",
    ],
    ["Vault v1.4.0 ('13a649f860e6a8fb3e5b3a7c3a6bb2b8e5c0c8ad')", "Vault", "1.4.0", "13a649f860e6a8fb3e5b3a7c3a6bb2b8e5c0c8ad"],
    ["Vault v1.20.0-rc1, built 2025-05-01", "Vault", "1.20.0-rc1", undefined],
    [
      "OpenBao v2.6.1 (ba7ad8861d0578cd4da4f7b9e5a6756d30484f8f), committed 2026-07-22T14:22:20Z",
      "OpenBao",
      "2.6.1",
      "ba7ad8861d0578cd4da4f7b9e5a6756d30484f8f",
    ],
  ])("reads %p", (output, product, version, commit) => {
    expect(parseVersionOutput(output)).toEqual({ product, version, commit });
  });

  it("refuses output that names no server version", () => {
    expect(parseVersionOutput("Terraform v1.11.4")).toBeUndefined();
    expect(parseVersionOutput("")).toBeUndefined();
  });
});

describe("findVaultBinary", () => {
  it("takes VAULT_BINARY as an absolute path, or relative to the working directory", () => {
    const vault = script("opt/vault-1.21/vault", VAULT_1_21);
    expect(findVaultBinary(lookup({ VAULT_BINARY: vault, PATH: "" }))).toBe(vault);
    expect(findVaultBinary(lookup({ VAULT_BINARY: "opt/vault-1.21/vault", PATH: "" }))).toBe(vault);
    expect(findVaultBinary(lookup({ VAULT_BINARY: "./opt/vault-1.21/vault" }))).toBe(vault);
  });

  it("looks a bare VAULT_BINARY name up on the PATH", () => {
    const vault = script("bin/vault-1.21", VAULT_1_21);
    expect(findVaultBinary(lookup({ VAULT_BINARY: "vault-1.21", PATH: `/nonexistent:${join(dir, "bin")}` }))).toBe(vault);
  });

  it("prefers VAULT_BINARY over vault on the PATH, and uses the PATH's first vault otherwise", () => {
    const chosen = script("chosen/vault", VAULT_1_21);
    const first = script("a/vault", VAULT_1_21);
    script("b/vault", VAULT_1_21);
    const PATH = [join(dir, "empty"), join(dir, "a"), join(dir, "b")].join(":");
    expect(findVaultBinary(lookup({ VAULT_BINARY: chosen, PATH }))).toBe(chosen);
    expect(findVaultBinary(lookup({ PATH }))).toBe(first);
    expect(findVaultBinary(lookup({ VAULT_BINARY: "  ", PATH }))).toBe(first);
  });

  it("skips a directory or a non-executable file named vault on the PATH", () => {
    mkdirSync(join(dir, "a", "vault"), { recursive: true });
    mkdirSync(join(dir, "b"));
    writeFileSync(join(dir, "b", "vault"), "not executable");
    const real = script("c/vault", VAULT_1_21);
    expect(findVaultBinary(lookup({ PATH: ["a", "b", "c"].map((d) => join(dir, d)).join(":") }))).toBe(real);
  });

  it("fails at once with what to set when there is no vault", () => {
    expect(() => findVaultBinary(lookup({ PATH: join(dir, "none") }))).toThrow(
      "VAULTSMITH_SERVER asks for HashiCorp Vault but no vault binary was found: set VAULT_BINARY=/path/to/vault or put a HashiCorp Vault binary named vault on the PATH",
    );
    expect(() => findVaultBinary(lookup({}))).toThrow("no vault binary was found");
  });

  it("names a VAULT_BINARY that does not lead to an executable", () => {
    expect(() => findVaultBinary(lookup({ VAULT_BINARY: "/nonexistent/vault", PATH: "" }))).toThrow(
      "VAULT_BINARY=/nonexistent/vault: /nonexistent/vault is not an executable file: set VAULT_BINARY to the path of a HashiCorp Vault binary",
    );
    mkdirSync(join(dir, "vault"));
    expect(() => findVaultBinary(lookup({ VAULT_BINARY: "vault", PATH: dir }))).toThrow(
      "VAULT_BINARY=vault: no executable named vault on the PATH: set VAULT_BINARY to the path of a HashiCorp Vault binary",
    );
  });
});

describe("vaultBinary", () => {
  it("reports the version and commit `vault version` prints", () => {
    const vault = script("vault", VAULT_1_21);
    const binary = vaultBinary(vault, lookup({}));
    expect(binary).toEqual({ flavor: "vault", path: vault, version: "1.21.4", commit: "ffe7023c481dc1ea2d8550bbaca8d85f8e611e0b" });
    expect(describeServerBinary(binary)).toBe(`vault 1.21.4 (commit ffe7023c, ${vault})`);
  });

  it("accepts any Vault release, Enterprise included", () => {
    const vault = script("vault", 'echo "Vault v1.15.2+ent (cf1b5cafa047bc8e4a3f93444fcb4011593b92cb), built 2023-11-06T11:33:28Z"');
    expect(vaultBinary(vault, lookup({})).version).toBe("1.15.2+ent");
  });

  it("refuses OpenBao given as Vault, saying which flavour to choose instead", () => {
    const bao = script("vault", 'echo "OpenBao v2.6.1 (ba7ad8861d0578cd4da4f7b9e5a6756d30484f8f), committed 2026-07-22T14:22:20Z"');
    expect(() => vaultBinary(bao, lookup({}))).toThrow(
      `${bao} is OpenBao v2.6.1, not HashiCorp Vault: run with VAULTSMITH_SERVER=openbao, or set VAULT_BINARY=/path/to/vault`,
    );
  });

  it("refuses a binary that is not a server, and one whose version command fails", () => {
    const other = script("vault", 'echo "Terraform v1.11.4"');
    expect(() => vaultBinary(other, lookup({}))).toThrow(`${other} version printed "Terraform v1.11.4", not "Vault v…": set VAULT_BINARY=`);
    const broken = script("broken", 'echo "cannot execute: wrong architecture" >&2; exit 126');
    expect(() => vaultBinary(broken, lookup({}))).toThrow(
      `${broken} version failed (exit status 126: cannot execute: wrong architecture): set VAULT_BINARY=`,
    );
    const garbage = join(dir, "garbage");
    writeFileSync(garbage, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]));
    chmodSync(garbage, 0o755);
    expect(() => vaultBinary(garbage, lookup({}))).toThrow(`${garbage} version failed (`);
  });
});
