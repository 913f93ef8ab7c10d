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
import { Command } from "commander";
import { CertificateFormat, IssuedCertificate, PkiApi, PkiNameRequest, PrivateKeyFormat, SignedCertificate } from "../runtime/engines/pki";
import { ParsedCertificate, durationSeconds, formatSerial, parseCertificate, toCertificatePem } from "../runtime/engines/pki-parse";
import { PrivateKey } from "../runtime/engines/pki-private-key";
import { checkWritable, writeFileAtomic } from "../runtime/certs/cert-sinks";
import { CliIo, Runner, UsageError, kebabOptions, stringOption } from "./cli-io";
import { withProgress } from "./progress";
import { ServerConnection, connect, loadConfigTarget } from "./server-connection";
import { registerCertWatch } from "./cert-watch";

/** The options of one subcommand, keyed by their kebab-case long names; exported for tests of the parsing rules. */
export type CertOptions = Readonly<Record<string, string | boolean | undefined>>;

/** Options every cert command takes. */
function common(command: Command): Command {
  return command
    .option("--mount <path>", "PKI mount (default: the --config file's, else pki)")
    .option("--address <url>", "server address (default VAULT_ADDR)")
    .option("--config <file>", "a seed or cert-watch YAML whose vault_integration block says how to reach and log in to the server")
    .option("--json", "print the result as JSON");
}

/** Options of the name fields issue and sign send. */
function nameOptions(command: Command): Command {
  return command
    .option("--cn <name>", "common name")
    .option("--alt-names <a,b>", "DNS (or IP) subject alternative names, comma-separated")
    .option("--ip-sans <a,b>", "IP subject alternative names, comma-separated")
    .option("--uri-sans <a,b>", "URI subject alternative names, comma-separated")
    .option("--ttl <duration>", "lifetime, e.g. 720h (the role's max_ttl caps it)")
    .option("--format <format>", "pem, der or pem_bundle")
    .option("--out-dir <dir>", "write the files (0600) into this folder");
}

const SERVER_HELP = "\nThe server comes from --config's vault_integration, else VAULT_ADDR / VAULT_TOKEN / VAULT_CACERT.\n";

/** Add `cert issue|sign|revoke|status|watch` to the program. */
export function registerCertCommands(program: Command, io: CliIo, run: Runner): void {
  const cert = program
    .command("cert")
    .description("issue, sign, revoke and check certificates; keep a node's certificates current (watch)")
    .addHelpText(
      "after",
      `${SERVER_HELP}
Examples:
  $ vaultsmith cert issue server-cert --cn node1.example.com --out-dir tls/
  $ vaultsmith cert status tls/cert.pem
  $ vaultsmith cert watch --config /etc/vaultsmith/cert-watch.yaml --json
`,
    );
  common(
    nameOptions(
      cert
        .command("issue")
        .description("issue a certificate and key; files (0600) only with --out-dir, the key on stdout only with --print-key")
        .argument("<role>", "PKI role name"),
    ),
  )
    .option("--private-key-format <format>", "der (the key's own structure) or pkcs8", "der")
    .option("--key-type <type>", "rsa, ec or ed25519 (for roles with key_type any)")
    .option("--key-bits <n>", "key size for --key-type")
    .option("--print-key", "print the private key on stdout")
    .addHelpText(
      "after",
      `${SERVER_HELP}
Examples:
  $ vaultsmith cert issue server-cert --cn node1.example.com --alt-names node1.example.com,10.0.1.10 --ttl 720h --out-dir tls/
  $ vaultsmith cert issue client-cert --cn app.example.com --json --print-key
`,
    )
    .action(run((role: string, options: Record<string, unknown>) => issue(role, kebabOptions(options), io)));
  common(
    nameOptions(
      cert
        .command("sign")
        .description("sign a CSR made elsewhere (the key never leaves its owner); prints the certificate")
        .argument("<role>", "PKI role name"),
    ),
  )
    .option("--csr <file>", "the certificate signing request (PEM)")
    .option("--verbatim", "sign the CSR's own subject and SANs (sign-verbatim)")
    .addHelpText("after", `${SERVER_HELP}\nExamples:\n  $ vaultsmith cert sign server-cert --csr node1.csr --ttl 720h --out-dir tls/\n`)
    .action(run((role: string, options: Record<string, unknown>) => sign(role, kebabOptions(options), io)));
  common(cert.command("revoke").description("revoke a certificate by serial").argument("<serial>", "serial, colon or plain hex"))
    .addHelpText("after", `${SERVER_HELP}\nExamples:\n  $ vaultsmith cert revoke 4a:2e:79:e4\n`)
    .action(run((serial: string, options: Record<string, unknown>) => revoke(serial, kebabOptions(options), io)));
  common(
    cert
      .command("status")
      .description("validity, and revocation per the mount's CRL and its OCSP responder")
      .argument("<serial|cert-file>", "a serial, or a PEM certificate file"),
  )
    .addHelpText(
      "after",
      `${SERVER_HELP}\nExamples:\n  $ vaultsmith cert status /etc/cassandra/tls/cert.pem\n  $ vaultsmith cert status 4a:2e:79:e4 --json\n`,
    )
    .action(run((arg: string, options: Record<string, unknown>) => status(arg, kebabOptions(options), io)));
  registerCertWatch(cert, io, run);
}

function oneOf<T extends string>(values: CertOptions, name: string, allowed: readonly T[]): T | undefined {
  const v = stringOption(values, name);
  if (v !== undefined && !(allowed as readonly string[]).includes(v))
    throw new UsageError(`--${name} must be ${allowed.join(", ")}; got ${JSON.stringify(v)}`);
  return v as T | undefined;
}

function list(values: CertOptions, name: string): string[] | undefined {
  const v = stringOption(values, name);
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
  const ttl = stringOption(values, "ttl");
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
  const cn = stringOption(values, "cn");
  return {
    ...(cn !== undefined ? { common_name: cn } : {}),
    ...(altNames ? { alt_names: altNames } : {}),
    ...(ipSans ? { ip_sans: ipSans } : {}),
    ...(uriSans ? { uri_sans: uriSans } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
    ...(format ? { format } : {}),
  };
}

/** Open the connection a one-shot command needs and the mount it works on; always closed by `run`. */
async function withPki<T>(io: CliIo, values: CertOptions, run: (pki: PkiApi, connection: ServerConnection) => Promise<T>): Promise<T> {
  const configFile = stringOption(values, "config");
  const target = configFile ? loadConfigTarget(io, configFile) : undefined;
  const connection = await connect(io, { address: stringOption(values, "address"), vaultIntegration: target?.vaultIntegration });
  const mount = stringOption(values, "mount") ?? target?.mount ?? "pki";
  try {
    return await withProgress(io, `waiting for ${mount} on the server`, () => run(connection.client.pki(mount), connection));
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

async function issue(role: string, values: CertOptions, io: CliIo): Promise<number> {
  const request = nameRequest(values);
  if (request.common_name === undefined) throw new UsageError("cert issue needs --cn");
  const keyFormat = oneOf<PrivateKeyFormat>(values, "private-key-format", ["der", "pkcs8"]) ?? "der";
  // For roles with `key_type: any`, which OpenBao refuses to generate a key for without a type.
  const keyType = oneOf<"rsa" | "ec" | "ed25519">(values, "key-type", ["rsa", "ec", "ed25519"]);
  const keyBitsText = stringOption(values, "key-bits");
  const keyBits = keyBitsText === undefined ? undefined : Number(keyBitsText);
  if (keyBits !== undefined && !(Number.isInteger(keyBits) && keyBits > 0))
    throw new UsageError(`--key-bits must be a whole number, got ${JSON.stringify(keyBitsText)}`);
  const format = request.format ?? "pem";
  const outDir = stringOption(values, "out-dir");
  const dir = outDir === undefined ? undefined : await prepareOutDir(io, outDir, Object.values(outFiles(format, true)));
  return withPki(io, values, async (pki) => {
    const cert: IssuedCertificate = await pki.issue(role, {
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
          ...signedJson(cert, role, pki.mount),
          ...(files ? { files } : {}),
          ...(printKey
            ? { certificate: cert.parsed.pem, private_key: keyPem, ca_chain: cert.ca_chain.map((c) => toCertificatePem(c)) }
            : {}),
        })}\n`,
      );
    } else {
      io.stdout(signedText(cert, files));
      if (printKey) io.stdout(`${cert.parsed.pem}\n${keyPem}`);
    }
    warnIfTruncated(io, cert);
    if (!files && !printKey) io.stderr("note: the private key was not saved (give --out-dir DIR, or --print-key)\n");
    return 0;
  });
}

async function sign(role: string, values: CertOptions, io: CliIo): Promise<number> {
  const csrFile = stringOption(values, "csr");
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
  const outDir = stringOption(values, "out-dir");
  const dir = outDir === undefined ? undefined : await prepareOutDir(io, outDir, Object.values(outFiles(format, false)));
  return withPki(io, values, async (pki) => {
    const cert = verbatim
      ? await pki.signVerbatim(csr, { role, ...(request.ttl !== undefined ? { ttl: request.ttl } : {}), format })
      : await pki.sign(role, csr, request);
    const files = dir ? await writeOut(dir, cert, undefined, format) : undefined;
    const chain = cert.ca_chain.map((c) => toCertificatePem(c));
    if (values.json) {
      io.stdout(
        `${JSON.stringify({
          ...signedJson(cert, role, pki.mount),
          verbatim,
          certificate: cert.parsed.pem,
          ca_chain: chain,
          ...(files ? { files } : {}),
        })}\n`,
      );
    } else {
      io.stdout(signedText(cert, files));
      if (!files) io.stdout(`${cert.parsed.pem}\n`);
    }
    warnIfTruncated(io, cert);
    return 0;
  });
}

/** The `--json` fields every issued or signed certificate reports. */
function signedJson(cert: SignedCertificate, role: string, mount: string): Record<string, unknown> {
  return {
    ...summary(cert.parsed),
    role,
    mount,
    requestId: cert.requestId ?? null,
    ttlTruncated: cert.ttlTruncated,
    warnings: cert.warnings,
  };
}

/** The text summary of an issued or signed certificate, with the files it was written to. */
function signedText(cert: SignedCertificate, files: Readonly<Record<string, string>> | undefined): string {
  return `${summaryText(cert.parsed)}\nrequest id  ${cert.requestId ?? "-"}\n${files ? `files       ${Object.values(files).join(", ")}\n` : ""}`;
}

/** OpenBao shortens a TTL above the role's max silently but for a warning: say so on stderr. */
function warnIfTruncated(io: CliIo, cert: SignedCertificate): void {
  if (cert.ttlTruncated) io.stderr(`warning: the server shortened the lifetime: ${cert.warnings.join("; ")}\n`);
}

function serialArg(text: string): ReturnType<typeof formatSerial> {
  try {
    return formatSerial(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function revoke(serialText: string, values: CertOptions, io: CliIo): Promise<number> {
  const serial = serialArg(serialText);
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

async function status(arg: string, values: CertOptions, io: CliIo): Promise<number> {
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
