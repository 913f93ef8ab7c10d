/**
 * Auth methods → descriptors. AppRole, Kubernetes and cert are mounted with `vault_auth_backend`;
 * LDAP and JWT/OIDC mount themselves (`vault_ldap_auth_backend`, `vault_jwt_auth_backend`), so no
 * `vault_auth_backend` is created at their path. A `tune` block is emitted only when set: the
 * provider reports a diff on every plan for tune values that differ from Vault's defaults.
 */
import { AttrRef, AttributeValue, ResourceDescriptor, SecretInput, StringValue, compact, nonEmpty, ownerId, sortedSet } from "./graph";
import { FragmentOptions } from "./graph-pki";
import { AppRoleAuthSpec, CertAuthSpec, JwtAuthSpec, KubernetesAuthSpec, LdapAuthSpec, TuneSpec } from "./schema";

function ns(options: FragmentOptions): { namespace?: StringValue } {
  return options.namespace === undefined ? {} : { namespace: options.namespace };
}

/** Token fields shared by every auth role. */
export interface TokenFieldsSpec {
  /** Policies attached to issued tokens. */
  readonly policies: readonly string[];
  /** Token TTL in seconds. */
  readonly tokenTtl?: number;
  /** Token max TTL in seconds. */
  readonly tokenMaxTtl?: number;
  /** Periodic token period in seconds. */
  readonly tokenPeriod?: number;
  /** CIDRs tokens may be used from. */
  readonly tokenBoundCidrs: readonly string[];
  /** Token type. */
  readonly tokenType?: string;
  /** Leave out the `default` policy. */
  readonly tokenNoDefaultPolicy?: boolean;
}

/** Canonical `token_*` arguments. */
export function tokenAttributes(spec: TokenFieldsSpec): { [key: string]: AttributeValue | undefined } {
  return {
    token_policies: sortedSet(spec.policies),
    token_ttl: spec.tokenTtl,
    token_max_ttl: spec.tokenMaxTtl,
    token_period: spec.tokenPeriod,
    token_bound_cidrs: nonEmpty(sortedSet(spec.tokenBoundCidrs)),
    token_type: spec.tokenType,
    token_no_default_policy: spec.tokenNoDefaultPolicy,
  };
}

/** A tune block (list of one), or nothing. */
export function tuneBlock(tune: TuneSpec | undefined): AttributeValue | undefined {
  if (!tune) return undefined;
  const secs = (v: number | undefined): string | undefined => (v === undefined ? undefined : `${v}s`);
  return [
    compact({
      default_lease_ttl: secs(tune.defaultLeaseTtl),
      max_lease_ttl: secs(tune.maxLeaseTtl),
      listing_visibility: tune.listingVisibility,
      token_type: tune.tokenType,
    }),
  ];
}

function authMount(
  owner: string,
  type: string,
  path: string,
  description: string | undefined,
  tune: TuneSpec | undefined,
  options: FragmentOptions,
): ResourceDescriptor {
  return {
    type: "vault_auth_backend",
    id: `${owner}.mount`,
    attributes: compact({ type, path, description, tune: tuneBlock(tune), ...ns(options) }),
  };
}

/** AppRole auth: mount and roles. */
export function appRoleFragment(spec: AppRoleAuthSpec, options: FragmentOptions): { resources: ResourceDescriptor[]; path: AttrRef } {
  const owner = ownerId(options.owner);
  const mount = authMount(owner, "approle", spec.path, spec.description, spec.tune, options);
  const path = new AttrRef(mount.id, "path");
  const roles = spec.roles.map((r): ResourceDescriptor => ({
    type: "vault_approle_auth_backend_role",
    id: `${owner}.role-${r.name}`,
    attributes: compact({
      backend: path,
      role_name: r.name,
      bind_secret_id: true,
      secret_id_ttl: r.secretIdTtl,
      secret_id_num_uses: r.secretIdNumUses,
      secret_id_bound_cidrs: nonEmpty(sortedSet(r.secretIdBoundCidrs)),
      ...tokenAttributes(r),
      ...ns(options),
    }),
  }));
  return { resources: [mount, ...roles], path };
}

/** Kubernetes auth: mount, config (TokenReview host, CA) and roles. */
export function kubernetesFragment(spec: KubernetesAuthSpec, options: FragmentOptions): { resources: ResourceDescriptor[]; path: AttrRef } {
  const owner = ownerId(options.owner);
  const mount = authMount(owner, "kubernetes", spec.path, spec.description, spec.tune, options);
  const path = new AttrRef(mount.id, "path");
  const config: ResourceDescriptor = {
    type: "vault_kubernetes_auth_backend_config",
    id: `${owner}.config`,
    attributes: compact({
      backend: path,
      kubernetes_host: spec.kubernetesHost,
      kubernetes_ca_cert: spec.kubernetesCaCert,
      disable_local_ca_jwt: spec.vaultInCluster === undefined ? undefined : !spec.vaultInCluster,
      issuer: spec.issuer,
      disable_iss_validation: spec.disableIssValidation,
      ...ns(options),
    }),
  };
  const roles = spec.roles.map((r): ResourceDescriptor => ({
    type: "vault_kubernetes_auth_backend_role",
    id: `${owner}.role-${r.name}`,
    attributes: compact({
      backend: path,
      role_name: r.name,
      bound_service_account_names: sortedSet(r.serviceAccountNames),
      bound_service_account_namespaces: sortedSet(r.serviceAccountNamespaces),
      audience: r.audience,
      ...tokenAttributes(r),
      ...ns(options),
    }),
  }));
  return { resources: [mount, config, ...roles], path };
}

/** LDAP auth (mounts itself) and group → policy mappings. */
export function ldapFragment(spec: LdapAuthSpec, options: FragmentOptions): { resources: ResourceDescriptor[]; path: AttrRef } {
  const owner = ownerId(options.owner);
  const backend: ResourceDescriptor = {
    type: "vault_ldap_auth_backend",
    id: `${owner}.backend`,
    attributes: compact({
      path: spec.path,
      description: spec.description,
      url: spec.url,
      userdn: spec.userdn,
      userattr: spec.userattr,
      groupdn: spec.groupdn,
      groupfilter: spec.groupfilter,
      groupattr: spec.groupattr,
      upndomain: spec.upndomain,
      binddn: spec.binddn,
      // Write-only (provider >= 5.7; VaultStack requires 5.8, whose upgrade from `bindpass` clears
      // it from state): sent on create and when the version changes, never in plan or state.
      bindpass_wo: spec.bindpass ? new SecretInput(spec.bindpass.variable) : undefined,
      bindpass_wo_version: spec.bindpass?.version,
      starttls: spec.starttls,
      insecure_tls: spec.insecureTls,
      certificate: spec.certificate,
      tune: tuneBlock(spec.tune),
      ...ns(options),
    }),
  };
  const path = new AttrRef(backend.id, "path");
  const groups = spec.groups.map((g): ResourceDescriptor => ({
    type: "vault_ldap_auth_backend_group",
    id: `${owner}.group-${g.name.replace(/[^A-Za-z0-9_-]/g, "-")}`,
    attributes: compact({ backend: path, groupname: g.name, policies: sortedSet(g.policies), ...ns(options) }),
  }));
  return { resources: [backend, ...groups], path };
}

/** JWT/OIDC auth (mounts itself) and roles. */
export function jwtFragment(spec: JwtAuthSpec, options: FragmentOptions): { resources: ResourceDescriptor[]; path: AttrRef } {
  const owner = ownerId(options.owner);
  const backend: ResourceDescriptor = {
    type: "vault_jwt_auth_backend",
    id: `${owner}.backend`,
    attributes: compact({
      path: spec.path,
      type: spec.type,
      description: spec.description,
      oidc_discovery_url: spec.oidcDiscoveryUrl,
      oidc_client_id: spec.oidcClientId,
      // Write-only (provider >= 5.7), like the LDAP bind password.
      oidc_client_secret_wo: spec.oidcClientSecret ? new SecretInput(spec.oidcClientSecret.variable) : undefined,
      oidc_client_secret_wo_version: spec.oidcClientSecret?.version,
      jwks_url: spec.jwksUrl,
      jwt_validation_pubkeys: nonEmpty(spec.jwtValidationPubkeys),
      bound_issuer: spec.boundIssuer,
      default_role: spec.defaultRole,
      tune: tuneBlock(spec.tune),
      ...ns(options),
    }),
  };
  const path = new AttrRef(backend.id, "path");
  const roles = spec.roles.map((r): ResourceDescriptor => ({
    type: "vault_jwt_auth_backend_role",
    id: `${owner}.role-${r.name}`,
    attributes: compact({
      backend: path,
      role_name: r.name,
      role_type: r.roleType ?? spec.type,
      user_claim: r.userClaim,
      bound_audiences: nonEmpty(sortedSet(r.boundAudiences)),
      bound_subject: r.boundSubject,
      bound_claims: r.boundClaims,
      groups_claim: r.groupsClaim,
      allowed_redirect_uris: nonEmpty(sortedSet(r.allowedRedirectUris)),
      oidc_scopes: nonEmpty(sortedSet(r.oidcScopes)),
      ...tokenAttributes(r),
      ...ns(options),
    }),
  }));
  return { resources: [backend, ...roles], path };
}

/** TLS certificate auth: mount and roles (trusted CA per role). */
export function certAuthFragment(spec: CertAuthSpec, options: FragmentOptions): { resources: ResourceDescriptor[]; path: AttrRef } {
  const owner = ownerId(options.owner);
  const mount = authMount(owner, "cert", spec.path, spec.description, spec.tune, options);
  const path = new AttrRef(mount.id, "path");
  const roles = spec.roles.map((r): ResourceDescriptor => ({
    type: "vault_cert_auth_backend_role",
    id: `${owner}.role-${r.name}`,
    attributes: compact({
      backend: path,
      name: r.name,
      certificate: r.certificate,
      allowed_common_names: nonEmpty(sortedSet(r.allowedCommonNames)),
      allowed_dns_sans: nonEmpty(sortedSet(r.allowedDnsSans)),
      allowed_organizational_units: nonEmpty(sortedSet(r.allowedOrganizationalUnits)),
      ...tokenAttributes(r),
      ...ns(options),
    }),
  }));
  return { resources: [mount, ...roles], path };
}
