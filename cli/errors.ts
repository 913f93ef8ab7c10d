/**
 * One line per failure: what failed, where (file:line, address), and how to fix it. Errors from
 * the network are rewritten from their cause codes (ECONNREFUSED, ENOTFOUND, TLS codes) so a user
 * never sees `fetch failed` alone or raw OpenSSL text.
 */
import { Agent, fetch as undiciFetch } from "undici";
import { VaultConnectionError, VaultError } from "../runtime/core/errors";

/** A failure while running whose message is already the whole line (what, where, how to fix): printed as is, exit 1. */
export class CliFailure extends Error {}

/** A network failure, named by the address it concerns. */
export class ServerUnreachableError extends CliFailure {
  /** The address that could not be used. */
  public readonly address: string;
  /** @internal */
  constructor(message: string, address: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ServerUnreachableError";
    this.address = address;
  }
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

const TRUST_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_UNTRUSTED",
]);

/** OpenSSL's `80FC…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/…` → `wrong version number`. */
export function cleanOpenSslText(text: string): string {
  const match = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)(?::|$)/.exec(text);
  return (match ? match[1] : text).trim();
}

/**
 * Why `address` could not be used, and what to do, from the error's cause chain; `undefined`
 * when the error is not a network failure.
 */
export function describeNetworkFailure(address: string, error: unknown): string | undefined {
  const chain = causes(error);
  const coded = chain.find((e) => typeof (e as { code?: unknown })?.code === "string") as { code: string; message?: string } | undefined;
  const code = coded?.code;
  const text = chain.map((e) => (e instanceof Error ? e.message : String(e))).join(" ");
  const fixAddress = "check the address (VAULT_ADDR or --address) and that the server is running";
  if (chain.some((e) => (e as { name?: unknown })?.name === "TimeoutError")) return `${address} did not answer in time: ${fixAddress}`;
  if (code === "ECONNREFUSED") return `nothing answers at ${address} (connection refused): ${fixAddress}`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `cannot resolve the host of ${address} (${code}): ${fixAddress}`;
  if (code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT")
    return `${address} did not answer in time (${code}): ${fixAddress}`;
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return `${address} closed the connection (${code}): ${fixAddress}`;
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || /wrong version number/.test(text))
    return `${address} does not speak TLS (it answered in plain HTTP): use http:// instead of https:// in the address`;
  if (code !== undefined && TRUST_CODES.has(code))
    return `the TLS certificate of ${address} is not trusted (${code}): set VAULT_CACERT to the file of the CA that signed it`;
  if (code !== undefined && /^ERR_SSL|^ERR_TLS|^EPROTO/.test(code))
    return `TLS with ${address} failed (${cleanOpenSslText(coded?.message ?? code)}): check the address's scheme and VAULT_CACERT`;
  if (code === "ERR_INVALID_URL" || /invalid url|bad port/i.test(text))
    return `${JSON.stringify(address)} is not a usable server address (${cleanOpenSslText(text)}): give e.g. http://127.0.0.1:8200`;
  if (chain.some((e) => e instanceof VaultConnectionError) || /fetch failed/.test(text))
    return `${address} could not be reached (${cleanOpenSslText(coded?.message ?? text)}): ${fixAddress}`;
  return undefined;
}

/** A minimal HTTP call: method, headers and an optional JSON body; the answer's status and text. */
export type HttpCall = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

/**
 * An HTTP call to `address` (trusting `ca` when given) that turns network failures into
 * {@link ServerUnreachableError}s naming the address, its cause and the fix.
 */
export function namedFetch(address: string, ca?: string): HttpCall {
  const dispatcher = ca ? new Agent({ connect: { ca } }) : undefined;
  return async (url, init) => {
    try {
      return await undiciFetch(url, { ...init, ...(dispatcher ? { dispatcher } : {}) });
    } catch (error) {
      throw new ServerUnreachableError(describeNetworkFailure(address, error) ?? `${address}: ${(error as Error).message}`, address, {
        cause: error,
      });
    }
  };
}

/** The one-line message of a failure while running, rewritten when it is a network failure. */
export function failureMessage(error: unknown): string {
  if (error instanceof CliFailure) return error.message;
  const connection = causes(error).find((e) => e instanceof VaultConnectionError) as VaultConnectionError | undefined;
  if (connection) {
    const why = describeNetworkFailure(connection.address, connection);
    if (why) return `${connection.method} ${connection.path}: ${why}`;
  }
  const typed = error instanceof Error && error.name !== "Error" ? `${error.name}: ` : "";
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    error instanceof VaultError && (error as { status?: number }).status === 403
      ? " — the token lacks a capability here: check VAULT_TOKEN and its policies (vaultsmith detect lists what it lacks)"
      : "";
  return `${typed}${message}${hint}`;
}
