/**
 * The Pulumi adapter of the resource graph: each descriptor becomes the matching `@pulumi/vault`
 * resource, parented to the component that owns it; Terraform argument names become Pulumi input
 * names; references become Outputs of earlier resources; secret inputs become Pulumi secrets
 * read from the stack's config (and the attribute an additional secret output); `protect`
 * becomes the `protect` resource option, `dependsOn` the `dependsOn` option. No other logic
 * lives here.
 */
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { AttrRef, AttributeValue, LazyValue, MAP_ATTRIBUTES, ResourceDescriptor, SecretInput } from "../../model/graph";
import { providerOf, scopeResources, visibleResources } from "./base";

/** A `@pulumi/vault` resource class. */
type ResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

function cls(c: unknown): ResourceClass {
  return c as ResourceClass;
}

/** How one Terraform resource type maps onto Pulumi. */
export interface PulumiMapping {
  /** The `@pulumi/vault` class. */
  readonly resourceClass: ResourceClass;
  /** Pulumi type token (`vault:<module>/<name>:<Name>`). */
  readonly token: string;
  /** Terraform arguments whose Pulumi input name is not the camelCase of the Terraform name. */
  readonly renames?: Readonly<Record<string, string>>;
  /** Blocks with at most one element, which the Pulumi bridge flattens to one object. */
  readonly singleBlocks?: readonly string[];
}

const TUNE = ["tune"];

/** Pulumi class, type token and input renames per Terraform resource type (everything the graph compiles to). */
export const PULUMI_MAPPINGS: Readonly<Record<string, PulumiMapping>> = {
  vault_mount: { resourceClass: cls(vault.Mount), token: "vault:index/mount:Mount" },
  vault_pki_secret_backend_root_cert: {
    resourceClass: cls(vault.pkisecret.SecretBackendRootCert),
    token: "vault:pkiSecret/secretBackendRootCert:SecretBackendRootCert",
  },
  vault_pki_secret_backend_intermediate_cert_request: {
    resourceClass: cls(vault.pkisecret.SecretBackendIntermediateCertRequest),
    token: "vault:pkiSecret/secretBackendIntermediateCertRequest:SecretBackendIntermediateCertRequest",
  },
  vault_pki_secret_backend_root_sign_intermediate: {
    resourceClass: cls(vault.pkisecret.SecretBackendRootSignIntermediate),
    token: "vault:pkiSecret/secretBackendRootSignIntermediate:SecretBackendRootSignIntermediate",
  },
  vault_pki_secret_backend_intermediate_set_signed: {
    resourceClass: cls(vault.pkisecret.SecretBackendIntermediateSetSigned),
    token: "vault:pkiSecret/secretBackendIntermediateSetSigned:SecretBackendIntermediateSetSigned",
  },
  vault_pki_secret_backend_issuer: {
    resourceClass: cls(vault.pkisecret.SecretBackendIssuer),
    token: "vault:pkiSecret/secretBackendIssuer:SecretBackendIssuer",
  },
  vault_pki_secret_backend_config_issuers: {
    resourceClass: cls(vault.pkisecret.SecretBackendConfigIssuers),
    token: "vault:pkiSecret/secretBackendConfigIssuers:SecretBackendConfigIssuers",
  },
  vault_pki_secret_backend_config_urls: {
    resourceClass: cls(vault.pkisecret.SecretBackendConfigUrls),
    token: "vault:pkiSecret/secretBackendConfigUrls:SecretBackendConfigUrls",
  },
  vault_pki_secret_backend_crl_config: {
    resourceClass: cls(vault.pkisecret.SecretBackendCrlConfig),
    token: "vault:pkiSecret/secretBackendCrlConfig:SecretBackendCrlConfig",
  },
  vault_pki_secret_backend_role: {
    resourceClass: cls(vault.pkisecret.SecretBackendRole),
    token: "vault:pkiSecret/secretBackendRole:SecretBackendRole",
    // The Pulumi schema pluralises list arguments of the role.
    renames: { key_usage: "keyUsages", organization: "organizations", ou: "organizationUnit" },
  },
  vault_kv_secret_backend_v2: { resourceClass: cls(vault.kv.SecretBackendV2), token: "vault:kv/secretBackendV2:SecretBackendV2" },
  vault_transit_secret_backend_key: {
    resourceClass: cls(vault.transit.SecretBackendKey),
    token: "vault:transit/secretBackendKey:SecretBackendKey",
  },
  vault_ssh_secret_backend_ca: { resourceClass: cls(vault.ssh.SecretBackendCa), token: "vault:ssh/secretBackendCa:SecretBackendCa" },
  vault_ssh_secret_backend_role: {
    resourceClass: cls(vault.ssh.SecretBackendRole),
    token: "vault:ssh/secretBackendRole:SecretBackendRole",
  },
  vault_database_secret_backend_connection: {
    resourceClass: cls(vault.database.SecretBackendConnection),
    token: "vault:database/secretBackendConnection:SecretBackendConnection",
    singleBlocks: ["cassandra", "postgresql", "mysql", "mongodb"],
  },
  vault_database_secret_backend_role: {
    resourceClass: cls(vault.database.SecretBackendRole),
    token: "vault:database/secretBackendRole:SecretBackendRole",
  },
  vault_auth_backend: { resourceClass: cls(vault.AuthBackend), token: "vault:index/authBackend:AuthBackend", singleBlocks: TUNE },
  vault_approle_auth_backend_role: {
    resourceClass: cls(vault.approle.AuthBackendRole),
    token: "vault:appRole/authBackendRole:AuthBackendRole",
  },
  vault_kubernetes_auth_backend_config: {
    resourceClass: cls(vault.kubernetes.AuthBackendConfig),
    token: "vault:kubernetes/authBackendConfig:AuthBackendConfig",
  },
  vault_kubernetes_auth_backend_role: {
    resourceClass: cls(vault.kubernetes.AuthBackendRole),
    token: "vault:kubernetes/authBackendRole:AuthBackendRole",
  },
  vault_ldap_auth_backend: { resourceClass: cls(vault.ldap.AuthBackend), token: "vault:ldap/authBackend:AuthBackend", singleBlocks: TUNE },
  vault_ldap_auth_backend_group: { resourceClass: cls(vault.ldap.AuthBackendGroup), token: "vault:ldap/authBackendGroup:AuthBackendGroup" },
  vault_jwt_auth_backend: { resourceClass: cls(vault.jwt.AuthBackend), token: "vault:jwt/authBackend:AuthBackend", singleBlocks: TUNE },
  vault_jwt_auth_backend_role: { resourceClass: cls(vault.jwt.AuthBackendRole), token: "vault:jwt/authBackendRole:AuthBackendRole" },
  vault_cert_auth_backend_role: {
    resourceClass: cls(vault.CertAuthBackendRole),
    token: "vault:index/certAuthBackendRole:CertAuthBackendRole",
  },
  vault_policy: { resourceClass: cls(vault.Policy), token: "vault:index/policy:Policy" },
  vault_egp_policy: { resourceClass: cls(vault.EgpPolicy), token: "vault:index/egpPolicy:EgpPolicy" },
  vault_rgp_policy: { resourceClass: cls(vault.RgpPolicy), token: "vault:index/rgpPolicy:RgpPolicy" },
  vault_namespace: { resourceClass: cls(vault.Namespace), token: "vault:index/namespace:Namespace" },
  vault_quota_rate_limit: { resourceClass: cls(vault.QuotaRateLimit), token: "vault:index/quotaRateLimit:QuotaRateLimit" },
  vault_quota_lease_count: { resourceClass: cls(vault.QuotaLeaseCount), token: "vault:index/quotaLeaseCount:QuotaLeaseCount" },
  vault_audit: { resourceClass: cls(vault.Audit), token: "vault:index/audit:Audit" },
};

/** Terraform resource types the adapter can render. */
export const RENDERABLE_TYPES: readonly string[] = Object.keys(PULUMI_MAPPINGS).sort();

/** `snake_case` → `camelCase` (the Pulumi bridge's default naming). */
export function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The Pulumi input name of Terraform argument `attribute` of `type`. */
export function pulumiInputName(type: string, attribute: string): string {
  return PULUMI_MAPPINGS[type]?.renames?.[attribute] ?? camel(attribute);
}

/** Pulumi resource name of a logical id: `<owner with / as ->-<local>` (the component name is the owner). */
export function pulumiName(id: string): string {
  const dot = id.indexOf(".");
  return `${id.slice(0, dot).replace(/\//g, "-")}-${id.slice(dot + 1)}`;
}

/** Resolves a reference to an Output (the renderer looks it up among rendered resources). */
export type ReferenceResolver = (ref: AttrRef) => pulumi.Output<unknown>;

/** Reads a secret input (default: the stack config's secret with the input's name). */
export type SecretResolver = (input: SecretInput) => pulumi.Output<string>;

/** The default secret resolver: `pulumi config set --secret <variable> ...` in the current project. */
export const configSecret: SecretResolver = (input) => new pulumi.Config().requireSecret(input.variable);

/**
 * The value of `value`, produced once the construction phase of the program (the current
 * synchronous turn) is over; rejects with the producer's error.
 */
export function afterConstruction(value: LazyValue): Promise<string> {
  return new Promise<string>((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(value.produce());
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    }),
  );
}

/** An Output of {@link afterConstruction}: a rejection fails the registration that uses it, and so the program. */
export function deferred(value: LazyValue): pulumi.Output<string> {
  return pulumi.output(afterConstruction(value));
}

function convert(value: AttributeValue, refs: ReferenceResolver, secrets: SecretResolver, verbatimKeys: boolean): unknown {
  if (value instanceof AttrRef) return refs(value);
  if (value instanceof SecretInput) return pulumi.secret(secrets(value));
  if (value instanceof LazyValue) return deferred(value);
  if (Array.isArray(value)) return value.map((v: AttributeValue) => convert(v, refs, secrets, false));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, AttributeValue>))
      out[verbatimKeys ? k : camel(k)] = convert(v, refs, secrets, false);
    return out;
  }
  return value;
}

function containsSecret(value: AttributeValue): boolean {
  if (value instanceof SecretInput) return true;
  if (Array.isArray(value)) return value.some((v: AttributeValue) => containsSecret(v));
  if (value !== null && typeof value === "object" && !(value instanceof AttrRef) && !(value instanceof LazyValue)) {
    return Object.values(value as Record<string, AttributeValue>).some((v) => containsSecret(v));
  }
  return false;
}

/** The Pulumi inputs of `descriptor`: renamed, single blocks flattened, map keys verbatim. */
export function pulumiInputs(
  descriptor: ResourceDescriptor,
  refs: ReferenceResolver,
  secrets: SecretResolver = configSecret,
): Record<string, unknown> {
  const mapping = PULUMI_MAPPINGS[descriptor.type];
  if (!mapping) throw new Error(`resource graph: no Pulumi class for resource type "${descriptor.type}"`);
  const maps = MAP_ATTRIBUTES[descriptor.type] ?? [];
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(descriptor.attributes)) {
    let v: AttributeValue = raw;
    if (mapping.singleBlocks?.includes(k) && Array.isArray(v)) {
      if (v.length !== 1) throw new Error(`resource graph: ${descriptor.id}.${k} is a single block but has ${v.length} elements`);
      v = (v as readonly AttributeValue[])[0];
    }
    out[pulumiInputName(descriptor.type, k)] = convert(v, refs, secrets, maps.includes(k));
  }
  return out;
}

/** Resource options of `descriptor` under `parent`: parent, stack provider, protect, secret outputs. */
export function pulumiOptions(descriptor: ResourceDescriptor, parent: pulumi.Resource): pulumi.CustomResourceOptions {
  const secretOutputs = Object.entries(descriptor.attributes)
    .filter(([, v]) => containsSecret(v))
    .map(([k]) => pulumiInputName(descriptor.type, k));
  const provider = providerOf(parent);
  return {
    parent,
    ...(provider ? { provider } : {}),
    ...(descriptor.protect ? { protect: true } : {}),
    ...(secretOutputs.length > 0 ? { additionalSecretOutputs: secretOutputs } : {}),
  };
}

/** The Output of a referenced attribute of a rendered resource. */
function outputOf(resource: pulumi.CustomResource, ref: AttrRef): pulumi.Output<unknown> {
  const output = (resource as unknown as Record<string, pulumi.Output<unknown> | undefined>)[camel(ref.attribute)];
  if (output === undefined) throw new Error(`resource graph: ${ref.id} has no output "${ref.attribute}"`);
  const index = ref.index;
  return index === undefined ? output : output.apply((list) => (list as readonly unknown[])[index]);
}

/**
 * Render `descriptors` as children of `component`. References resolve to resources rendered by
 * this component, the components enclosing it, or `dependencies` (components whose values this
 * one uses, e.g. the root CA an intermediate is signed by).
 * @returns the rendered resources by logical id
 */
export function renderDescriptors(
  component: pulumi.ComponentResource,
  descriptors: readonly ResourceDescriptor[],
  dependencies: readonly pulumi.Resource[] = [],
  secrets: SecretResolver = configSecret,
): Map<string, pulumi.CustomResource> {
  const own = scopeResources(component);
  const lookup = (): Map<string, pulumi.CustomResource>[] => [
    ...visibleResources(component),
    ...dependencies.flatMap((d) => visibleResources(d)),
  ];
  const refs: ReferenceResolver = (ref) => {
    const target = lookup()
      .find((m) => m.has(ref.id))
      ?.get(ref.id);
    if (!target) throw new Error(`resource graph: reference to "${ref.id}" which has not been rendered in this program`);
    return outputOf(target, ref);
  };
  const out = new Map<string, pulumi.CustomResource>();
  for (const d of descriptors) {
    const mapping = PULUMI_MAPPINGS[d.type];
    if (!mapping) throw new Error(`resource graph: no Pulumi class for resource type "${d.type}"`);
    if (own.has(d.id)) throw new Error(`resource graph: logical id "${d.id}" is used twice in this component`);
    const options = pulumiOptions(d, component);
    if (d.dependsOn && d.dependsOn.length > 0) {
      options.dependsOn = d.dependsOn.map((id) => {
        const target = lookup()
          .find((m) => m.has(id))
          ?.get(id);
        if (!target) throw new Error(`resource graph: ${d.id} depends on "${id}" which has not been rendered in this program`);
        return target;
      });
    }
    const resource = new mapping.resourceClass(pulumiName(d.id), pulumiInputs(d, refs, secrets), options);
    own.set(d.id, resource);
    out.set(d.id, resource);
  }
  return out;
}
