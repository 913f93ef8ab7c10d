/**
 * PKI secrets engine: issue and sign certificates from a role, revoke them (by serial or proving
 * possession of the key), read and check the CRL, ask the OCSP responder, read the CA chain and
 * issuers, and tidy. Every certificate comes back parsed ({@link ParsedCertificate}); private keys
 * come back as {@link PrivateKey}s that never show in logs or JSON.
 *
 * Requests use Vault's own field names (`common_name`, `alt_names`, `ttl`, …) so a request copied
 * from Vault's documentation works as written; what this client adds to a result is camelCase.
 *
 * OpenBao facts this module relies on (verified against OpenBao 2.6.1):
 * - `alt_names` is for DNS names and e-mails only. An IP address in it is refused by a
 *   domain-restricted role ("subject alternate name 10.0.1.100 not allowed") and, worse, is
 *   issued as a *DNS* SAN `10.0.1.100` by an `allow_any_name` role — which no TLS client
 *   accepts for an IP. So IPs given in `alt_names` are moved to `ip_sans`, and `scheme:` URIs to
 *   `uri_sans`, before sending (turn off with `split_alt_names: false`).
 * - A `ttl` above the role's `max_ttl` is not refused: the certificate is issued with `max_ttl`
 *   and a warning. Results say so in `ttlTruncated`; `reject_ttl_above_max: true` reads the role
 *   first and refuses before issuing.
 * - With `format: "pem_bundle"` the `certificate` field starts with the private key; this client
 *   keeps only the certificate there and holds the key in `private_key`.
 * - `private_key_format: "der"` (Vault's default) means "the key's own DER structure" (PKCS#1
 *   or SEC1), PEM-armoured unless `format` is `der`; `pkcs8` asks for PKCS#8.
 * - `sign/:role` with the role's `use_csr_sans` (the default) takes SANs from the CSR only and
 *   silently drops `alt_names`/`ip_sans`/`uri_sans` of the request; `issueWithLocalKey` therefore
 *   writes the requested SANs into the CSR.
 * - An unknown issuer reference answers HTTP 500 (not 404); revoking twice answers 200 both times.
 */
import { isIP } from "node:net";
import { VaultHttpError } from "../core/errors";
import { POLICIES, Requester } from "../transport/requester";
import { LocalKeySpec, checkCsr, generateKeyAndCsr } from "./pki-csr";
import { CertificateRevocationList, parseCrl } from "./pki-crl";
import { PkiInputError, PkiTtlAboveMaxError, classifyPkiError } from "./pki-errors";
import { OcspResult, buildOcspRequest, parseOcspResponse } from "./pki-ocsp";
import {
  CertificateSerial,
  ParsedCertificate,
  durationSeconds,
  formatSerial,
  parseCertificate,
  parseCertificates,
  pemBlocks,
} from "./pki-parse";
import { PrivateKey } from "./pki-private-key";

/** How certificates are encoded in answers: PEM, base64 DER, or PEM with the key and chain. */
export type CertificateFormat = "pem" | "der" | "pem_bundle";

/** How the private key is encoded: its own DER structure (PKCS#1/SEC1) or PKCS#8. */
export type PrivateKeyFormat = "der" | "pkcs8";

/** Fields common to `issue` and `sign` (Vault's names). */
export interface PkiNameRequest {
  /** Subject common name. Required by `issue`; `sign` takes it from the CSR when omitted. */
  readonly common_name?: string;
  /**
   * Subject alternative names, as a list or comma-separated. DNS names and e-mails stay here;
   * IP addresses are moved to `ip_sans` and `scheme:` URIs to `uri_sans` (see the module doc).
   */
  readonly alt_names?: string | readonly string[];
  /** IP SANs. */
  readonly ip_sans?: string | readonly string[];
  /** URI SANs. */
  readonly uri_sans?: string | readonly string[];
  /** Lifetime: seconds or a Vault duration such as `"720h"`. @default the role's `ttl` */
  readonly ttl?: string | number;
  /** Certificate encoding. @default "pem" */
  readonly format?: CertificateFormat;
  /** Leave the CN out of the DNS/e-mail SANs. @default false */
  readonly exclude_cn_from_sans?: boolean;
  /** Issuer to sign with. @default the role's (normally the mount's default issuer) */
  readonly issuer_ref?: string;
  /** Move IPs and URIs out of `alt_names` before sending. @default true */
  readonly split_alt_names?: boolean;
  /** Read the role first and refuse (with {@link PkiTtlAboveMaxError}) a `ttl` above its `max_ttl`, instead of letting OpenBao shorten it. @default false */
  readonly reject_ttl_above_max?: boolean;
}

/** Request of {@link PkiApi.issue}: OpenBao generates the key. */
export interface PkiIssueRequest extends PkiNameRequest {
  /** Subject common name. */
  readonly common_name: string;
  /** Key encoding. @default "der" (PKCS#1 / SEC1) */
  readonly private_key_format?: PrivateKeyFormat;
  /** Key type to generate, for roles with `key_type: any`. @default the role's */
  readonly key_type?: "rsa" | "ec" | "ed25519";
  /** Key size (RSA bits, EC curve size), for roles with `key_type: any`. @default the role's */
  readonly key_bits?: number;
}

/** Options of {@link PkiApi.signVerbatim}. */
export interface PkiSignVerbatimRequest {
  /** Lifetime: seconds or a Vault duration. @default the mount's default */
  readonly ttl?: string | number;
  /** Certificate encoding. @default "pem" */
  readonly format?: CertificateFormat;
  /** Key usages to put in the certificate (Vault names: `DigitalSignature`, …). @default Vault's */
  readonly key_usage?: readonly string[];
  /** Extended key usages (`ServerAuth`, `ClientAuth`, `CodeSigning`, …). @default none */
  readonly ext_key_usage?: readonly string[];
  /** Role whose constraints (TTL, usages) apply: `sign-verbatim/:role`. @default none */
  readonly role?: string;
}

/** A certificate OpenBao signed (for a CSR: no private key). Vault's fields keep Vault's names. */
export interface SignedCertificate {
  /** The certificate as sent (PEM, or base64 DER with `format: "der"`; only the certificate for `pem_bundle`). */
  readonly certificate: string;
  /** The issuing CA certificate. */
  readonly issuing_ca: string;
  /** The CA chain, issuing CA first. */
  readonly ca_chain: readonly string[];
  /** Serial in Vault's colon form. */
  readonly serial_number: string;
  /** Expiry as Unix seconds. */
  readonly expiration: number;
  /** The certificate, parsed. */
  readonly parsed: ParsedCertificate;
  /** OpenBao's warnings (e.g. a shortened TTL). */
  readonly warnings: readonly string[];
  /** True when OpenBao issued a shorter lifetime than asked for (role `max_ttl`, mount max or issuer expiry). */
  readonly ttlTruncated: boolean;
  /** Vault's request id, for the audit log. */
  readonly requestId: string | undefined;
}

/** A certificate with its private key (OpenBao-generated by `issue`, or local with {@link PkiApi.issueWithLocalKey}). */
export interface IssuedCertificate extends SignedCertificate {
  /** The private key; shows as `PrivateKey(rsa, redacted)` in logs and JSON. */
  readonly private_key: PrivateKey;
  /** Key type (`rsa`, `ec`, `ed25519`). */
  readonly private_key_type: string;
}

/** Outcome of a revocation. */
export interface RevocationResult {
  /** The revoked serial. */
  readonly serial: CertificateSerial;
  /** When it was revoked (unchanged when revoked again). */
  readonly revokedAt: Date;
  /** `revoked`. */
  readonly state: string;
}

/** One issuer of the mount, from the `issuers` listing. */
export interface PkiIssuerSummary {
  /** Issuer id (UUID). */
  readonly id: string;
  /** Issuer name (may be empty). */
  readonly name: string;
  /** Whether it is the mount's default. */
  readonly isDefault: boolean;
  /** Id of its key. */
  readonly keyId: string;
  /** Serial of the issuer certificate. */
  readonly serial: string;
}

/** One issuer read in full. */
export interface PkiIssuer {
  /** Issuer id. */
  readonly id: string;
  /** Issuer name. */
  readonly name: string;
  /** Id of its key. */
  readonly keyId: string;
  /** Its certificate, parsed. */
  readonly certificate: ParsedCertificate;
  /** Its chain, parsed. */
  readonly caChain: readonly ParsedCertificate[];
  /** What it may be used for (`issuing-certificates`, `crl-signing`, `ocsp-signing`). */
  readonly usage: readonly string[];
  /** What happens to leaves outliving it (`err`, `truncate`, `permit`). */
  readonly leafNotAfterBehavior: string;
  /** Whether the issuer itself is revoked. */
  readonly revoked: boolean;
}

/** Options of {@link PkiApi.tidy} (Vault's names). */
export interface PkiTidyRequest {
  /** Remove expired certificates from storage. @default true */
  readonly tidy_cert_store?: boolean;
  /** Remove expired certificates from the revocation list. @default true */
  readonly tidy_revoked_certs?: boolean;
  /** Keep certificates this long past expiry. @default Vault's (72h) */
  readonly safety_buffer?: string | number;
}

interface RawCertResponse {
  readonly request_id?: string;
  readonly warnings?: readonly string[] | null;
  readonly data: {
    readonly certificate: string;
    readonly issuing_ca: string;
    readonly ca_chain?: readonly string[] | null;
    readonly serial_number: string;
    readonly expiration: number;
    readonly private_key?: string;
    readonly private_key_type?: string;
  };
}

interface Envelope<T> {
  readonly data: T;
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function checkName(value: string, what: string): string {
  const trimmed = value.replace(/^\/+|\/+$/g, "");
  if (trimmed.length === 0) throw new TypeError(`${what} must not be empty`);
  if (trimmed.split("/").some((s) => s === ".." || s === "."))
    throw new TypeError(`${what} must not contain "." or ".." segments: "${value}"`);
  return trimmed;
}

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return (typeof value === "string" ? value.split(",") : [...value]).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The body OpenBao gets for `issue`/`sign`: SANs split by kind and joined with commas, TTL checked. */
export function pkiNameBody(request: PkiNameRequest, fail: (field: string, detail: string) => Error): Record<string, unknown> {
  const alt: string[] = [];
  const ips = list(request.ip_sans);
  const uris = list(request.uri_sans);
  for (const name of list(request.alt_names)) {
    if (request.split_alt_names === false) alt.push(name);
    else if (isIP(name) !== 0) ips.push(name);
    else if (/^[a-z][a-z0-9+.-]*:/i.test(name) && !name.includes("@")) uris.push(name);
    else alt.push(name);
  }
  const body: Record<string, unknown> = {};
  if (request.common_name !== undefined) body.common_name = request.common_name;
  if (alt.length > 0) body.alt_names = alt.join(",");
  if (ips.length > 0) body.ip_sans = ips.join(",");
  if (uris.length > 0) body.uri_sans = uris.join(",");
  if (request.ttl !== undefined) {
    try {
      body.ttl = `${durationSeconds(request.ttl)}s`;
    } catch (error) {
      throw fail("ttl", error instanceof Error ? error.message : String(error));
    }
  }
  if (request.format !== undefined) body.format = request.format;
  if (request.exclude_cn_from_sans !== undefined) body.exclude_cn_from_sans = request.exclude_cn_from_sans;
  if (request.issuer_ref !== undefined) body.issuer_ref = request.issuer_ref;
  return body;
}

/** Whether OpenBao's warnings say it shortened the requested lifetime. */
function truncated(warnings: readonly string[]): boolean {
  return warnings.some((w) => /longer than permitted|is being used|truncat/i.test(w));
}

/** One PKI mount. */
export class PkiApi {
  /** Mount path without slashes, e.g. `pki`. */
  public readonly mount: string;

  /**
   * @param requester how requests are sent
   * @param mount mount path, e.g. `pki` or `pki/int`
   */
  constructor(
    private readonly requester: Requester,
    mount: string,
  ) {
    this.mount = checkName(mount, "PKI mount path");
  }

  private path(...segments: string[]): string {
    return [encodePath(this.mount), ...segments].join("/");
  }

  /**
   * Issue a certificate and key generated by OpenBao (`POST :mount/issue/:role`). State-creating:
   * retried only when it certainly never reached the server, so a retry never mints a twin.
   */
  async issue(role: string, request: PkiIssueRequest): Promise<IssuedCertificate> {
    const cleanRole = checkName(role, "PKI role");
    const path = this.path("issue", encodeURIComponent(cleanRole));
    const fail = (field: string, detail: string): Error => new PkiInputError("POST", path, field, detail);
    if (!request.common_name || request.common_name.trim().length === 0) throw fail("common_name", "must not be empty");
    const body = pkiNameBody(request, fail);
    if (request.private_key_format !== undefined) body.private_key_format = request.private_key_format;
    if (request.key_type !== undefined) body.key_type = request.key_type;
    if (request.key_bits !== undefined) body.key_bits = request.key_bits;
    await this.checkTtl(request, cleanRole, path);
    const raw = await this.send(path, body, cleanRole);
    return this.withKey(raw, request.format ?? "pem", request.private_key_format ?? "der");
  }

  /**
   * Sign a CSR under a role (`POST :mount/sign/:role`). The CSR is checked here first — it must
   * parse and its self-signature verify — so a malformed one is refused before any request.
   */
  async sign(role: string, csr: string, request: PkiNameRequest = {}): Promise<SignedCertificate> {
    const cleanRole = checkName(role, "PKI role");
    const path = this.path("sign", encodeURIComponent(cleanRole));
    const fail = (field: string, detail: string): Error => new PkiInputError("POST", path, field, detail);
    const checked = await checkCsr(csr);
    if (!checked.ok) throw fail("csr", checked.reason);
    const body = { ...pkiNameBody(request, fail), csr: checked.pem };
    await this.checkTtl(request, cleanRole, path);
    return this.toSigned(await this.send(path, body, cleanRole), request.format ?? "pem");
  }

  /**
   * Sign a CSR as it is, subject and SANs included (`POST :mount/sign-verbatim[/:role]`): for
   * callers that build their CSR exactly and are trusted to (the path needs a privileged policy).
   */
  async signVerbatim(csr: string, request: PkiSignVerbatimRequest = {}): Promise<SignedCertificate> {
    const role = request.role === undefined ? undefined : checkName(request.role, "PKI role");
    const path = role === undefined ? this.path("sign-verbatim") : this.path("sign-verbatim", encodeURIComponent(role));
    const fail = (field: string, detail: string): Error => new PkiInputError("POST", path, field, detail);
    const checked = await checkCsr(csr);
    if (!checked.ok) throw fail("csr", checked.reason);
    const body: Record<string, unknown> = { csr: checked.pem };
    if (request.ttl !== undefined) body.ttl = `${this.seconds(request.ttl, fail)}s`;
    if (request.format !== undefined) body.format = request.format;
    if (request.key_usage !== undefined) body.key_usage = request.key_usage;
    if (request.ext_key_usage !== undefined) body.ext_key_usage = request.ext_key_usage;
    return this.toSigned(await this.send(path, body, role), request.format ?? "pem");
  }

  /**
   * Generate a key on this machine, have OpenBao sign its CSR under `role`, and return both: the
   * same shape as {@link issue}, but the private key never crossed the network.
   */
  async issueWithLocalKey(role: string, request: PkiIssueRequest, key: LocalKeySpec = { type: "ec" }): Promise<IssuedCertificate> {
    // The SANs go into the CSR too: with the role's `use_csr_sans` (default true) OpenBao takes
    // SANs from the CSR and silently ignores `alt_names`/`ip_sans`/`uri_sans` in the request.
    const altNames = [...list(request.alt_names), ...list(request.ip_sans), ...list(request.uri_sans)];
    const local = await generateKeyAndCsr({ commonName: request.common_name, altNames }, key);
    const signed = await this.sign(role, local.csr, request);
    return { ...signed, private_key: local.privateKey, private_key_type: local.privateKey.type };
  }

  /** Revoke by serial (`POST :mount/revoke`); any hex form or bigint. Revoking again is harmless. */
  async revoke(serial: string | bigint): Promise<RevocationResult> {
    const path = this.path("revoke");
    const s = this.serialOrFail(serial, path);
    const res = await this.requester.request<Envelope<{ revocation_time: number; state?: string }>>(
      { method: "POST", path, body: { serial_number: s.colon } },
      POLICIES.idempotentWrite,
    );
    return { serial: s, revokedAt: new Date((res.body?.data.revocation_time ?? 0) * 1000), state: res.body?.data.state ?? "revoked" };
  }

  /**
   * Revoke proving possession of the certificate's key (`POST :mount/revoke-with-key`), for a
   * holder whose token may not revoke arbitrary serials. Give the certificate (PEM) or its serial.
   * The key goes in the request body only; errors never contain it.
   */
  async revokeWithKey(certificateOrSerial: string | bigint, privateKey: PrivateKey): Promise<RevocationResult> {
    const path = this.path("revoke-with-key");
    const isPem = typeof certificateOrSerial === "string" && certificateOrSerial.includes("-----BEGIN");
    const serial = isPem ? parseCertificate(certificateOrSerial).serial : this.serialOrFail(certificateOrSerial, path);
    const body = isPem
      ? { certificate: certificateOrSerial, private_key: privateKey.pem() }
      : { serial_number: serial.colon, private_key: privateKey.pem() };
    const res = await this.requester.request<Envelope<{ revocation_time: number; state?: string }>>(
      { method: "POST", path, body },
      POLICIES.idempotentWrite,
    );
    return { serial, revokedAt: new Date((res.body?.data.revocation_time ?? 0) * 1000), state: res.body?.data.state ?? "revoked" };
  }

  /** The mount's default issuer certificate (`GET :mount/cert/ca`), parsed. */
  async caCertificate(): Promise<ParsedCertificate> {
    const res = await this.requester.request<Envelope<{ certificate: string }>>(
      { method: "GET", path: this.path("cert", "ca") },
      POLICIES.read,
    );
    return parseCertificate(res.body?.data.certificate ?? "");
  }

  /** The default issuer's CA chain (`GET :mount/cert/ca_chain`), issuing CA first. */
  async caChain(): Promise<ParsedCertificate[]> {
    const res = await this.requester.request<Envelope<{ ca_chain?: string; certificate?: string }>>(
      { method: "GET", path: this.path("cert", "ca_chain") },
      POLICIES.read,
    );
    return parseCertificates(res.body?.data.ca_chain ?? res.body?.data.certificate ?? "");
  }

  /** The issuers of the mount (`LIST :mount/issuers`). */
  async listIssuers(): Promise<PkiIssuerSummary[]> {
    const res = await this.requester.request<
      Envelope<{
        keys: string[];
        key_info?: Record<string, { is_default?: boolean; issuer_name?: string; key_id?: string; serial_number?: string }>;
      }>
    >({ method: "LIST", path: this.path("issuers") }, POLICIES.read);
    const data = res.body?.data;
    return (data?.keys ?? []).map((id) => {
      const info = data?.key_info?.[id] ?? {};
      return {
        id,
        name: info.issuer_name ?? "",
        isDefault: info.is_default ?? false,
        keyId: info.key_id ?? "",
        serial: info.serial_number ?? "",
      };
    });
  }

  /** One issuer by id, name or `default` (`GET :mount/issuer/:ref`). OpenBao answers an unknown reference with HTTP 500. */
  async readIssuer(ref = "default"): Promise<PkiIssuer> {
    const res = await this.requester.request<
      Envelope<{
        issuer_id: string;
        issuer_name: string;
        key_id: string;
        certificate: string;
        ca_chain?: string[];
        usage?: string;
        leaf_not_after_behavior?: string;
        revoked?: boolean;
      }>
    >({ method: "GET", path: this.path("issuer", encodeURIComponent(checkName(ref, "issuer reference"))) }, POLICIES.read);
    const d = res.body!.data;
    return {
      id: d.issuer_id,
      name: d.issuer_name,
      keyId: d.key_id,
      certificate: parseCertificate(d.certificate),
      caChain: parseCertificates(d.ca_chain ?? []),
      usage: (d.usage ?? "").split(",").filter((u) => u.length > 0),
      leafNotAfterBehavior: d.leaf_not_after_behavior ?? "",
      revoked: d.revoked ?? false,
    };
  }

  /** The mount's CRL (`GET :mount/cert/crl`), parsed and its signature checked against the default issuer. */
  async crl(): Promise<CertificateRevocationList> {
    const [res, ca] = await Promise.all([
      this.requester.request<Envelope<{ certificate: string }>>({ method: "GET", path: this.path("cert", "crl") }, POLICIES.read),
      this.caCertificate(),
    ]);
    return parseCrl(res.body?.data.certificate ?? "", ca.pem);
  }

  /** Whether `serial` is on the mount's current CRL (read fresh). */
  async isRevokedPerCrl(serial: string | bigint): Promise<boolean> {
    const s = this.serialOrFail(serial, this.path("cert", "crl"));
    return (await this.crl()).find(s.value) !== undefined;
  }

  /**
   * Ask the mount's OCSP responder about `serial` (`GET :mount/ocsp/<request>`, unauthenticated as
   * a relying party would), with a real DER OCSP request; the answer's signature is checked
   * against `issuerPem` (the default issuer when omitted).
   */
  async ocsp(serial: string | bigint, issuerPem?: string): Promise<OcspResult> {
    const base = this.path("ocsp");
    const s = this.serialOrFail(serial, base);
    const issuer = issuerPem ?? (await this.caCertificate()).pem;
    const request = Buffer.from(buildOcspRequest(s.value, issuer)).toString("base64");
    const res = await this.requester.request<Uint8Array>(
      { method: "GET", path: `${base}/${encodeURIComponent(request)}`, unauthenticated: true, responseType: "bytes" },
      POLICIES.read,
    );
    return parseOcspResponse(res.body ?? new Uint8Array(), s.value, issuer);
  }

  /** Serials of the certificates the mount stores (`LIST :mount/certs`), in Vault's colon form. */
  async listCertificates(): Promise<string[]> {
    try {
      const res = await this.requester.request<Envelope<{ keys: string[] }>>({ method: "LIST", path: this.path("certs") }, POLICIES.read);
      return (res.body?.data.keys ?? []).map((k) => formatSerial(k).colon);
    } catch (error) {
      if (error instanceof VaultHttpError && error.status === 404) return [];
      throw error;
    }
  }

  /** One stored certificate by serial (`GET :mount/cert/:serial`); `undefined` when unknown. */
  async readCertificate(serial: string | bigint): Promise<ParsedCertificate | undefined> {
    const s = this.serialOrFail(serial, this.path("cert"));
    try {
      const res = await this.requester.request<Envelope<{ certificate: string }>>(
        { method: "GET", path: this.path("cert", s.colon.replace(/:/g, "-")) },
        POLICIES.read,
      );
      const pem = res.body?.data.certificate;
      return pem ? parseCertificate(pem) : undefined;
    } catch (error) {
      if (error instanceof VaultHttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Start a tidy run (`POST :mount/tidy`, answered 202); returns OpenBao's warnings. Progress: {@link tidyStatus}. */
  async tidy(request: PkiTidyRequest = {}): Promise<readonly string[]> {
    const path = this.path("tidy");
    const body: Record<string, unknown> = {
      tidy_cert_store: request.tidy_cert_store ?? true,
      tidy_revoked_certs: request.tidy_revoked_certs ?? true,
    };
    if (request.safety_buffer !== undefined)
      body.safety_buffer = `${this.seconds(request.safety_buffer, (f, d) => new PkiInputError("POST", path, f, d))}s`;
    const res = await this.requester.request<{ warnings?: string[] | null }>({ method: "POST", path, body }, POLICIES.idempotentWrite);
    return res.body?.warnings ?? [];
  }

  /** State of the last tidy run (`GET :mount/tidy-status`), as OpenBao reports it. */
  async tidyStatus(): Promise<Readonly<Record<string, unknown>>> {
    const res = await this.requester.request<Envelope<Record<string, unknown>>>(
      { method: "GET", path: this.path("tidy-status") },
      POLICIES.read,
    );
    return res.body?.data ?? {};
  }

  /** A role's `max_ttl` in seconds (0: none), from `GET :mount/roles/:role`. */
  async roleMaxTtlSeconds(role: string): Promise<number> {
    const res = await this.requester.request<Envelope<{ max_ttl?: number }>>(
      { method: "GET", path: this.path("roles", encodeURIComponent(checkName(role, "PKI role"))) },
      POLICIES.read,
    );
    return res.body?.data.max_ttl ?? 0;
  }

  private seconds(value: string | number, fail: (field: string, detail: string) => Error): number {
    try {
      return durationSeconds(value);
    } catch (error) {
      throw fail("ttl", error instanceof Error ? error.message : String(error));
    }
  }

  private serialOrFail(serial: string | bigint, path: string): CertificateSerial {
    try {
      return formatSerial(serial);
    } catch (error) {
      throw new PkiInputError("POST", path, "serial", error instanceof Error ? error.message : String(error));
    }
  }

  private async checkTtl(request: PkiNameRequest, role: string, path: string): Promise<void> {
    if (!request.reject_ttl_above_max || request.ttl === undefined) return;
    const requested = durationSeconds(request.ttl);
    let max: number;
    try {
      max = await this.roleMaxTtlSeconds(role);
    } catch (error) {
      throw classifyPkiError(error instanceof VaultHttpError && error.status === 404 ? this.unknownRole(error, role) : error, role);
    }
    if (max > 0 && requested > max) throw new PkiTtlAboveMaxError("POST", path, role, requested, max);
  }

  /** A role read answering 404 means the same as `issue` answering `unknown role`. */
  private unknownRole(error: VaultHttpError, role: string): VaultHttpError {
    return new VaultHttpError(error.method, error.path, 400, [`unknown role: ${role}`], error.requestId);
  }

  private async send(path: string, body: Record<string, unknown>, role: string | undefined): Promise<RawCertResponse> {
    try {
      const res = await this.requester.request<RawCertResponse>({ method: "POST", path, body }, POLICIES.creatingWrite);
      if (!res.body?.data?.certificate) throw new TypeError(`POST ${path} returned no certificate`);
      return res.body;
    } catch (error) {
      throw classifyPkiError(error, role);
    }
  }

  private toSigned(raw: RawCertResponse, format: CertificateFormat): SignedCertificate {
    const d = raw.data;
    const certificate =
      format === "pem_bundle" ? (pemBlocks(d.certificate).find((b) => b.label === "CERTIFICATE")?.pem ?? "") : d.certificate;
    const warnings = raw.warnings ?? [];
    return {
      certificate,
      issuing_ca: d.issuing_ca,
      ca_chain: [...(d.ca_chain ?? [])],
      serial_number: d.serial_number,
      expiration: d.expiration,
      parsed: parseCertificate(certificate),
      warnings,
      ttlTruncated: truncated(warnings),
      requestId: raw.request_id,
    };
  }

  private withKey(raw: RawCertResponse, format: CertificateFormat, keyFormat: PrivateKeyFormat): IssuedCertificate {
    const type = raw.data.private_key_type ?? "";
    const encoding = keyFormat === "pkcs8" ? "pkcs8" : type === "rsa" ? "pkcs1" : type === "ec" ? "sec1" : "pkcs8";
    return { ...this.toSigned(raw, format), private_key: new PrivateKey(raw.data.private_key ?? "", encoding), private_key_type: type };
  }
}
