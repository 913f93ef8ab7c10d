/** Props shared by the PKI constructs of both engines and their mapping onto the model. */
import { PathRule } from "../../policies/policy-document";
import { defaultKeyBits } from "../../model/rules";
import { defined } from "./validation";

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

/** Props of a root CA generated in Vault (`RootCa` of either engine). */
export interface RootCaProps extends CaCommonProps {
  /** Path length constraint of the root (-1 = unlimited). @default -1 */
  readonly maxPathLength?: number;
  /**
   * Refuse destroy and any plan that would replace the root certificate (nearly every argument
   * of the provider's root-cert resource forces a new root): CDKTF `prevent_destroy`, Pulumi `protect`.
   * @default true
   */
  readonly protect?: boolean;
}

/** Attributes of an existing root CA. */
export interface RootCaAttributes {
  /** Mount path of the existing root. */
  readonly mountPath: string;
  /** Issuer id or name to sign with. @default the mount's default issuer */
  readonly issuerRef?: string;
  /** Certificate TTL, to check intermediates against. @default not checked */
  readonly ttl?: string | number;
}

/** Everything an intermediate CA takes except the root that signs it. */
export interface IntermediateCaOptions extends CaCommonProps {
  /** Highest TTL the intermediate's mount allows; every role TTL must fit under it. */
  readonly maxLeaseTtl: string | number;
  /** Path length constraint. @default 0 (no further CAs below) */
  readonly maxPathLength?: number;
  /** Revoke the certificate when the signature resource is destroyed. @default true */
  readonly revokeOnDestroy?: boolean;
}

/** Certificate templates: the extended key usages a role's certificates carry. */
export type PkiRoleTemplate = "server" | "client" | "code-signing";

/** Options of a PKI role (everything but the issuer). */
export interface PkiRoleOptions {
  /** Role name (the `<mount>/issue/<name>` path segment). */
  readonly roleName: string;
  /** Template: `server` (ServerAuth), `client` (ClientAuth) or `code-signing` (CodeSigning). */
  readonly template: PkiRoleTemplate;
  /** Add ClientAuth to a `server` certificate (peers that are each other's server and client, e.g. Cassandra internode mTLS). @default false */
  readonly clientAuth?: boolean;
  /** Default certificate TTL (`720h`, or seconds). */
  readonly ttl: string | number;
  /** Highest TTL a request may ask for. @default the ttl */
  readonly maxTtl?: string | number;
  /** Domains names may be under. @default none (set allowAnyName for none at all) */
  readonly allowedDomains?: readonly string[];
  /** Allow subdomains of allowedDomains. @default false */
  readonly allowSubdomains?: boolean;
  /** Allow the allowedDomains themselves. @default false */
  readonly allowBareDomains?: boolean;
  /** Allow globs in allowedDomains. @default false */
  readonly allowGlobDomains?: boolean;
  /** Allow IP SANs. @default false */
  readonly allowIpSans?: boolean;
  /** Allow `localhost`. @default false */
  readonly allowLocalhost?: boolean;
  /** Allow any name. @default false */
  readonly allowAnyName?: boolean;
  /** Require hostnames to be valid (forced off for code-signing). @default true */
  readonly enforceHostnames?: boolean;
  /** Key algorithm of issued certificates. @default "ec" */
  readonly keyType?: "rsa" | "ec" | "ed25519" | "any";
  /** Key size. @default 256 for ec, 4096 for rsa */
  readonly keyBits?: number;
  /** Do not store issued certificates (short-lived, high-volume). @default false */
  readonly noStore?: boolean;
  /** Organization (O) of issued certificates. @default none */
  readonly organization?: readonly string[];
  /** Organizational units (OU) of issued certificates. @default none */
  readonly ou?: readonly string[];
}

/** One intermediate of a hierarchy: everything but the root, plus its roles. */
export interface PkiIntermediateOptions extends IntermediateCaOptions {
  /** Roles issuing from this intermediate. @default none */
  readonly roles?: readonly PkiRoleOptions[];
}

/** Props of a whole PKI hierarchy (`PkiHierarchy` of either engine). */
export interface PkiHierarchyProps {
  /** The root CA (generated in Vault). */
  readonly root: RootCaProps;
  /** Intermediates signed by the root. @default none */
  readonly intermediates?: readonly PkiIntermediateOptions[];
}

/** Model input of a generated root CA. */
export function rootCaInput(props: RootCaProps): Record<string, unknown> {
  return defined({ ...caInput(props), source: "generate", maxPathLength: props.maxPathLength, protect: props.protect });
}

/** Model input of an intermediate CA. */
export function intermediateCaInput(props: IntermediateCaOptions): Record<string, unknown> {
  return defined({ ...caInput(props), maxPathLength: props.maxPathLength, revokeOnDestroy: props.revokeOnDestroy });
}

/** Model input of a PKI role (`roleName` becomes `name`). */
export function pkiRoleInput(options: PkiRoleOptions): Record<string, unknown> {
  const { roleName, ...rest } = options;
  return defined({ ...rest, name: roleName });
}

/** The role spec with its key size filled in (`any` key type: 0; else the type's default). */
export function withRoleKeyBits<T extends { keyBits?: number; keyType: "rsa" | "ec" | "ed25519" | "any" }>(
  parsed: T,
): T & { keyBits: number } {
  return { ...parsed, keyBits: parsed.keyBits ?? (parsed.keyType === "any" ? 0 : defaultKeyBits(parsed.keyType)) };
}

/** Model input of a whole hierarchy (validated together first, so paths name `intermediates[i]`). */
export function pkiHierarchyInput(props: PkiHierarchyProps): Record<string, unknown> {
  return defined({
    root: defined({ ...caInput(props.root), maxPathLength: props.root.maxPathLength, protect: props.root.protect }),
    intermediates: (props.intermediates ?? []).map((i) =>
      defined({
        ...caInput(i),
        maxPathLength: i.maxPathLength,
        revokeOnDestroy: i.revokeOnDestroy,
        roles: (i.roles ?? []).map((r) => pkiRoleInput(r)),
      }),
    ),
  });
}

/** Child id of an intermediate inside a hierarchy: its mount path without surrounding `/`. */
export function intermediateChildId(mountPath: string): string {
  return mountPath.replace(/^\/+|\/+$/g, "");
}

/** `update` on `<mount>/issue/<role>`, `<mount>/sign/<role>` or `<mount>/revoke` (revoke covers the whole mount). */
export function pkiGrantRule(mountPath: string, roleName: string, op: "issue" | "sign" | "revoke"): PathRule {
  return { path: op === "revoke" ? `${mountPath}/revoke` : `${mountPath}/${op}/${roleName}`, capabilities: ["update"] };
}
