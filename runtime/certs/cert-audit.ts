/**
 * Usage audit records: one per issuance, renewal and revocation, saying which certificate (serial,
 * role, names, expiry) was obtained by which token — identified by its accessor, read once from
 * `auth/token/lookup-self`, never by the token itself — and never any key.
 */
import type { SubjectAltNames } from "../engines/pki-parse";
import { POLICIES, Requester } from "../transport/requester";

/** What happened to a certificate. */
export type CertificateAuditAction = "issued" | "renewed" | "revoked";

/** One audit record. */
export interface CertificateAuditRecord {
  /** What happened. */
  readonly action: CertificateAuditAction;
  /** When (by the manager's clock). */
  readonly at: Date;
  /** Managed name. */
  readonly name: string;
  /** PKI mount. */
  readonly mount: string;
  /** PKI role. */
  readonly role: string;
  /** Serial in Vault's colon form. */
  readonly serial: string;
  /** Subject common name. */
  readonly commonName: string | undefined;
  /** Subject alternative names. */
  readonly sans: SubjectAltNames;
  /** End of validity. */
  readonly notAfter: Date;
  /** Accessor of the token that made the request (`undefined` if lookup-self was refused). */
  readonly tokenAccessor: string | undefined;
  /** Vault's request id of the issuing request, when known. */
  readonly requestId: string | undefined;
}

/** Receives audit records; a sink that throws does not stop certificate management. */
export type CertificateAuditSink = (record: CertificateAuditRecord) => void;

/** Reads the requesting token's accessor once, and again only after a failed read. */
export class TokenAccessorSource {
  #accessor: Promise<string | undefined> | undefined;

  /** @param requester the requester the certificates are obtained with */
  constructor(private readonly requester: Requester) {}

  /** The accessor of the token in use, or `undefined` when lookup-self is not allowed. */
  accessor(): Promise<string | undefined> {
    this.#accessor ??= this.requester
      .request<{ data: { accessor?: string } }>({ method: "GET", path: "auth/token/lookup-self" }, POLICIES.read)
      .then((res) => res.body?.data.accessor || undefined)
      .catch(() => {
        this.#accessor = undefined;
        return undefined;
      });
    return this.#accessor;
  }
}
