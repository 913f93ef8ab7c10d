/**
 * zod schemas of the estate model: what the constructs take and what the resource graph is
 * compiled from. Durations come out as integer seconds, policy names are checked lower-case,
 * unknown keys are rejected everywhere. Cross-field rules live in `rules.ts`.
 */
import { z } from "zod";
import { CAPABILITIES, Capability } from "../policies/policy-document";
import { durationSeconds } from "./duration";
import { targetSchema } from "./target";

const name = z.string().regex(/^[a-z0-9]([a-z0-9_.-]*[a-z0-9])?$/, "expected lower-case letters, digits, '-', '_' or '.'");
/** A Vault policy name: Vault lower-cases names silently, so upper case is refused. */
export const policyName = z
  .string()
  .min(1)
  .refine((s) => s === s.toLowerCase(), "policy names must be lower-case (Vault lower-cases them silently)")
  .refine((s) => /^[a-z0-9][a-z0-9_.\-/]*$/.test(s), "policy name may hold only a-z, 0-9, '-', '_', '.', '/'");
const mountPath = z
  .string()
  .min(1)
  .transform((s) => s.replace(/^\/+|\/+$/g, ""))
  .refine((s) => /^[A-Za-z0-9_.\-/]+$/.test(s), "mount path may hold only letters, digits, '-', '_', '.', '/'");
const policyList = z.array(policyName).default([]);
const url = z.string().regex(/^(https?|ldaps?):\/\/\S+$/, "expected an http(s):// or ldap(s):// URL");

/** A reference to a secret that must never land in configuration: a variable supplied at deploy time. */
export const secretInputSchema = z.strictObject({
  /** Name of the deploy-time input (a sensitive Terraform variable / Pulumi secret config key). */
  variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an identifier"),
  /** Bump to push a new value through a write-only attribute. */
  version: z.number().int().min(1).default(1),
});

/** Optional auth-mount tune block (emitted only when given). */
export const tuneSchema = z.strictObject({
  defaultLeaseTtl: durationSeconds.optional(),
  maxLeaseTtl: durationSeconds.optional(),
  listingVisibility: z.enum(["unauth", "hidden"]).optional(),
  tokenType: z.enum(["default-service", "default-batch", "service", "batch"]).optional(),
});

/** Token fields every auth role has. */
const tokenFields = {
  policies: policyList,
  tokenTtl: durationSeconds.optional(),
  tokenMaxTtl: durationSeconds.optional(),
  tokenPeriod: durationSeconds.optional(),
  tokenBoundCidrs: z.array(z.string()).default([]),
  tokenType: z.enum(["default", "service", "batch"]).optional(),
  tokenNoDefaultPolicy: z.boolean().optional(),
};

const urlsSchema = z.strictObject({
  issuingCertificates: z.array(url).default([]),
  crlDistribution: z.array(url).default([]),
  ocspServers: z.array(url).default([]),
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
  name,
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
  mount: mountPath,
  /** `generate` creates the root in Vault; `existing` refers to a root already in `mount`. */
  source: z.enum(["generate", "existing"]).default("generate"),
  maxLeaseTtl: durationSeconds.optional(),
  commonName: z.string().min(1).optional(),
  ttl: durationSeconds.optional(),
  issuerName: name.optional(),
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
  mount: mountPath,
  maxLeaseTtl: durationSeconds,
  commonName: z.string().min(1),
  ttl: durationSeconds,
  issuerName: name.optional(),
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

/** A KV v2 mount. */
export const kvSchema = z.strictObject({
  mount: mountPath,
  description: z.string().optional(),
  maxVersions: z.number().int().min(0).default(0),
  casRequired: z.boolean().default(false),
  deleteVersionAfter: durationSeconds.default(0),
});

/** Transit key types vaultsmith supports. */
export const TRANSIT_KEY_TYPES = [
  "aes128-gcm96",
  "aes256-gcm96",
  "chacha20-poly1305",
  "ed25519",
  "ecdsa-p256",
  "ecdsa-p384",
  "ecdsa-p521",
  "rsa-2048",
  "rsa-3072",
  "rsa-4096",
  "hmac",
] as const;

/** A transit key. */
export const transitKeySchema = z.strictObject({
  name,
  type: z.enum(TRANSIT_KEY_TYPES).default("aes256-gcm96"),
  derived: z.boolean().default(false),
  convergentEncryption: z.boolean().default(false),
  autoRotatePeriod: durationSeconds.default(0),
  deletionAllowed: z.boolean().default(false),
  exportable: z.boolean().default(false),
  allowPlaintextBackup: z.boolean().default(false),
  minDecryptionVersion: z.number().int().min(1).optional(),
});

/** A transit mount with its keys. */
export const transitSchema = z.strictObject({
  mount: mountPath,
  keys: z.array(transitKeySchema).default([]),
});

/** Database plugins vaultsmith supports. */
export const DATABASE_PLUGINS = ["cassandra", "postgresql", "mysql", "mongodb"] as const;

/** A database connection. */
export const databaseConnectionSchema = z.strictObject({
  name,
  plugin: z.enum(DATABASE_PLUGINS),
  /** Cassandra only: host names. */
  hosts: z.array(z.string()).default([]),
  /** Cassandra only. @default 9042 */
  port: z.number().int().min(1).max(65535).optional(),
  /** Cassandra only: connect with TLS. */
  tls: z.boolean().optional(),
  /** Cassandra only: skip verification of the server's certificate (TLS). */
  insecureTls: z.boolean().optional(),
  /** Cassandra only: PEM CA certificate(s) the server's certificate is verified against (`pem_bundle`; needs `tls`). */
  caCert: z.string().includes("BEGIN CERTIFICATE", { message: "expected a PEM certificate" }).optional(),
  /** Cassandra only: CQL native protocol version (Cassandra 3.0+ speaks 3 and 4, 4.0+ also 5; the provider's default is 2). */
  protocolVersion: z.number().int().min(2).max(5).optional(),
  /** Cassandra only: connection timeout. */
  connectTimeout: durationSeconds.optional(),
  /** SQL / MongoDB: a URL templated with `{{username}}` and `{{password}}`. */
  connectionUrl: z.string().optional(),
  username: z.string().min(1),
  password: secretInputSchema,
  allowedRoles: z.array(name).default([]),
  verifyConnection: z.boolean().default(true),
  rootRotationStatements: z.array(z.string()).default([]),
});

/** A database role. */
export const databaseRoleSchema = z.strictObject({
  name,
  connection: name,
  creationStatements: z.array(z.string().min(1)).min(1),
  revocationStatements: z.array(z.string()).default([]),
  renewStatements: z.array(z.string()).default([]),
  rollbackStatements: z.array(z.string()).default([]),
  defaultTtl: durationSeconds.default(3600),
  maxTtl: durationSeconds.default(86400),
});

/** A database secrets mount. */
export const databaseSchema = z.strictObject({
  mount: mountPath,
  maxLeaseTtl: durationSeconds.optional(),
  connections: z.array(databaseConnectionSchema).default([]),
  roles: z.array(databaseRoleSchema).default([]),
});

/** AppRole auth. */
export const appRoleAuthSchema = z.strictObject({
  path: mountPath.default("approle"),
  description: z.string().optional(),
  tune: tuneSchema.optional(),
  roles: z
    .array(
      z.strictObject({
        name,
        secretIdTtl: durationSeconds.optional(),
        secretIdNumUses: z.number().int().min(0).optional(),
        secretIdBoundCidrs: z.array(z.string()).default([]),
        ...tokenFields,
      }),
    )
    .default([]),
});

/** Kubernetes auth. */
export const kubernetesAuthSchema = z.strictObject({
  path: mountPath.default("kubernetes"),
  description: z.string().optional(),
  tune: tuneSchema.optional(),
  kubernetesHost: url,
  /**
   * PEM CA of the API server. Needed whenever Vault does not run in a pod of this cluster: only
   * there does Vault find the cluster's CA (and a reviewer JWT) in the pod's service-account files.
   */
  kubernetesCaCert: z.string().optional(),
  /** Vault runs in a pod of this cluster; `false` turns off the pod-local CA/JWT (`disable_local_ca_jwt`) and needs `kubernetesCaCert`. */
  vaultInCluster: z.boolean().optional(),
  issuer: z.string().optional(),
  disableIssValidation: z.boolean().optional(),
  roles: z
    .array(
      z.strictObject({
        name,
        serviceAccountNames: z.array(z.string().min(1)).min(1),
        serviceAccountNamespaces: z.array(z.string().min(1)).min(1),
        audience: z.string().optional(),
        ...tokenFields,
      }),
    )
    .default([]),
});

/** LDAP auth. */
export const ldapAuthSchema = z.strictObject({
  path: mountPath.default("ldap"),
  description: z.string().optional(),
  tune: tuneSchema.optional(),
  url,
  userdn: z.string().optional(),
  userattr: z.string().optional(),
  groupdn: z.string().optional(),
  groupfilter: z.string().optional(),
  groupattr: z.string().optional(),
  upndomain: z.string().optional(),
  binddn: z.string().optional(),
  bindpass: secretInputSchema.optional(),
  starttls: z.boolean().optional(),
  insecureTls: z.boolean().default(false),
  certificate: z.string().optional(),
  groups: z.array(z.strictObject({ name: z.string().min(1), policies: policyList })).default([]),
});

/** JWT / OIDC auth. */
export const jwtAuthSchema = z.strictObject({
  path: mountPath.default("jwt"),
  type: z.enum(["jwt", "oidc"]).default("jwt"),
  description: z.string().optional(),
  tune: tuneSchema.optional(),
  oidcDiscoveryUrl: url.optional(),
  oidcClientId: z.string().optional(),
  oidcClientSecret: secretInputSchema.optional(),
  jwksUrl: url.optional(),
  jwtValidationPubkeys: z.array(z.string()).default([]),
  boundIssuer: z.string().optional(),
  defaultRole: z.string().optional(),
  roles: z
    .array(
      z.strictObject({
        name,
        roleType: z.enum(["jwt", "oidc"]).optional(),
        userClaim: z.string().min(1),
        boundAudiences: z.array(z.string()).default([]),
        boundSubject: z.string().optional(),
        boundClaims: z.record(z.string(), z.string()).optional(),
        groupsClaim: z.string().optional(),
        allowedRedirectUris: z.array(url).default([]),
        oidcScopes: z.array(z.string()).default([]),
        ...tokenFields,
      }),
    )
    .default([]),
});

/** TLS certificate auth. */
export const certAuthSchema = z.strictObject({
  path: mountPath.default("cert"),
  description: z.string().optional(),
  tune: tuneSchema.optional(),
  roles: z
    .array(
      z.strictObject({
        name,
        certificate: z.string().includes("BEGIN CERTIFICATE", { message: "expected a PEM certificate" }),
        allowedCommonNames: z.array(z.string()).default([]),
        allowedDnsSans: z.array(z.string()).default([]),
        allowedOrganizationalUnits: z.array(z.string()).default([]),
        ...tokenFields,
      }),
    )
    .default([]),
});

const capability = z.enum(CAPABILITIES as readonly [Capability, ...Capability[]]);
/** One ACL path rule (the shape of `PathRule` in `policies/policy-document.ts`). */
export const pathRuleSchema = z.strictObject({
  path: z.string().min(1),
  capabilities: z.array(capability).min(1),
  allowedParameters: z.record(z.string(), z.array(z.string())).optional(),
  deniedParameters: z.record(z.string(), z.array(z.string())).optional(),
  requiredParameters: z.array(z.string()).optional(),
  minWrappingTtlSeconds: z.number().int().min(0).optional(),
  maxWrappingTtlSeconds: z.number().int().min(0).optional(),
});

/** An ACL policy. */
export const aclPolicySchema = z.strictObject({ name: policyName, rules: z.array(pathRuleSchema).default([]) });

/** Sentinel enforcement levels. */
export const ENFORCEMENT_LEVELS = ["advisory", "soft-mandatory", "hard-mandatory"] as const;

/** A Sentinel policy: EGP (bound to paths) or RGP (bound to tokens/identities). */
export const sentinelPolicySchema = z.strictObject({
  name: policyName,
  kind: z.enum(["egp", "rgp"]),
  paths: z.array(z.string().min(1)).default([]),
  enforcementLevel: z.enum(ENFORCEMENT_LEVELS),
  policy: z.string().min(1),
});

/** A namespace (nested ones name their parent). */
export const namespaceSchema = z.strictObject({
  path: z.string().regex(/^[A-Za-z0-9_-]+$/, "a namespace path is one segment; nest with `parent`"),
  parent: z.string().optional(),
  customMetadata: z.record(z.string(), z.string()).optional(),
});

/** A rate-limit quota. */
export const rateLimitQuotaSchema = z.strictObject({
  name,
  path: z.string().default(""),
  rate: z.number().positive(),
  interval: durationSeconds.optional(),
  blockInterval: durationSeconds.optional(),
  role: z.string().optional(),
  inheritable: z.boolean().optional(),
});

/** A lease-count quota (Vault Enterprise). */
export const leaseCountQuotaSchema = z.strictObject({
  name,
  path: z.string().default(""),
  maxLeases: z.number().int().min(1),
  role: z.string().optional(),
  inheritable: z.boolean().optional(),
});

/** An audit device. */
export const auditDeviceSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("file"),
    path: mountPath.default("file"),
    description: z.string().optional(),
    local: z.boolean().default(false),
    filePath: z.string().min(1),
    mode: z
      .string()
      .regex(/^0?[0-7]{3}$/, "expected an octal file mode such as 0600")
      .optional(),
    format: z.enum(["json", "jsonx"]).default("json"),
    hmacAccessor: z.boolean().optional(),
  }),
  z.strictObject({
    type: z.literal("socket"),
    path: mountPath.default("socket"),
    description: z.string().optional(),
    local: z.boolean().default(false),
    address: z.string().min(1),
    socketType: z.enum(["tcp", "udp", "unix"]).default("tcp"),
    writeTimeout: durationSeconds.optional(),
    format: z.enum(["json", "jsonx"]).default("json"),
    hmacAccessor: z.boolean().optional(),
  }),
]);

/** A whole estate. */
export const estateSchema = z.strictObject({
  target: targetSchema,
  /**
   * Namespace every resource of the estate is created in (relative to the provider's), except
   * quotas and audit devices, which Vault keeps in the root namespace only.
   */
  namespace: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, "expected namespace path segments separated by '/'")
    .optional(),
  /**
   * Create `namespace` (its last segment, inside the rest, which must exist) instead of expecting
   * it to exist: every resource then refers to it, so Terraform creates it first and destroys it last.
   */
  createNamespace: z.boolean().default(false),
  pki: pkiSchema.optional(),
  kv: z.array(kvSchema).default([]),
  transit: z.array(transitSchema).default([]),
  database: z.array(databaseSchema).default([]),
  auth: z
    .strictObject({
      appRole: appRoleAuthSchema.optional(),
      kubernetes: kubernetesAuthSchema.optional(),
      ldap: ldapAuthSchema.optional(),
      jwt: jwtAuthSchema.optional(),
      cert: certAuthSchema.optional(),
    })
    .default({}),
  policies: z.array(aclPolicySchema).default([]),
  sentinelPolicies: z.array(sentinelPolicySchema).default([]),
  namespaces: z.array(namespaceSchema).default([]),
  rateLimitQuotas: z.array(rateLimitQuotaSchema).default([]),
  leaseCountQuotas: z.array(leaseCountQuotaSchema).default([]),
  audit: z.array(auditDeviceSchema).default([]),
});

/** A validated, canonical estate. */
export type Estate = z.output<typeof estateSchema>;
/** Estate input as written (durations as strings, defaults omitted). */
export type EstateInput = z.input<typeof estateSchema>;
/** Canonical PKI hierarchy. */
export type PkiSpec = z.output<typeof pkiSchema>;
/** Canonical root CA. */
export type RootCaSpec = z.output<typeof rootCaSchema>;
/** Canonical intermediate CA. */
export type IntermediateCaSpec = z.output<typeof intermediateCaSchema>;
/** Canonical PKI role. */
export type PkiRoleSpec = z.output<typeof pkiRoleSchema>;
/** Canonical KV v2 mount. */
export type KvSpec = z.output<typeof kvSchema>;
/** Canonical transit mount. */
export type TransitSpec = z.output<typeof transitSchema>;
/** Canonical transit key. */
export type TransitKeySpec = z.output<typeof transitKeySchema>;
/** Canonical database mount. */
export type DatabaseSpec = z.output<typeof databaseSchema>;
/** Canonical database connection. */
export type DatabaseConnectionSpec = z.output<typeof databaseConnectionSchema>;
/** Canonical database role. */
export type DatabaseRoleSpec = z.output<typeof databaseRoleSchema>;
/** Canonical AppRole auth. */
export type AppRoleAuthSpec = z.output<typeof appRoleAuthSchema>;
/** Canonical Kubernetes auth. */
export type KubernetesAuthSpec = z.output<typeof kubernetesAuthSchema>;
/** Canonical LDAP auth. */
export type LdapAuthSpec = z.output<typeof ldapAuthSchema>;
/** Canonical JWT/OIDC auth. */
export type JwtAuthSpec = z.output<typeof jwtAuthSchema>;
/** Canonical cert auth. */
export type CertAuthSpec = z.output<typeof certAuthSchema>;
/** Canonical auth tune block. */
export type TuneSpec = z.output<typeof tuneSchema>;
/** Canonical ACL policy. */
export type AclPolicySpec = z.output<typeof aclPolicySchema>;
/** Canonical Sentinel policy. */
export type SentinelPolicySpec = z.output<typeof sentinelPolicySchema>;
/** Canonical namespace. */
export type NamespaceSpec = z.output<typeof namespaceSchema>;
/** Canonical rate-limit quota. */
export type RateLimitQuotaSpec = z.output<typeof rateLimitQuotaSchema>;
/** Canonical lease-count quota. */
export type LeaseCountQuotaSpec = z.output<typeof leaseCountQuotaSchema>;
/** Canonical audit device. */
export type AuditDeviceSpec = z.output<typeof auditDeviceSchema>;
/** A deploy-time secret input. */
export type SecretInputSpec = z.output<typeof secretInputSchema>;
