/**
 * `vaultsmith cert issue|sign|revoke|status|watch`: the PKI engine and the CertificateManager on
 * the command line, for operators and for the certificate daemon of a Cassandra node.
 *
 * Keys stay out of sight: `issue` writes the key only to `--out-dir` (0600, atomically, with the
 * sinks' writer) and prints it only with `--print-key`; `sign` never sees one. Exit codes follow
 * `main`: 0 done, 1 failed while running (the message names the request path and Vault's request
 * id), 2 bad usage or bad input.
 */
import { mkdir, stat } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ParseArgsConfig, parseArgs } from "node:util";
import { CertificateFormat, IssuedCertificate, PkiApi, PkiNameRequest, PrivateKeyFormat, SignedCertificate } from "../runtime/engines/pki";
import { ParsedCertificate, durationSeconds, formatSerial, parseCertificate, toCertificatePem } from "../runtime/engines/pki-parse";
import { PrivateKey } from "../runtime/engines/pki-private-key";
import { checkWritable, writeFileAtomic } from "../runtime/certs/cert-sinks";
import { CliIo, UsageError } from "./cli-io";
import { CertConnection, connect, loadConfigTarget } from "./cert-connection";
import { CERT_WATCH_USAGE, runCertWatch } from "./cert-watch";

/** Usage of the cert commands (also printed by `cert <subcommand> --help`). */
export const CERT_USAGE = `  cert issue <role> --cn NAME [--alt-names a,b] [--ip-sans ..] [--uri-sans ..] [--ttl 720h]
             [--format pem|der|pem_bundle] [--private-key-format der|pkcs8] [--key-type rsa|ec|ed25519]
             [--key-bits N] [--out-dir DIR] [--print-key]
      issue a certificate and key; files (0600) only with --out-dir, the key on stdout only with --print-key
  cert sign <role> --csr FILE [--verbatim] [--cn ..] [--alt-names ..] [--ttl ..] [--format ..] [--out-dir DIR]
      sign a CSR made elsewhere (the key never leaves its owner); prints the certificate
  cert revoke <serial>
      revoke by serial (colon or plain hex)
  cert status <serial|cert-file>
      validity, and revocation per the mount's CRL and its OCSP responder
${CERT_WATCH_USAGE}
      every cert command: [--mount pki] [--address URL] [--config FILE] [--json]; the server comes from
      --config's vault_integration, else VAULT_ADDR / VAULT_TOKEN / VAULT_CACERT`;

const COMMON = {
  mount: { type: "string" },
  address: { type: "string" },
  config: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

const NAME_OPTIONS = {
  cn: { type: "string" },
  "alt-names": { type: "string" },
  "ip-sans": { type: "string" },
  "uri-sans": { type: "string" },
  ttl: { type: "string" },
  format: { type: "string" },
  "out-dir": { type: "string" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

/** The options of one subcommand, as parsed; exported for tests of the parsing rules. */
export type CertOptions = Readonly<Record<string, string | boolean | undefined>>;

/** Parse `args` for `sub`; any unknown option or bad value is a {@link UsageError} (exit 2). */
export function parseCertArgs(
  sub: string,
  args: string[],
  extra: NonNullable<ParseArgsConfig["options"]>,
  positionals: number,
): { values: CertOptions; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...COMMON, ...extra }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as CertOptions;
  if (values.help) return { values, positionals: parsed.positionals };
  if (parsed.positionals.length !== positionals) {
    const what: Readonly<Record<string, string>> = { issue: "<role>", sign: "<role>", revoke: "<serial>", status: "<serial|cert-file>" };
    throw new UsageError(
      positionals === 0
        ? `cert ${sub} takes no positional argument, got ${JSON.stringify(parsed.positionals[0])}`
        : `cert ${sub} takes one ${what[sub]}, got ${parsed.positionals.length} argument(s)`,
    );
  }
  return { values, positionals: parsed.positionals };
}

function str(values: CertOptions, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

function oneOf<T extends string>(values: CertOptions, name: string, allowed: readonly T[]): T | undefined {
  const v = str(values, name);
  if (v !== undefined && !(allowed as readonly string[]).includes(v))
    throw new UsageError(`--${name} must be ${allowed.join(", ")}; got ${JSON.stringify(v)}`);
  return v as T | undefined;
}

function list(values: CertOptions, name: string): string[] | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  const items = v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new UsageError(`--${name} needs at least one value`);
  return items;
}

/** The issue/sign name fields from the options, checked before anything is sent. */
export function nameRequest(values: CertOptions): PkiNameRequest {
  const ttl = str(values, "ttl");
  if (ttl !== undefined) {
    try {
      durationSeconds(ttl);
    } catch (error) {
      throw new UsageError(`--ttl: ${(error as Error).message}`);
    }
  }
  const altNames = list(values, "alt-names");
  const ipSans = list(values, "ip-sans");
  const uriSans = list(values, "uri-sans");
  const format = oneOf<CertificateFormat>(values, "format", ["pem", "der", "pem_bundle"]);
  const cn = str(values, "cn");
  return {
    ...(cn !== undefined ? { common_name: cn } : {}),
    ...(altNames ? { alt_names: altNames } : {}),
    ...(ipSans ? { ip_sans: ipSans } : {}),
    ...(uriSans ? { uri_sans: uriSans } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
    ...(format ? { format } : {}),
  };
}

/** Run `vaultsmith cert ...`; resolves to the exit code. Usage errors point at the subcommand's `--help`. */
export async function runCertCommand(args: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const sub = SUBCOMMANDS.includes(args[0] ?? "") ? ` ${args[0]}` : "";
    throw new UsageError(`${error.message.split(". To specify")[0]} (see vaultsmith cert${sub} --help)`);
  }
}

const SUBCOMMANDS: readonly string[] = ["issue", "sign", "revoke", "status", "watch"];

async function dispatch(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case "issue":
      return issue(rest, io);
    case "sign":
      return sign(rest, io);
    case "revoke":
      return revoke(rest, io);
    case "status":
      return status(rest, io);
    case "watch":
      return runCertWatch(rest, io);
    case "--help":
    case "-h":
    case "help":
      io.stdout(`usage: vaultsmith\n${CERT_USAGE}\n`);
      return 0;
    default:
      throw new UsageError(
        sub === undefined ? "missing subcommand (issue, sign, revoke, status, watch)" : `unknown subcommand ${JSON.stringify(sub)}`,
      );
  }
}

function help(io: CliIo, sub: string): number {
  const lines = CERT_USAGE.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`  cert ${sub}`));
  let end = start + 1;
  while (end < lines.length && !lines[end].startsWith("  cert ")) end++;
  io.stdout(`usage: vaultsmith\n${lines.slice(start, end).join("\n")}\n${lines.slice(-2).join("\n")}\n`);
  return 0;
}

/** Open the connection a one-shot command needs and the mount it works on; always closed by `run`. */
async function withPki<T>(io: CliIo, values: CertOptions, run: (pki: PkiApi, connection: CertConnection) => Promise<T>): Promise<T> {
  const configFile = str(values, "config");
  const target = configFile ? loadConfigTarget(io, configFile) : undefined;
  const connection = await connect(io, { address: str(values, "address"), vaultIntegration: target?.vaultIntegration });
  try {
    return await run(connection.client.pki(str(values, "mount") ?? target?.mount ?? "pki"), connection);
  } finally {
    await connection.close();
  }
}

function summary(parsed: ParsedCertificate): Record<string, unknown> {
  return {
    serial: parsed.serial.colon,
    serialHex: parsed.serial.hex,
    commonName: parsed.commonName ?? null,
    sans: parsed.sans,
    notBefore: parsed.notBefore.toISOString(),
    notAfter: parsed.notAfter.toISOString(),
    issuer: parsed.issuer,
  };
}

function summaryText(parsed: ParsedCertificate): string {
  const join = (items: readonly string[]): string => (items.length ? items.join(", ") : "-");
  return [
    `serial      ${parsed.serial.colon}`,
    `common name ${parsed.commonName ?? "-"}`,
    `dns sans    ${join([...parsed.sans.dns, ...parsed.sans.email])}`,
    `ip sans     ${join(parsed.sans.ip)}`,
    `uri sans    ${join(parsed.sans.uri)}`,
    `not before  ${parsed.notBefore.toISOString()}`,
    `not after   ${parsed.notAfter.toISOString()}`,
    `issuer      ${parsed.issuer}`,
  ].join("\n");
}

/** The key in the encoding asked for: `der` is its own structure (PKCS#1 / SEC1), `pkcs8` PKCS#8. */
export function encodeKey(key: PrivateKey, keyFormat: PrivateKeyFormat, binary: boolean): string | Buffer {
  const type = keyFormat === "pkcs8" ? "pkcs8" : key.type === "rsa" ? "pkcs1" : key.type === "ec" ? "sec1" : "pkcs8";
  const object = key.keyObject();
  return binary ? object.export({ format: "der", type }) : object.export({ format: "pem", type }).toString();
}

/** Files `--out-dir` receives for `format`, key first (a reader never finds a certificate without its key). */
export function outFiles(
  format: CertificateFormat,
  withKey: boolean,
): { key?: string; cert: string; chain: string; fullChain?: string; bundle?: string } {
  const der = format === "der";
  return {
    ...(withKey ? { key: der ? "key.der" : "key.pem" } : {}),
    cert: der ? "cert.der" : "cert.pem",
    chain: "chain.pem",
    ...(der ? {} : { fullChain: "fullchain.pem" }),
    ...(format === "pem_bundle" && withKey ? { bundle: "bundle.pem" } : {}),
  };
}

async function prepareOutDir(io: CliIo, dir: string, names: readonly string[]): Promise<string> {
  const path = resolve(io.cwd, dir);
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new UsageError(`--out-dir ${dir} is not a directory`);
  if (!existing) await mkdir(path, { recursive: true, mode: 0o700 });
  for (const name of names) await checkWritable(join(path, name));
  return path;
}

async function writeOut(
  dir: string,
  cert: SignedCertificate,
  key: string | Buffer | undefined,
  format: CertificateFormat,
): Promise<Record<string, string>> {
  const files = outFiles(format, key !== undefined);
  const leafPem = `${cert.parsed.pem}\n`;
  const chainPem = cert.ca_chain.map((c) => toCertificatePem(c)).join("");
  const written: Record<string, string> = {};
  const put = async (role: string, name: string | undefined, data: string | Uint8Array): Promise<void> => {
    if (name === undefined) return;
    const path = join(dir, name);
    await writeFileAtomic(path, data);
    written[role] = path;
  };
  await put("key", files.key, key ?? "");
  await put("cert", files.cert, format === "der" ? Buffer.from(cert.certificate.replace(/\s+/g, ""), "base64") : leafPem);
  await put("chain", files.chain, chainPem);
  await put("fullChain", files.fullChain, leafPem + chainPem);
  if (files.bundle && typeof key === "string") await put("bundle", files.bundle, key + leafPem + chainPem);
  return written;
}

async function issue(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCertArgs(
    "issue",
    args,
    {
      ...NAME_OPTIONS,
      "private-key-format": { type: "string" },
      "print-key": { type: "boolean" },
      "key-type": { type: "string" },
      "key-bits": { type: "string" },
    },
    1,
  );
  if (values.help) return help(io, "issue");
  const request = nameRequest(values);
  if (request.common_name === undefined) throw new UsageError("cert issue needs --cn");
  const keyFormat = oneOf<PrivateKeyFormat>(values, "private-key-format", ["der", "pkcs8"]) ?? "der";
  // For roles with `key_type: any`, which OpenBao refuses to generate a key for without a type.
  const keyType = oneOf<"rsa" | "ec" | "ed25519">(values, "key-type", ["rsa", "ec", "ed25519"]);
  const keyBitsText = str(values, "key-bits");
  const keyBits = keyBitsText === undefined ? undefined : Number(keyBitsText);
  if (keyBits !== undefined && !(Number.isInteger(keyBits) && keyBits > 0))
    throw new UsageError(`--key-bits must be a whole number, got ${JSON.stringify(keyBitsText)}`);
  const format = request.format ?? "pem";
  const outDir = str(values, "out-dir");
  const dir = outDir === undefined ? undefined : await prepareOutDir(io, outDir, Object.values(outFiles(format, true)));
  return withPki(io, values, async (pki) => {
    const cert: IssuedCertificate = await pki.issue(positionals[0], {
      ...request,
      common_name: request.common_name!,
      private_key_format: keyFormat,
      ...(keyType ? { key_type: keyType } : {}),
      ...(keyBits !== undefined ? { key_bits: keyBits } : {}),
    });
    const files = dir ? await writeOut(dir, cert, encodeKey(cert.private_key, keyFormat, format === "der"), format) : undefined;
    const printKey = values["print-key"] === true;
    const keyPem = printKey ? (encodeKey(cert.private_key, keyFormat, false) as string) : undefined;
    if (values.json) {
      io.stdout(
        `${JSON.stringify({
          ...summary(cert.parsed),
          role: positionals[0],
          mount: pki.mount,
          requestId: cert.requestId ?? null,
          ttlTruncated: cert.ttlTruncated,
          warnings: cert.warnings,
          ...(files ? { files } : {}),
          ...(printKey
            ? { certificate: cert.parsed.pem, private_key: keyPem, ca_chain: cert.ca_chain.map((c) => toCertificatePem(c)) }
            : {}),
        })}\n`,
      );
    } else {
      io.stdout(`${summaryText(cert.parsed)}\nrequest id  ${cert.requestId ?? "-"}\n`);
      if (files) io.stdout(`files       ${Object.values(files).join(", ")}\n`);
      if (printKey) io.stdout(`${cert.parsed.pem}\n${keyPem}`);
    }
    if (cert.ttlTruncated) io.stderr(`warning: the server shortened the lifetime: ${cert.warnings.join("; ")}\n`);
    if (!files && !printKey) io.stderr("note: the private key was not saved (give --out-dir DIR, or --print-key)\n");
    return 0;
  });
}

async function sign(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCertArgs(
    "sign",
    args,
    { ...NAME_OPTIONS, csr: { type: "string" }, verbatim: { type: "boolean" } },
    1,
  );
  if (values.help) return help(io, "sign");
  const csrFile = str(values, "csr");
  if (csrFile === undefined) throw new UsageError("cert sign needs --csr FILE");
  const request = nameRequest(values);
  const verbatim = values.verbatim === true;
  if (verbatim) {
    const names = ["cn", "alt-names", "ip-sans", "uri-sans"].filter((n) => values[n] !== undefined);
    if (names.length > 0)
      throw new UsageError(`--verbatim signs the CSR's own subject and SANs; drop ${names.map((n) => `--${n}`).join(", ")}`);
  }
  let csr: string;
  try {
    csr = readFileSync(resolve(io.cwd, csrFile), "utf8");
  } catch (error) {
    throw new UsageError(`cannot read CSR ${csrFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const format = request.format ?? "pem";
  const outDir = str(values, "out-dir");
  const dir = outDir === undefined ? undefined : await prepareOutDir(io, outDir, Object.values(outFiles(format, false)));
  return withPki(io, values, async (pki) => {
    const cert = verbatim
      ? await pki.signVerbatim(csr, { role: positionals[0], ...(request.ttl !== undefined ? { ttl: request.ttl } : {}), format })
      : await pki.sign(positionals[0], csr, request);
    const files = dir ? await writeOut(dir, cert, undefined, format) : undefined;
    const chain = cert.ca_chain.map((c) => toCertificatePem(c));
    if (values.json) {
      io.stdout(
        `${JSON.stringify({
          ...summary(cert.parsed),
          role: positionals[0],
          mount: pki.mount,
          verbatim,
          requestId: cert.requestId ?? null,
          ttlTruncated: cert.ttlTruncated,
          warnings: cert.warnings,
          certificate: cert.parsed.pem,
          ca_chain: chain,
          ...(files ? { files } : {}),
        })}\n`,
      );
    } else {
      io.stdout(`${summaryText(cert.parsed)}\nrequest id  ${cert.requestId ?? "-"}\n`);
      if (files) io.stdout(`files       ${Object.values(files).join(", ")}\n`);
      else io.stdout(`${cert.parsed.pem}\n`);
    }
    if (cert.ttlTruncated) io.stderr(`warning: the server shortened the lifetime: ${cert.warnings.join("; ")}\n`);
    return 0;
  });
}

function serialArg(text: string): ReturnType<typeof formatSerial> {
  try {
    return formatSerial(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function revoke(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCertArgs("revoke", args, {}, 1);
  if (values.help) return help(io, "revoke");
  const serial = serialArg(positionals[0]);
  return withPki(io, values, async (pki) => {
    const result = await pki.revoke(serial.value);
    if (values.json)
      io.stdout(
        `${JSON.stringify({ serial: result.serial.colon, serialHex: result.serial.hex, state: result.state, revokedAt: result.revokedAt.toISOString(), mount: pki.mount })}\n`,
      );
    else io.stdout(`revoked ${result.serial.colon} at ${result.revokedAt.toISOString()} (mount ${pki.mount})\n`);
    return 0;
  });
}

/** Whether a `status` argument is a serial (hex, colons or dashes) rather than a certificate file. */
export function looksLikeSerial(arg: string, fileExists: (path: string) => boolean): boolean {
  return /^(0x)?[0-9a-f]+([:-][0-9a-f]+)*$/i.test(arg.trim()) && !fileExists(arg);
}

/** What `status` found, in the shape `--json` prints. */
export interface CertStatus {
  /** Serial in Vault's colon form. */
  readonly serial: string;
  /** Where the certificate came from: a file, the mount's store, or nowhere (`null`: only the serial is known). */
  readonly source: "file" | "mount" | null;
  /** Summary of the certificate, when known. */
  readonly certificate: Record<string, unknown> | null;
  /** The one-word answer: `revoked` when the CRL or OCSP says so, else the validity. */
  readonly verdict: "revoked" | "valid" | "expired" | "not-yet-valid" | "unknown";
  /** `valid`, `expired`, `not-yet-valid`, or `unknown` without the certificate. */
  readonly validity: "valid" | "expired" | "not-yet-valid" | "unknown";
  /** The CRL's verdict. */
  readonly crl: {
    readonly revoked: boolean;
    readonly revokedAt: string | null;
    readonly thisUpdate: string;
    readonly signatureValid: boolean | null;
  };
  /** The OCSP responder's verdict. */
  readonly ocsp: { readonly status: string; readonly revokedAt: string | null; readonly signatureValid: boolean };
}

async function status(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCertArgs("status", args, {}, 1);
  if (values.help) return help(io, "status");
  const arg = positionals[0];
  let fromFile: ParsedCertificate | undefined;
  if (!looksLikeSerial(arg, (p) => existsSync(resolve(io.cwd, p)))) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, arg), "utf8");
    } catch (error) {
      throw new UsageError(
        `${arg} is neither a hex serial nor a readable certificate file (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      );
    }
    try {
      fromFile = parseCertificate(text);
    } catch (error) {
      throw new UsageError(`${arg} holds no certificate: ${(error as Error).message}`);
    }
  }
  const serial = fromFile?.serial ?? serialArg(arg);
  return withPki(io, values, async (pki) => {
    const [stored, crl, ocsp] = await Promise.all([
      fromFile ? Promise.resolve(fromFile) : pki.readCertificate(serial.value),
      pki.crl(),
      pki.ocsp(serial.value),
    ]);
    const now = Date.now();
    const validity = !stored
      ? "unknown"
      : now < stored.notBefore.getTime()
        ? "not-yet-valid"
        : now >= stored.notAfter.getTime()
          ? "expired"
          : "valid";
    const entry = crl.find(serial.value);
    const result: CertStatus = {
      serial: serial.colon,
      source: fromFile ? "file" : stored ? "mount" : null,
      verdict: entry !== undefined || ocsp.status === "revoked" ? "revoked" : validity,
      certificate: stored ? summary(stored) : null,
      validity,
      crl: {
        revoked: entry !== undefined,
        revokedAt: entry?.revokedAt.toISOString() ?? null,
        thisUpdate: crl.thisUpdate.toISOString(),
        signatureValid: crl.signatureValid ?? null,
      },
      ocsp: { status: ocsp.status, revokedAt: ocsp.revokedAt?.toISOString() ?? null, signatureValid: ocsp.signatureValid },
    };
    if (values.json) io.stdout(`${JSON.stringify(result)}\n`);
    else {
      const lines = [
        stored ? summaryText(stored) : `serial      ${serial.colon} (not stored on mount ${pki.mount})`,
        `status      ${result.verdict}`,
        `validity    ${validity}`,
        `crl         ${entry ? `revoked at ${entry.revokedAt.toISOString()}` : "not listed"} (CRL of ${result.crl.thisUpdate}, signature ${crl.signatureValid ? "valid" : "NOT valid"})`,
        `ocsp        ${ocsp.status}${ocsp.revokedAt ? ` at ${ocsp.revokedAt.toISOString()}` : ""} (signature ${ocsp.signatureValid ? "valid" : "NOT valid"})`,
      ];
      io.stdout(`${lines.join("\n")}\n`);
    }
    return 0;
  });
}
