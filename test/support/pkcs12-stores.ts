/**
 * TEST-SIDE ONLY: PKCS12 keystores and truststores for Java servers (Cassandra), built from PEM
 * with `openssl pkcs12` and `keytool`. The product's certificate manager will write its own
 * stores; this is how the harness tests get theirs without depending on it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { PemPair } from "./tls-ca";

const run = promisify(execFile);

/** Run a store tool; the store password travels in `STORE_PASSWORD`, never on the command line. */
async function tool(command: string, args: readonly string[], password: string, fix: string): Promise<void> {
  try {
    await run(command, args, { timeout: 30_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", STORE_PASSWORD: password } });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string; stdout?: string };
    if (e.code === "ENOENT") throw new Error(`${command} is missing: ${fix}`);
    // keytool reports its errors on stdout.
    throw new Error(`${command} ${args[0]} failed: ${(e.stderr || e.stdout || e.message).trim()}`);
  }
}

/**
 * Write `pair` (certificate chain and key) as a PKCS12 keystore at `path`, with alias `alias`.
 * The file is built next to `path` and renamed over it, so a server never reads half a store.
 */
export async function writePkcs12Keystore(
  path: string,
  pair: PemPair,
  chain: readonly string[],
  password: string,
  alias = "node",
): Promise<void> {
  const work = mkdtempSync(join(dirname(path), ".p12-"));
  try {
    const cert = join(work, "cert.pem");
    const key = join(work, "key.pem");
    const out = join(work, "store.p12");
    writeFileSync(cert, [pair.cert, ...chain].join("\n"));
    writeFileSync(key, pair.key, { mode: 0o600 });
    await tool(
      "openssl",
      ["pkcs12", "-export", "-in", cert, "-inkey", key, "-name", alias, "-out", out, "-passout", "env:STORE_PASSWORD"],
      password,
      "install it with `apt-get install -y openssl`",
    );
    renameSync(out, path);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Write a PKCS12 truststore at `path` holding each CA certificate of `cas` (aliases `ca0`, `ca1`, …). */
export async function writePkcs12Truststore(path: string, cas: readonly string[], password: string): Promise<void> {
  const work = mkdtempSync(join(dirname(path), ".p12-"));
  try {
    const out = join(work, "trust.p12");
    for (const [i, ca] of cas.entries()) {
      const file = join(work, `ca${i}.pem`);
      writeFileSync(file, ca);
      await tool(
        "keytool",
        [
          "-importcert",
          "-noprompt",
          "-alias",
          `ca${i}`,
          "-file",
          file,
          "-keystore",
          out,
          "-storetype",
          "PKCS12",
          "-storepass:env",
          "STORE_PASSWORD",
        ],
        password,
        "it comes with Java: `apt-get install -y openjdk-17-jre-headless`",
      );
    }
    renameSync(out, path);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
