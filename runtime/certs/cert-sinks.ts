/**
 * Opt-in file sinks for certificates: a PEM set (key, certificate, chain, full chain) and a
 * PKCS#12 keystore + truststore for Java services. Every file is written atomically — a temporary
 * file in the same directory, mode 0600, fsync'd, renamed over the target, directory fsync'd — so
 * a reader never sees half a key or a key that does not match its certificate for long.
 * {@link CertificateSink.prepare} proves every target writable, and every password available,
 * before anything is issued.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { IssuedCertificate } from "../engines/pki";
import { toCertificatePem } from "../engines/pki-parse";
import { buildKeystore, buildTruststore } from "./pkcs12";

/** A target could not be prepared or written (path, permissions, missing password). */
export class CertificateSinkError extends Error {
  /** The file concerned. */
  public readonly path: string;
  /** What was being done: `prepare` (before issuing) or `write`. */
  public readonly operation: "prepare" | "write";

  /** @internal */
  constructor(path: string, operation: CertificateSinkError["operation"], detail: string, options?: { cause?: unknown }) {
    super(
      `certificate file ${path} cannot be ${operation === "prepare" ? "written (checked before issuing)" : "written"}: ${detail}`,
      options,
    );
    this.name = "CertificateSinkError";
    this.path = path;
    this.operation = operation;
  }
}

/** Where a certificate goes each time one is obtained. */
export interface CertificateSink {
  /** Check, before anything is issued, that a write can succeed; throws {@link CertificateSinkError}. */
  prepare(): Promise<void>;
  /** Deliver `certificate`. */
  write(certificate: IssuedCertificate): Promise<void>;
}

/** Where a keystore password comes from: a function (e.g. reading a secret) or an environment variable. */
export type PasswordSource = (() => string | Promise<string>) | { readonly env: string };

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Write `data` to `path` atomically with mode 0600 (temp file in the same directory, fsync, rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new CertificateSinkError(path, "write", reason(error), { cause: error });
  }
  const dirHandle = await open(dir, "r").catch(() => undefined);
  if (dirHandle)
    await dirHandle
      .sync()
      .catch(() => undefined)
      .finally(() => dirHandle.close());
}

/** Prove `path` can be replaced: its directory exists and takes a file, and it is not a directory. */
export async function checkWritable(path: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new CertificateSinkError(path, "prepare", "it is a directory");
  const dir = dirname(path);
  try {
    await access(dir, constants.W_OK | constants.X_OK);
    const probe = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.probe`);
    const handle = await open(probe, "wx", 0o600);
    await handle.close();
    await rm(probe, { force: true });
  } catch (error) {
    throw new CertificateSinkError(path, "prepare", reason(error), { cause: error });
  }
}

async function resolvePassword(source: PasswordSource, path: string, operation: "prepare" | "write"): Promise<string> {
  let password: string | undefined;
  try {
    password = typeof source === "function" ? await source() : process.env[source.env];
  } catch (error) {
    throw new CertificateSinkError(path, operation, `the password source failed: ${reason(error)}`, { cause: error });
  }
  if (!password) {
    const where = typeof source === "function" ? "the password function returned nothing" : `environment variable ${source.env} is not set`;
    throw new CertificateSinkError(path, operation, where);
  }
  return password;
}

/** Files of a PEM set; give any subset. */
export interface PemFileSinkOptions {
  /** Private key (PKCS#8 PEM). */
  readonly keyPath?: string;
  /** The certificate alone. */
  readonly certPath?: string;
  /** The CA chain. */
  readonly chainPath?: string;
  /** Certificate followed by the CA chain (what nginx, HAProxy and Envoy take). */
  readonly fullChainPath?: string;
}

/** A sink writing a PEM set; the key is written first, then the certificates. */
export function pemFileSink(options: PemFileSinkOptions): CertificateSink {
  const targets = [options.keyPath, options.certPath, options.chainPath, options.fullChainPath].filter((p): p is string => p !== undefined);
  if (targets.length === 0) throw new TypeError("pemFileSink needs at least one path");
  return {
    prepare: async () => {
      for (const path of targets) await checkWritable(path);
    },
    write: async (cert) => {
      const leaf = `${cert.parsed.pem}\n`;
      const chain = cert.ca_chain.map((c) => toCertificatePem(c)).join("");
      if (options.keyPath) await writeFileAtomic(options.keyPath, cert.private_key.pem());
      if (options.certPath) await writeFileAtomic(options.certPath, leaf);
      if (options.chainPath) await writeFileAtomic(options.chainPath, chain);
      if (options.fullChainPath) await writeFileAtomic(options.fullChainPath, leaf + chain);
    },
  };
}

/** A PKCS#12 keystore and, optionally, a truststore of the CA chain. */
export interface Pkcs12FileSinkOptions {
  /** Keystore file (the key and its chain, one `PrivateKeyEntry`). */
  readonly keystorePath: string;
  /** Alias of the key entry. @default "server" */
  readonly alias?: string;
  /** Keystore password. */
  readonly password: PasswordSource;
  /** Truststore file (the CA chain as `trustedCertEntry`s). @default none */
  readonly truststorePath?: string;
  /** Truststore password. @default the keystore's */
  readonly truststorePassword?: PasswordSource;
}

/** A sink writing PKCS#12 files Java's keytool and JSSE read (e.g. Cassandra's `keystore` / `truststore`). */
export function pkcs12FileSink(options: Pkcs12FileSinkOptions): CertificateSink {
  const trustPassword = options.truststorePassword ?? options.password;
  return {
    prepare: async () => {
      await checkWritable(options.keystorePath);
      await resolvePassword(options.password, options.keystorePath, "prepare");
      if (options.truststorePath) {
        await checkWritable(options.truststorePath);
        await resolvePassword(trustPassword, options.truststorePath, "prepare");
      }
    },
    write: async (cert) => {
      const chain = cert.ca_chain.map((c) => toCertificatePem(c));
      const password = await resolvePassword(options.password, options.keystorePath, "write");
      await writeFileAtomic(
        options.keystorePath,
        await buildKeystore(options.alias ?? "server", cert.private_key, cert.parsed.pem, chain, password),
      );
      if (options.truststorePath) {
        const trust = await resolvePassword(trustPassword, options.truststorePath, "write");
        await writeFileAtomic(options.truststorePath, await buildTruststore("ca", chain, trust));
      }
    },
  };
}
