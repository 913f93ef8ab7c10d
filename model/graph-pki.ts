/**
 * PKI hierarchy → descriptors: root mount and certificate (key `internal`, protected), intermediate
 * mount → CSR → signed by its root → set-signed → default issuer set explicitly, roles from
 * templates, AIA/CRL/OCSP URLs and CRL config. TTLs are seconds (strings where the provider's
 * argument is a string, so Vault's read-back `"2592000"` matches).
 */
import { AttrRef, AttributeValue, ResourceDescriptor, StringValue, compact, nonEmpty, ownerId, sortedSet } from "./graph";
import { splitAltNames } from "./rules";
import { IntermediateCaSpec, PkiRoleSpec, RootCaSpec } from "./schema";

/** Options every fragment takes. */
export interface FragmentOptions {
  /** Owner part of the logical ids (no dots). */
  readonly owner: string;
  /** Namespace the resources are created in. @default the provider's namespace */
  readonly namespace?: StringValue;
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

function ns(options: FragmentOptions): { namespace?: StringValue } {
  return options.namespace === undefined ? {} : { namespace: options.namespace };
}

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
    attributes: compact({ path, type: "pki", description, max_lease_ttl_seconds: maxLeaseTtl, ...ns(options) }),
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
        ...ns(options),
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
        ...ns(options),
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
      ...ns(options),
    }),
  };
  const issuerId = new AttrRef(cert.id, "issuer_id");
  const issuers: ResourceDescriptor = {
    type: "vault_pki_secret_backend_config_issuers",
    id: `${owner}.default-issuer`,
    attributes: compact({ backend, default: issuerId, default_follows_latest_issuer: false, ...ns(options) }),
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
      ...ns(options),
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
      ...subject(spec, "intermediate.altNames"),
      ...ns(options),
    }),
  };
  // The bundle (signed certificate first, then the root) imports the root as a key-less issuer
  // beside the intermediate, so Vault builds the intermediate's ca_chain up to the root;
  // imported_issuers[0] stays the intermediate (issuers are imported in bundle order).
  const setSigned: ResourceDescriptor = {
    type: "vault_pki_secret_backend_intermediate_set_signed",
    id: `${owner}.set-signed`,
    attributes: compact({ backend, certificate: new AttrRef(signed.id, "certificate_bundle"), ...ns(options) }),
  };
  const issuerId = new AttrRef(setSigned.id, "imported_issuers", 0);
  const resources: ResourceDescriptor[] = [mount, csr, signed, setSigned];
  if (spec.issuerName !== undefined) {
    resources.push({
      type: "vault_pki_secret_backend_issuer",
      id: `${owner}.issuer`,
      attributes: compact({ backend, issuer_ref: issuerId, issuer_name: spec.issuerName, ...ns(options) }),
    });
  }
  resources.push({
    type: "vault_pki_secret_backend_config_issuers",
    id: `${owner}.default-issuer`,
    attributes: compact({ backend, default: issuerId, default_follows_latest_issuer: false, ...ns(options) }),
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
      ...ns(options),
    }),
  };
}
