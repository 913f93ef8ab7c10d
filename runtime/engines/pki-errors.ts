/**
 * Typed errors of the PKI engine. Refusals by OpenBao keep `VaultHttpError` as their base (so
 * status and request id stay where callers look for them) and say which role or name was refused;
 * refusals made here, before any request, are {@link PkiInputError}s. None carries key material:
 * messages are built from role names, names and Vault's own error strings only.
 */
import { VaultHttpError, VaultInputError, VaultRefusalError, refusalText } from "../core/errors";

/** Bad input refused client-side before anything was sent (malformed CSR, bad duration, TTL above the role's max). */
export class PkiInputError extends VaultInputError {}

/** The requested TTL exceeds the role's `max_ttl` (raised only with `rejectTtlAboveMax`, after reading the role). */
export class PkiTtlAboveMaxError extends PkiInputError {
  /** TTL asked for, in seconds. */
  public readonly requestedSeconds: number;
  /** The role's `max_ttl`, in seconds. */
  public readonly maxSeconds: number;

  /** @internal */
  constructor(method: string, path: string, role: string, requestedSeconds: number, maxSeconds: number) {
    super(
      method,
      path,
      "ttl",
      `${requestedSeconds} s is above role "${role}" max_ttl of ${maxSeconds} s (OpenBao would silently shorten it)`,
    );
    this.requestedSeconds = requestedSeconds;
    this.maxSeconds = maxSeconds;
  }
}

/** The role does not exist on the mount (OpenBao answers 400 `unknown role`). */
export class PkiRoleNotFoundError extends VaultRefusalError {
  /** The role asked for. */
  public readonly role: string;

  /** @internal */
  constructor(source: VaultHttpError, role: string) {
    super(source, `PKI role "${role}" not found`);
    this.role = role;
  }
}

/** The role does not allow a requested name (common name or subject alternative name). */
export class PkiNameNotAllowedError extends VaultRefusalError {
  /** The role that refused. */
  public readonly role: string;
  /** The refused name as OpenBao quotes it. */
  public readonly refusedName: string;
  /** Whether it was the common name or a SAN. */
  public readonly kind: "common name" | "subject alternative name";

  /** @internal */
  constructor(source: VaultHttpError, role: string, kind: PkiNameNotAllowedError["kind"], refusedName: string) {
    super(source, `PKI role "${role}" does not allow ${kind} "${refusedName}"`);
    this.role = role;
    this.kind = kind;
    this.refusedName = refusedName;
  }
}

/** Turn OpenBao's 400s on issue/sign into the typed errors above; anything else is returned as is. */
export function classifyPkiError(error: unknown, role: string | undefined): unknown {
  const text = refusalText(error, 400);
  if (!(error instanceof VaultHttpError) || text === undefined || role === undefined) return error;
  if (/unknown role/i.test(text)) return new PkiRoleNotFoundError(error, role);
  const name = /(common name|subject alternate name) (\S+) not allowed by this role/i.exec(text);
  if (name) {
    const kind = name[1].toLowerCase() === "common name" ? "common name" : "subject alternative name";
    return new PkiNameNotAllowedError(error, role, kind, name[2]);
  }
  return error;
}
