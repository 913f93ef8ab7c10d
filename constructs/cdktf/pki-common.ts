/** Props shared by the PKI constructs and their mapping onto the model. */
/** Key algorithm of a CA. */
export type CaKeyType = "rsa" | "ec" | "ed25519";

/** Subject, key and URL props shared by {@link "./root-ca".RootCa} and {@link "./intermediate-ca".IntermediateCa}. */
export interface CaCommonProps {
  /** Mount path of the PKI engine. */
  readonly mountPath: string;
  /** Common name of the CA certificate. */
  readonly commonName: string;
  /** Lifetime of the CA certificate (`87600h`, `30d`, or seconds). */
  readonly ttl: string | number;
  /** Highest TTL the mount allows. @default the certificate TTL (root) — required for intermediates */
  readonly maxLeaseTtl?: string | number;
  /** Key algorithm. @default "ec" */
  readonly keyType?: CaKeyType;
  /** Key size. @default 256 for ec, 4096 for rsa, implied for ed25519 */
  readonly keyBits?: number;
  /** Name of the issuer inside the mount. @default Vault assigns none */
  readonly issuerName?: string;
  /** Organization (O). @default none */
  readonly organization?: string;
  /** Organizational unit (OU). @default none */
  readonly ou?: string;
  /** Country (C). @default none */
  readonly country?: string;
  /** DNS names and IP addresses for the certificate (split into DNS and IP SANs). @default none */
  readonly altNames?: readonly string[];
  /** Create the key as `exported` instead of `internal`; the private key then lands in Terraform state. @default false */
  readonly exportKey?: boolean;
  /** AIA: URLs of the issuing certificate. @default none */
  readonly issuingCertificates?: readonly string[];
  /** CRL distribution point URLs (`crl_distribution_points`). @default none */
  readonly crlDistribution?: readonly string[];
  /** OCSP responder URLs. @default none */
  readonly ocspServers?: readonly string[];
  /** CRL configuration; emitted only when set. @default Vault's CRL defaults */
  readonly crl?: CrlOptions;
}

/** CRL configuration (`vault_pki_secret_backend_crl_config`). */
export interface CrlOptions {
  /** How long a CRL is valid. @default Vault: 72h */
  readonly expiry?: string | number;
  /** Disable the CRL. @default false */
  readonly disable?: boolean;
  /** Rebuild the CRL automatically. @default false */
  readonly autoRebuild?: boolean;
  /** Grace period before expiry when auto-rebuilding. @default Vault: 12h */
  readonly autoRebuildGracePeriod?: string | number;
  /** Maintain delta CRLs (needs autoRebuild). @default false */
  readonly enableDelta?: boolean;
  /** Delta CRL rebuild interval. @default Vault: 15m */
  readonly deltaRebuildInterval?: string | number;
  /** Disable the OCSP responder. @default false */
  readonly ocspDisable?: boolean;
  /** OCSP response validity. @default Vault: 12h */
  readonly ocspExpiry?: string | number;
}

/** URLs block of the model, or undefined when no URL is set. */
export function urlsInput(
  props: CaCommonProps,
): { issuingCertificates: readonly string[]; crlDistribution: readonly string[]; ocspServers: readonly string[] } | undefined {
  const any = (props.issuingCertificates?.length ?? 0) + (props.crlDistribution?.length ?? 0) + (props.ocspServers?.length ?? 0);
  if (any === 0) return undefined;
  return {
    issuingCertificates: props.issuingCertificates ?? [],
    crlDistribution: props.crlDistribution ?? [],
    ocspServers: props.ocspServers ?? [],
  };
}

/** The model input common to root and intermediate CAs. */
export function caInput(props: CaCommonProps): Record<string, unknown> {
  return {
    mount: props.mountPath,
    commonName: props.commonName,
    ttl: props.ttl,
    maxLeaseTtl: props.maxLeaseTtl,
    keyType: props.keyType,
    keyBits: props.keyBits,
    issuerName: props.issuerName,
    organization: props.organization,
    ou: props.ou,
    country: props.country,
    altNames: props.altNames,
    exportKey: props.exportKey,
    urls: urlsInput(props),
    crl: props.crl,
  };
}

/** Drop undefined values so zod defaults apply. */
export function defined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
