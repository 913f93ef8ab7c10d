/**
 * The PKI hierarchy kind (root CA, intermediate CAs, roles): schema, cross-field rules, graph
 * fragments with named outputs, construct props and their mapping onto the schema, and grant rules.
 */
import { describeSeconds, durationSeconds } from "../duration";
import { ModelValidationError } from "../errors";
import { mountPathField, resourceName, urlField } from "../fields";
import {
  AttributeValue,
  AttrRef,
  compact,
  FragmentOptions,
  namespaceField,
  nonEmpty,
  ownerId,
  ResourceDescriptor,
  sortedSet,
  StringValue,
} from "../graph";
import { locateIssues, omitUndefined, RawIssue, validateLabelled } from "../validation";
import { isIP } from "node:net";
import { PathRule } from "../../policies/policy-document";
import { PolicyGrantee, grantRules } from "../grants";
import { z } from "zod";

const urlsSchema = z.strictObject({
  issuingCertificates: z.array(urlField).default([]),
  crlDistribution: z.array(urlField).default([]),
  ocspServers: z.array(urlField).default([]),
});

const crlSchema = z.strictObject({
  expiry: durationSeconds.optional(),
  disable: z.boolean().optional(),
  autoRebuild: z.boolean().optional(),
  autoRebuildGracePeriod: durationSeconds.optional(),
  enableDelta: z.boolean().optional(),
  deltaRebuildInterval: durationSeconds.optional(),
  ocspDisable: z.boolean().optional(),
  ocspExpiry: durationSeconds.optional(),
});

const keyFields = {
  keyType: z.enum(["rsa", "ec", "ed25519"]).default("ec"),
  keyBits: z.number().int().optional(),
};

const subjectFields = {
  organization: z.string().optional(),
  ou: z.string().optional(),
  country: z.string().optional(),
  /** DNS names and IP addresses, split into `alt_names` and `ip_sans`. */
  altNames: z.array(z.string()).default([]),
};

/** A PKI role template: which extended key usage the issued certificates carry. */
export const ROLE_TEMPLATES = ["server", "client", "code-signing"] as const;

/** A PKI role. */
export const pkiRoleSchema = z.strictObject({
  name: resourceName,
  template: z.enum(ROLE_TEMPLATES),
  /**
   * Add the ClientAuth usage to a `server` template: for peers that are server and client of each
   * other with one certificate (Cassandra internode TLS with `require_client_auth`).
   */
  clientAuth: z.boolean().default(false),
  ttl: durationSeconds,
  maxTtl: durationSeconds.optional(),
  allowedDomains: z.array(z.string()).default([]),
  allowSubdomains: z.boolean().default(false),
  allowBareDomains: z.boolean().default(false),
  allowGlobDomains: z.boolean().default(false),
  allowIpSans: z.boolean().default(false),
  allowLocalhost: z.boolean().default(false),
  allowAnyName: z.boolean().default(false),
  enforceHostnames: z.boolean().default(true),
  keyType: z.enum(["rsa", "ec", "ed25519", "any"]).default("ec"),
  keyBits: z.number().int().optional(),
  noStore: z.boolean().default(false),
  organization: z.array(z.string()).default([]),
  ou: z.array(z.string()).default([]),
});

/** A root CA: generated inside Vault, or an existing mount referenced by path. */
export const rootCaSchema = z.strictObject({
  mount: mountPathField,
  /** `generate` creates the root in Vault; `existing` refers to a root already in `mount`. */
  source: z.enum(["generate", "existing"]).default("generate"),
  maxLeaseTtl: durationSeconds.optional(),
  commonName: z.string().min(1).optional(),
  ttl: durationSeconds.optional(),
  issuerName: resourceName.optional(),
  maxPathLength: z.number().int().min(-1).default(-1),
  exportKey: z.boolean().default(false),
  protect: z.boolean().default(true),
  urls: urlsSchema.optional(),
  crl: crlSchema.optional(),
  ...keyFields,
  ...subjectFields,
});

/** An intermediate CA signed by the hierarchy's root, with its roles. */
export const intermediateCaSchema = z.strictObject({
  mount: mountPathField,
  maxLeaseTtl: durationSeconds,
  commonName: z.string().min(1),
  ttl: durationSeconds,
  issuerName: resourceName.optional(),
  maxPathLength: z.number().int().min(-1).default(0),
  exportKey: z.boolean().default(false),
  revokeOnDestroy: z.boolean().default(true),
  urls: urlsSchema.optional(),
  crl: crlSchema.optional(),
  roles: z.array(pkiRoleSchema).default([]),
  ...keyFields,
  ...subjectFields,
});

/** One PKI hierarchy. */
export const pkiSchema = z.strictObject({
  root: rootCaSchema,
  intermediates: z.array(intermediateCaSchema).default([]),
});

/** Canonical PKI hierarchy. */
export type PkiSpec = z.output<typeof pkiSchema>;

/** Canonical root CA. */
export type RootCaSpec = z.output<typeof rootCaSchema>;

/** Canonical intermediate CA. */
export type IntermediateCaSpec = z.output<typeof intermediateCaSchema>;

/** Canonical PKI role. */
export type PkiRoleSpec = z.output<typeof pkiRoleSchema>;

/** Default key size per key type (`0` means "implied by the type"). */
export function defaultKeyBits(keyType: string): number {
  return keyType === "rsa" ? 4096 : keyType === "ec" ? 256 : 0;
}

const KEY_BITS: Readonly<Record<string, readonly number[]>> = {
  rsa: [2048, 3072, 4096, 8192],
  ec: [224, 256, 384, 521],
  ed25519: [0],
};

/** Check the PKI hierarchy; paths are relative to the hierarchy. */
export function checkPki(pki: PkiSpec): RawIssue[] {
  const out: RawIssue[] = [];
  const root = pki.root;
  checkKey(root.keyType, root.keyBits, ["root"], out);
  checkAltNames(root.altNames, ["root", "altNames"], out);
  if (root.source === "generate") {
    if (root.commonName === undefined) out.push({ path: ["root", "commonName"], message: "a generated root CA needs a commonName" });
    if (root.ttl === undefined) out.push({ path: ["root", "ttl"], message: "a generated root CA needs a ttl" });
  }
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent when a `!== undefined` test is true or `||`: it only narrows the type, a comparison with undefined is false anyway.
  if (root.ttl !== undefined && root.maxLeaseTtl !== undefined && root.maxLeaseTtl < root.ttl) {
    out.push({
      path: ["root", "maxLeaseTtl"],
      message: `mount max TTL ${describeSeconds(root.maxLeaseTtl)} is below the root certificate TTL ${describeSeconds(root.ttl)}; Vault would silently shorten the certificate`,
    });
  }
  pki.intermediates.forEach((int, i) => checkIntermediate(pki, int, ["intermediates", i], out));
  const mounts = [root.mount, ...pki.intermediates.map((i) => i.mount)];
  mounts.forEach((m, i) => {
    // The root is listed first, so a duplicate is always an intermediate (i >= 1).
    if (mounts.indexOf(m) !== i)
      out.push({
        path: ["intermediates", i - 1, "mount"],
        message: `mount "${m}" is used twice in the hierarchy`,
      });
  });
  return out;
}

function checkIntermediate(pki: PkiSpec, int: IntermediateCaSpec, at: PropertyKey[], out: RawIssue[]): void {
  const root = pki.root;
  checkKey(int.keyType, int.keyBits, at, out);
  checkAltNames(int.altNames, [...at, "altNames"], out);
  // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
  if (root.ttl !== undefined && int.ttl > root.ttl) {
    out.push({
      path: [...at, "ttl"],
      message: `intermediate TTL ${describeSeconds(int.ttl)} exceeds the root TTL ${describeSeconds(root.ttl)}`,
    });
  }
  // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
  if (root.maxLeaseTtl !== undefined && int.ttl > root.maxLeaseTtl) {
    out.push({
      path: [...at, "ttl"],
      message: `intermediate TTL ${describeSeconds(int.ttl)} exceeds the root mount's max TTL ${describeSeconds(root.maxLeaseTtl)}, which signs it`,
    });
  }
  const names = new Set<string>();
  int.roles.forEach((role, r) => {
    const rp = [...at, "roles", r];
    if (names.has(role.name)) out.push({ path: [...rp, "name"], message: `role "${role.name}" is declared twice` });
    names.add(role.name);
    out.push(...checkPkiRole(role, int).map((i) => ({ path: [...rp, ...i.path], message: i.message })));
  });
}

/** The parts of an issuing CA a role is checked against. */
export interface RoleIssuerLimits {
  /** Mount path (for messages). */
  readonly mount: string;
  /** Mount max lease TTL in seconds. */
  readonly maxLeaseTtl?: number;
  /** The CA certificate's TTL in seconds, when known. */
  readonly ttl?: number;
}

/** Check one PKI role against its issuer; paths relative to the role. */
export function checkPkiRole(role: PkiRoleSpec, issuer: RoleIssuerLimits): RawIssue[] {
  const out: RawIssue[] = [];
  if (role.keyType !== "any") checkKey(role.keyType, role.keyBits, [], out);
  const max = role.maxTtl ?? role.ttl;
  // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
  if (role.maxTtl !== undefined && role.ttl > role.maxTtl) {
    out.push({ path: ["ttl"], message: `role TTL ${describeSeconds(role.ttl)} exceeds the role max TTL ${describeSeconds(role.maxTtl)}` });
  }
  // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
  if (issuer.maxLeaseTtl !== undefined) {
    if (role.ttl > issuer.maxLeaseTtl) {
      out.push({
        path: ["ttl"],
        message: `role TTL ${describeSeconds(role.ttl)} exceeds the mount max TTL ${describeSeconds(issuer.maxLeaseTtl)} of "${issuer.mount}"`,
      });
    } else if (max > issuer.maxLeaseTtl) {
      out.push({
        path: ["maxTtl"],
        message: `role max TTL ${describeSeconds(max)} exceeds the mount max TTL ${describeSeconds(issuer.maxLeaseTtl)} of "${issuer.mount}"`,
      });
    }
  }
  // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
  if (issuer.ttl !== undefined && max > issuer.ttl) {
    out.push({
      path: [role.maxTtl !== undefined ? "maxTtl" : "ttl"],
      message: `certificates of role "${role.name}" (${describeSeconds(max)}) would outlive their issuing CA (${describeSeconds(issuer.ttl)})`,
    });
  }
  if (!role.allowAnyName && role.template !== "code-signing" && role.allowedDomains.length === 0 && !role.allowLocalhost) {
    out.push({ path: ["allowedDomains"], message: `role "${role.name}" allows no names: set allowedDomains or allowAnyName` });
  }
  return out;
}

function checkKey(keyType: string, keyBits: number | undefined, at: PropertyKey[], out: RawIssue[]): void {
  if (keyBits === undefined) return;
  const allowed = KEY_BITS[keyType] ?? [];
  if (!allowed.includes(keyBits)) {
    out.push({
      path: [...at, "keyBits"],
      message: `keyBits ${keyBits} is not valid for keyType "${keyType}" (allowed: ${allowed.join(", ")})`,
    });
  }
}

const DNS_NAME = /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Alternative names split by kind: DNS names for `alt_names`, addresses for `ip_sans`. */
export interface SplitAltNames {
  /** DNS names (and wildcards), in input order, duplicates removed. */
  readonly dns: string[];
  /** IPv4 and IPv6 addresses, in input order, duplicates removed. */
  readonly ip: string[];
}

/**
 * Split mixed alternative names (`["cassandra-node-1", "10.0.1.100"]`) into DNS and IP SANs.
 * @throws ModelValidationError naming `path[i]` for an entry that is neither.
 */
export function splitAltNames(names: readonly string[], path = "altNames"): SplitAltNames {
  const issues: RawIssue[] = [];
  checkAltNames(names, [path], issues);
  if (issues.length > 0) throw new ModelValidationError(locateIssues(issues));
  const dns: string[] = [];
  const ip: string[] = [];
  for (const n of names) {
    const target = isIP(n) ? ip : dns;
    if (!target.includes(n)) target.push(n);
  }
  return { dns, ip };
}

function checkAltNames(names: readonly string[], at: PropertyKey[], out: RawIssue[]): void {
  names.forEach((n, i) => {
    if (isIP(n) === 0 && !DNS_NAME.test(n)) {
      out.push({ path: [...at, i], message: `"${n}" is neither a DNS name nor an IP address` });
    }
  });
}

/** See {@link canonicalizeEstate}. */
export function canonicalizePki(pki: PkiSpec): PkiSpec {
  const root = pki.root;
  const longest = Math.max(root.ttl ?? 0, ...pki.intermediates.map((i) => i.ttl));
  return {
    root: {
      ...root,
      keyBits: root.keyBits ?? defaultKeyBits(root.keyType),
      maxLeaseTtl: root.maxLeaseTtl ?? (longest > 0 ? longest : undefined),
    },
    intermediates: pki.intermediates.map((int) => ({
      ...int,
      keyBits: int.keyBits ?? defaultKeyBits(int.keyType),
      roles: int.roles.map((r) => ({ ...r, keyBits: r.keyBits ?? defaultKeyBits(r.keyType) })),
    })),
  };
}

/** What a root CA fragment exposes to its intermediates. */
export interface RootCaOutputs {
  /** Mount path of the root (literal for an existing root). */
  readonly mountPath: StringValue;
  /** Issuer id of the root certificate, when the fragment created it. */
  readonly issuerId?: StringValue;
}

/** The ids of a root the fragment created; a root CA construct always creates one. */
export function createdIds<T>(ids: T | undefined): T {
  if (ids === undefined) throw new Error("resource graph: the root CA fragment created no resources (an existing root has none)");
  return ids;
}

/** What an intermediate fragment exposes to its roles. */
export interface IntermediateCaOutputs {
  /** Mount path of the intermediate. */
  readonly mountPath: StringValue;
  /** Issuer id the signed certificate was imported as. */
  readonly issuerId: StringValue;
}

/** Extended-key-usage flags and key usage per role template. */
export const ROLE_TEMPLATE_ATTRIBUTES: Readonly<
  Record<PkiRoleSpec["template"], { server_flag: boolean; client_flag: boolean; code_signing_flag: boolean; key_usage: readonly string[] }>
> = {
  server: {
    server_flag: true,
    client_flag: false,
    code_signing_flag: false,
    key_usage: ["DigitalSignature", "KeyAgreement", "KeyEncipherment"],
  },
  client: {
    server_flag: false,
    client_flag: true,
    code_signing_flag: false,
    key_usage: ["DigitalSignature", "KeyAgreement", "KeyEncipherment"],
  },
  "code-signing": { server_flag: false, client_flag: false, code_signing_flag: true, key_usage: ["DigitalSignature"] },
};

function pkiMount(
  id: string,
  path: string,
  maxLeaseTtl: number | undefined,
  description: string,
  options: FragmentOptions,
): ResourceDescriptor {
  return {
    type: "vault_mount",
    id,
    attributes: compact({ path, type: "pki", description, max_lease_ttl_seconds: maxLeaseTtl, ...namespaceField(options) }),
  };
}

function subject(
  spec: Pick<RootCaSpec, "organization" | "ou" | "country" | "altNames">,
  path: string,
): { [k: string]: AttributeValue | undefined } {
  const split = splitAltNames(spec.altNames, path);
  return {
    organization: spec.organization,
    ou: spec.ou,
    country: spec.country,
    alt_names: nonEmpty(split.dns),
    ip_sans: nonEmpty(split.ip),
  };
}

function urlsAndCrl(
  owner: string,
  backend: StringValue,
  spec: Pick<RootCaSpec, "urls" | "crl">,
  options: FragmentOptions,
): ResourceDescriptor[] {
  const out: ResourceDescriptor[] = [];
  if (spec.urls) {
    out.push({
      type: "vault_pki_secret_backend_config_urls",
      id: `${owner}.urls`,
      attributes: compact({
        backend,
        issuing_certificates: spec.urls.issuingCertificates,
        crl_distribution_points: spec.urls.crlDistribution,
        ocsp_servers: spec.urls.ocspServers,
        ...namespaceField(options),
      }),
    });
  }
  if (spec.crl) {
    const c = spec.crl;
    const secs = (v: number | undefined): string | undefined => (v === undefined ? undefined : String(v));
    out.push({
      type: "vault_pki_secret_backend_crl_config",
      id: `${owner}.crl`,
      attributes: compact({
        backend,
        expiry: secs(c.expiry),
        disable: c.disable,
        auto_rebuild: c.autoRebuild,
        auto_rebuild_grace_period: secs(c.autoRebuildGracePeriod),
        enable_delta: c.enableDelta,
        delta_rebuild_interval: secs(c.deltaRebuildInterval),
        ocsp_disable: c.ocspDisable,
        ocsp_expiry: secs(c.ocspExpiry),
        ...namespaceField(options),
      }),
    });
  }
  return out;
}

/**
 * A root CA. `generate`: mount, root certificate (protected unless `protect: false`), default
 * issuer, URLs, CRL config. `existing`: no resources; the mount path is used as given.
 */
export function rootCaFragment(
  spec: RootCaSpec,
  options: FragmentOptions,
): { resources: ResourceDescriptor[]; outputs: RootCaOutputs; ids: { readonly mount: string; readonly certificate: string } | undefined } {
  const owner = ownerId(options.owner);
  if (spec.source === "existing") return { resources: [], outputs: { mountPath: spec.mount }, ids: undefined };
  const mount = pkiMount(`${owner}.mount`, spec.mount, spec.maxLeaseTtl, `root CA ${spec.commonName ?? ""}`.trim(), options);
  const backend = new AttrRef(mount.id, "path");
  const cert: ResourceDescriptor = {
    type: "vault_pki_secret_backend_root_cert",
    id: `${owner}.cert`,
    protect: spec.protect,
    attributes: compact({
      backend,
      type: spec.exportKey ? "exported" : "internal",
      common_name: spec.commonName,
      ttl: spec.ttl === undefined ? undefined : String(spec.ttl),
      key_type: spec.keyType,
      key_bits: spec.keyBits,
      issuer_name: spec.issuerName,
      max_path_length: spec.maxPathLength,
      ...subject(spec, "root.altNames"),
      ...namespaceField(options),
    }),
  };
  const issuerId = new AttrRef(cert.id, "issuer_id");
  const issuers: ResourceDescriptor = {
    type: "vault_pki_secret_backend_config_issuers",
    id: `${owner}.default-issuer`,
    attributes: compact({ backend, default: issuerId, default_follows_latest_issuer: false, ...namespaceField(options) }),
  };
  return {
    resources: [mount, cert, issuers, ...urlsAndCrl(owner, backend, spec, options)],
    outputs: { mountPath: backend, issuerId },
    ids: { mount: mount.id, certificate: cert.id },
  };
}

/** An intermediate CA signed by `root`: mount, CSR, signature, set-signed, default issuer, URLs, CRL. */
export function intermediateCaFragment(
  spec: IntermediateCaSpec,
  root: RootCaOutputs,
  options: FragmentOptions,
): { resources: ResourceDescriptor[]; outputs: IntermediateCaOutputs; ids: { readonly mount: string; readonly signature: string } } {
  const owner = ownerId(options.owner);
  const mount = pkiMount(`${owner}.mount`, spec.mount, spec.maxLeaseTtl, `intermediate CA ${spec.commonName}`, options);
  const backend = new AttrRef(mount.id, "path");
  const csr: ResourceDescriptor = {
    type: "vault_pki_secret_backend_intermediate_cert_request",
    id: `${owner}.csr`,
    attributes: compact({
      backend,
      type: spec.exportKey ? "exported" : "internal",
      common_name: spec.commonName,
      key_type: spec.keyType,
      key_bits: spec.keyBits,
      ...subject(spec, "intermediate.altNames"),
      ...namespaceField(options),
    }),
  };
  const signed: ResourceDescriptor = {
    type: "vault_pki_secret_backend_root_sign_intermediate",
    id: `${owner}.signed`,
    attributes: compact({
      backend: root.mountPath,
      issuer_ref: root.issuerId,
      csr: new AttrRef(csr.id, "csr"),
      common_name: spec.commonName,
      ttl: String(spec.ttl),
      max_path_length: spec.maxPathLength,
      // The signature, not the CSR, decides what the CA certificate says: subject and SANs go here too.
      use_csr_values: false,
      revoke: spec.revokeOnDestroy,
      // Stryker disable next-line StringLiteral: equivalent: the CSR above already refused the same names, at this path.
      ...subject(spec, "intermediate.altNames"),
      ...namespaceField(options),
    }),
  };
  // The bundle (signed certificate first, then the root) imports the root as a key-less issuer
  // beside the intermediate, so Vault builds the intermediate's ca_chain up to the root;
  // imported_issuers[0] stays the intermediate (issuers are imported in bundle order).
  const setSigned: ResourceDescriptor = {
    type: "vault_pki_secret_backend_intermediate_set_signed",
    id: `${owner}.set-signed`,
    attributes: compact({ backend, certificate: new AttrRef(signed.id, "certificate_bundle"), ...namespaceField(options) }),
  };
  const issuerId = new AttrRef(setSigned.id, "imported_issuers", 0);
  const resources: ResourceDescriptor[] = [mount, csr, signed, setSigned];
  if (spec.issuerName !== undefined) {
    resources.push({
      type: "vault_pki_secret_backend_issuer",
      id: `${owner}.issuer`,
      attributes: compact({ backend, issuer_ref: issuerId, issuer_name: spec.issuerName, ...namespaceField(options) }),
    });
  }
  resources.push({
    type: "vault_pki_secret_backend_config_issuers",
    id: `${owner}.default-issuer`,
    attributes: compact({ backend, default: issuerId, default_follows_latest_issuer: false, ...namespaceField(options) }),
  });
  resources.push(...urlsAndCrl(owner, backend, spec, options));
  resources.push(
    ...spec.roles.map((r) => pkiRoleDescriptor(r, { mountPath: backend, issuerId }, { ...options, owner: `${owner}/role-${r.name}` })),
  );
  return { resources, outputs: { mountPath: backend, issuerId }, ids: { mount: mount.id, signature: signed.id } };
}

/** A role on `issuer`'s mount, pinned to that issuer. */
export function pkiRoleDescriptor(spec: PkiRoleSpec, issuer: IntermediateCaOutputs, options: FragmentOptions): ResourceDescriptor {
  const owner = ownerId(options.owner);
  const template = ROLE_TEMPLATE_ATTRIBUTES[spec.template];
  return {
    type: "vault_pki_secret_backend_role",
    id: `${owner}.role`,
    attributes: compact({
      backend: issuer.mountPath,
      issuer_ref: issuer.issuerId,
      name: spec.name,
      ttl: String(spec.ttl),
      max_ttl: String(spec.maxTtl ?? spec.ttl),
      allowed_domains: sortedSet(spec.allowedDomains),
      allow_subdomains: spec.allowSubdomains,
      allow_bare_domains: spec.allowBareDomains,
      allow_glob_domains: spec.allowGlobDomains,
      allow_ip_sans: spec.allowIpSans,
      allow_localhost: spec.allowLocalhost,
      allow_any_name: spec.allowAnyName,
      enforce_hostnames: spec.template === "code-signing" ? false : spec.enforceHostnames,
      server_flag: template.server_flag,
      client_flag: template.client_flag || spec.clientAuth,
      code_signing_flag: template.code_signing_flag,
      key_usage: [...template.key_usage],
      key_type: spec.keyType,
      key_bits: spec.keyBits,
      no_store: spec.noStore,
      organization: nonEmpty(spec.organization),
      ou: nonEmpty(spec.ou),
      ...namespaceField(options),
    }),
  };
}

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
  /** Certificate TTL, to check intermediates against. @default not checked (intermediates say so) */
  readonly ttl?: string | number;
  /** The mount's max lease TTL, to check intermediates against. @default not checked (intermediates say so) */
  readonly maxLeaseTtl?: string | number;
}

/**
 * What an intermediate cannot check about a root whose limits are unknown (an imported root
 * told neither its TTL nor its mount max TTL): a message for the construct's warning, or
 * undefined when both are known. Vault still refuses an intermediate that outlives its root at
 * apply time; this says that synthesis could not.
 */
export function uncheckedRootLimits(root: {
  readonly mountPath: string;
  readonly ttlSeconds?: number;
  readonly maxLeaseTtlSeconds?: number;
}): string | undefined {
  const missing = [
    root.ttlSeconds === undefined ? "ttl" : undefined,
    root.maxLeaseTtlSeconds === undefined ? "maxLeaseTtl" : undefined,
  ].filter((m): m is string => m !== undefined);
  if (missing.length === 0) return undefined;
  return `root "${root.mountPath}" was imported without ${missing.join(" and ")}: the intermediate's TTL is not checked against it (pass them to RootCa.fromMountPath)`;
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
  return omitUndefined({ ...caInput(props), source: "generate", maxPathLength: props.maxPathLength, protect: props.protect });
}

/** Model input of an intermediate CA. */
export function intermediateCaInput(props: IntermediateCaOptions): Record<string, unknown> {
  return omitUndefined({ ...caInput(props), maxPathLength: props.maxPathLength, revokeOnDestroy: props.revokeOnDestroy });
}

/** Model input of a PKI role (`roleName` becomes `name`). */
export function pkiRoleInput(options: PkiRoleOptions): Record<string, unknown> {
  const { roleName, ...rest } = options;
  return omitUndefined({ ...rest, name: roleName });
}

/** The role spec with its key size filled in (`any` key type: 0; else the type's default). */
export function withRoleKeyBits<T extends { keyBits?: number; keyType: "rsa" | "ec" | "ed25519" | "any" }>(
  parsed: T,
): T & { keyBits: number } {
  return { ...parsed, keyBits: parsed.keyBits ?? (parsed.keyType === "any" ? 0 : defaultKeyBits(parsed.keyType)) };
}

/** Model input of a whole hierarchy (validated together first, so paths name `intermediates[i]`). */
export function pkiHierarchyInput(props: PkiHierarchyProps): Record<string, unknown> {
  return omitUndefined({
    root: omitUndefined({ ...caInput(props.root), maxPathLength: props.root.maxPathLength, protect: props.root.protect }),
    intermediates: (props.intermediates ?? []).map((i) =>
      omitUndefined({
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

/** The CA props (either engine) of a validated root or intermediate spec. */
export function caProps(spec: RootCaSpec | IntermediateCaSpec): {
  mountPath: string;
  keyType: "rsa" | "ec" | "ed25519";
  keyBits?: number;
  issuerName?: string;
  organization?: string;
  ou?: string;
  country?: string;
  altNames: readonly string[];
  exportKey: boolean;
  issuingCertificates?: readonly string[];
  crlDistribution?: readonly string[];
  ocspServers?: readonly string[];
  crl?: RootCaSpec["crl"];
} {
  return {
    mountPath: spec.mount,
    keyType: spec.keyType,
    keyBits: spec.keyBits,
    issuerName: spec.issuerName,
    organization: spec.organization,
    ou: spec.ou,
    country: spec.country,
    altNames: spec.altNames,
    exportKey: spec.exportKey,
    issuingCertificates: spec.urls?.issuingCertificates,
    crlDistribution: spec.urls?.crlDistribution,
    ocspServers: spec.urls?.ocspServers,
    crl: spec.crl,
  };
}

/** The props of a root CA generated in Vault, from its validated spec. */
export function generatedRootProps(root: RootCaSpec): RootCaProps {
  return {
    ...caProps(root),
    commonName: root.commonName ?? "",
    ttl: root.ttl ?? 0,
    maxLeaseTtl: root.maxLeaseTtl,
    maxPathLength: root.maxPathLength,
    protect: root.protect,
  };
}

/** The props of an intermediate CA from its validated spec, all but the root it is signed by. */
export function intermediateProps(int: IntermediateCaSpec) {
  return {
    ...caProps(int),
    commonName: int.commonName,
    ttl: int.ttl,
    maxLeaseTtl: int.maxLeaseTtl,
    maxPathLength: int.maxPathLength,
    revokeOnDestroy: int.revokeOnDestroy,
  };
}

/**
 * A CA that roles issue from — the engine-neutral shape; each engine adds how a role reaches the
 * CA's resources (a construct scope, a Pulumi component).
 */
export interface CertificateIssuer {
  /** Mount path as a literal. */
  readonly mountPath: string;
  /** Graph value of the mount path. */
  readonly mountRef: StringValue;
  /** Graph value of the issuer id roles are pinned to. */
  readonly issuerRef: StringValue;
  /** Mount max lease TTL in seconds. */
  readonly maxLeaseTtlSeconds: number;
  /** CA certificate TTL in seconds, when known. */
  readonly ttlSeconds?: number;
}

/** An intermediate CA, created here or imported: what roles are created against and checked with. */
export type IIntermediateCa = CertificateIssuer;

/** What an importer of an existing intermediate (issuing) CA is told. */
export interface IntermediateCaAttributes {
  /** Mount path of the existing CA. */
  readonly mountPath: string;
  /**
   * The mount's max lease TTL: required, because every role created on the CA is checked against
   * it (Vault would silently cut a longer certificate TTL down to it).
   */
  readonly maxLeaseTtl: string | number;
  /** The CA certificate's TTL, to check that role certificates do not outlive it. @default not checked */
  readonly ttl?: string | number;
  /** Issuer id or name roles are pinned to. @default "default" (the mount's default issuer) */
  readonly issuerRef?: string;
}

const intermediateImportSchema = z.strictObject({
  mountPath: mountPathField,
  maxLeaseTtl: durationSeconds,
  ttl: durationSeconds.optional(),
  issuerRef: z.string().min(1).default("default"),
});

/**
 * Validate the attributes of an imported intermediate CA (both engines' `fromMountPath`).
 * @throws ModelValidationError naming `label` and the field
 */
export function importIntermediateCa(label: string, attrs: IntermediateCaAttributes): CertificateIssuer {
  const spec = validateLabelled(label, intermediateImportSchema, omitUndefined({ ...attrs }));
  return {
    mountPath: spec.mountPath,
    mountRef: spec.mountPath,
    issuerRef: spec.issuerRef,
    maxLeaseTtlSeconds: spec.maxLeaseTtl,
    ...(spec.ttl !== undefined ? { ttlSeconds: spec.ttl } : {}),
  };
}

/** A PKI role, created here or imported: its name, its CA's mount and its grants. */
export interface IPkiRole {
  /** Role name. */
  readonly roleName: string;
  /** The issuing CA's mount path. */
  readonly mountPath: string;
  /** Grant `update` on `<mount>/issue/<role>` (issue a certificate and key). */
  grantIssue(policy: PolicyGrantee): PathRule[];
  /** Grant `update` on `<mount>/sign/<role>` (sign a CSR). */
  grantSign(policy: PolicyGrantee): PathRule[];
  /** Grant `update` on `<mount>/revoke` — broad: any certificate of the mount. */
  grantRevoke(policy: PolicyGrantee): PathRule[];
}

/** What an importer of an existing PKI role is told. */
export interface PkiRoleAttributes {
  /** Role name. */
  readonly roleName: string;
  /** Mount path of the CA the role belongs to. */
  readonly mountPath: string;
}

const pkiRoleImportSchema = z.strictObject({ roleName: resourceName, mountPath: mountPathField });

/**
 * Validate the attributes of an imported PKI role and return its grants.
 * @throws ModelValidationError naming `label` and the field
 */
export function importPkiRole(label: string, attrs: PkiRoleAttributes): PkiRoleGrants {
  const spec = validateLabelled(label, pkiRoleImportSchema, { ...attrs });
  return new PkiRoleGrants(spec.mountPath, spec.roleName);
}

/** The one implementation of a PKI role's grants, for both engines. */
export class PkiRoleGrants implements IPkiRole {
  constructor(
    public readonly mountPath: string,
    public readonly roleName: string,
  ) {}

  /** Grant `update` on `<mount>/issue/<role>` (issue a certificate and key). */
  public grantIssue(policy: PolicyGrantee): PathRule[] {
    return grantRules(policy, [pkiGrantRule(this.mountPath, this.roleName, "issue")]);
  }

  /** Grant `update` on `<mount>/sign/<role>` (sign a CSR; the key never leaves the client). */
  public grantSign(policy: PolicyGrantee): PathRule[] {
    return grantRules(policy, [pkiGrantRule(this.mountPath, this.roleName, "sign")]);
  }

  /** Grant `update` on `<mount>/revoke` (revoke by serial number) — broad: any certificate of the mount. */
  public grantRevoke(policy: PolicyGrantee): PathRule[] {
    return grantRules(policy, [pkiGrantRule(this.mountPath, this.roleName, "revoke")]);
  }
}
