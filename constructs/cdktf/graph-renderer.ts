/**
 * The CDKTF adapter of the resource graph: each descriptor becomes the matching
 * `@cdktf/provider-vault` class, references become tokens, secret inputs become sensitive
 * Terraform variables, `protect` becomes `lifecycle.prevent_destroy`, `dependsOn` becomes
 * `depends_on`. Arguments newer than the bindings (generated from provider 5.6.0, e.g.
 * `bindpass_wo` of 5.7) are written as overrides. No other logic lives here.
 */
import { ApproleAuthBackendRole } from "@cdktf/provider-vault/lib/approle-auth-backend-role";
import { Audit } from "@cdktf/provider-vault/lib/audit";
import { AuthBackend } from "@cdktf/provider-vault/lib/auth-backend";
import { CertAuthBackendRole } from "@cdktf/provider-vault/lib/cert-auth-backend-role";
import { DatabaseSecretBackendConnection } from "@cdktf/provider-vault/lib/database-secret-backend-connection";
import { DatabaseSecretBackendRole } from "@cdktf/provider-vault/lib/database-secret-backend-role";
import { EgpPolicy } from "@cdktf/provider-vault/lib/egp-policy";
import { JwtAuthBackend } from "@cdktf/provider-vault/lib/jwt-auth-backend";
import { JwtAuthBackendRole } from "@cdktf/provider-vault/lib/jwt-auth-backend-role";
import { KubernetesAuthBackendConfig } from "@cdktf/provider-vault/lib/kubernetes-auth-backend-config";
import { KubernetesAuthBackendRole } from "@cdktf/provider-vault/lib/kubernetes-auth-backend-role";
import { KvSecretBackendV2 } from "@cdktf/provider-vault/lib/kv-secret-backend-v2";
import { LdapAuthBackend } from "@cdktf/provider-vault/lib/ldap-auth-backend";
import { LdapAuthBackendGroup } from "@cdktf/provider-vault/lib/ldap-auth-backend-group";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { Namespace } from "@cdktf/provider-vault/lib/namespace";
import { PkiSecretBackendConfigIssuers } from "@cdktf/provider-vault/lib/pki-secret-backend-config-issuers";
import { PkiSecretBackendConfigUrls } from "@cdktf/provider-vault/lib/pki-secret-backend-config-urls";
import { PkiSecretBackendCrlConfig } from "@cdktf/provider-vault/lib/pki-secret-backend-crl-config";
import { PkiSecretBackendIntermediateCertRequest } from "@cdktf/provider-vault/lib/pki-secret-backend-intermediate-cert-request";
import { PkiSecretBackendIntermediateSetSigned } from "@cdktf/provider-vault/lib/pki-secret-backend-intermediate-set-signed";
import { PkiSecretBackendIssuer } from "@cdktf/provider-vault/lib/pki-secret-backend-issuer";
import { PkiSecretBackendRole } from "@cdktf/provider-vault/lib/pki-secret-backend-role";
import { PkiSecretBackendRootCert } from "@cdktf/provider-vault/lib/pki-secret-backend-root-cert";
import { PkiSecretBackendRootSignIntermediate } from "@cdktf/provider-vault/lib/pki-secret-backend-root-sign-intermediate";
import { Policy } from "@cdktf/provider-vault/lib/policy";
import { QuotaLeaseCount } from "@cdktf/provider-vault/lib/quota-lease-count";
import { QuotaRateLimit } from "@cdktf/provider-vault/lib/quota-rate-limit";
import { RgpPolicy } from "@cdktf/provider-vault/lib/rgp-policy";
import { SshSecretBackendCa } from "@cdktf/provider-vault/lib/ssh-secret-backend-ca";
import { SshSecretBackendRole } from "@cdktf/provider-vault/lib/ssh-secret-backend-role";
import { TransitSecretBackendKey } from "@cdktf/provider-vault/lib/transit-secret-backend-key";
import { Lazy, TerraformResource, TerraformStack, TerraformVariable, Token } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { AttrRef, AttributeValue, LazyValue, MAP_ATTRIBUTES, ResourceDescriptor, SecretInput, StringValue } from "../../model/graph";

type ResourceClass = new (scope: Construct, id: string, config: Record<string, unknown>) => TerraformResource;

function cls(c: unknown): ResourceClass {
  return c as ResourceClass;
}

/** Provider class per Terraform resource type (everything the graph compiles to). */
const CLASSES: Readonly<Record<string, ResourceClass>> = {
  vault_mount: cls(Mount),
  vault_pki_secret_backend_root_cert: cls(PkiSecretBackendRootCert),
  vault_pki_secret_backend_intermediate_cert_request: cls(PkiSecretBackendIntermediateCertRequest),
  vault_pki_secret_backend_root_sign_intermediate: cls(PkiSecretBackendRootSignIntermediate),
  vault_pki_secret_backend_intermediate_set_signed: cls(PkiSecretBackendIntermediateSetSigned),
  vault_pki_secret_backend_issuer: cls(PkiSecretBackendIssuer),
  vault_pki_secret_backend_config_issuers: cls(PkiSecretBackendConfigIssuers),
  vault_pki_secret_backend_config_urls: cls(PkiSecretBackendConfigUrls),
  vault_pki_secret_backend_crl_config: cls(PkiSecretBackendCrlConfig),
  vault_pki_secret_backend_role: cls(PkiSecretBackendRole),
  vault_kv_secret_backend_v2: cls(KvSecretBackendV2),
  vault_transit_secret_backend_key: cls(TransitSecretBackendKey),
  vault_ssh_secret_backend_ca: cls(SshSecretBackendCa),
  vault_ssh_secret_backend_role: cls(SshSecretBackendRole),
  vault_database_secret_backend_connection: cls(DatabaseSecretBackendConnection),
  vault_database_secret_backend_role: cls(DatabaseSecretBackendRole),
  vault_auth_backend: cls(AuthBackend),
  vault_approle_auth_backend_role: cls(ApproleAuthBackendRole),
  vault_kubernetes_auth_backend_config: cls(KubernetesAuthBackendConfig),
  vault_kubernetes_auth_backend_role: cls(KubernetesAuthBackendRole),
  vault_ldap_auth_backend: cls(LdapAuthBackend),
  vault_ldap_auth_backend_group: cls(LdapAuthBackendGroup),
  vault_jwt_auth_backend: cls(JwtAuthBackend),
  vault_jwt_auth_backend_role: cls(JwtAuthBackendRole),
  vault_cert_auth_backend_role: cls(CertAuthBackendRole),
  vault_policy: cls(Policy),
  vault_egp_policy: cls(EgpPolicy),
  vault_rgp_policy: cls(RgpPolicy),
  vault_namespace: cls(Namespace),
  vault_quota_rate_limit: cls(QuotaRateLimit),
  vault_quota_lease_count: cls(QuotaLeaseCount),
  vault_audit: cls(Audit),
};

/** Terraform resource types the adapter can render. */
export const RENDERABLE_TYPES: readonly string[] = Object.keys(CLASSES).sort();

interface StackState {
  readonly resources: Map<string, TerraformResource>;
  readonly variables: Map<string, { variable: TerraformVariable; writeOnly: boolean }>;
}

const STATE = new WeakMap<TerraformStack, StackState>();

/**
 * The cdktf stack `scope` is in. Stacks of another engine are refused here, where the first
 * resource is rendered, rather than deep inside synthesis: CDK Terrain's TerraformStack (and a
 * second copy of cdktf) finds the @cdktf/provider-vault resources but cannot prepare them
 * (`_resetResolveDiscoveredProviderFeatureUsage is not a function` at synth).
 */
function cdktfStackOf(scope: IConstruct): TerraformStack {
  // Typed as cdktf's, found by a marker every engine's stacks share.
  const stack: IConstruct = TerraformStack.of(scope);
  if (!(stack instanceof TerraformStack)) {
    throw new Error(
      `${scope.node.path}: vaultsmith constructs render @cdktf/provider-vault resources, which only a stack of the cdktf package can synthesize; ` +
        `"${stack.node.path}" is a stack of another engine (CDK Terrain's cdktn, or a second copy of cdktf). ` +
        "Put them in a VaultStack (it works in a CDK Terrain App, next to cdktn stacks and with references between them)",
    );
  }
  return stack;
}

function stateOf(scope: IConstruct): StackState {
  const stack = cdktfStackOf(scope);
  let state = STATE.get(stack);
  if (!state) {
    state = { resources: new Map(), variables: new Map() };
    STATE.set(stack, state);
  }
  return state;
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The resource rendered for logical id `id` in `scope`'s stack, if any. */
export function renderedResource(scope: Construct, id: string): TerraformResource | undefined {
  return stateOf(scope).resources.get(id);
}

/** The sensitive variable behind a secret input (created on first use). */
function variableFor(scope: Construct, input: SecretInput, attribute: string): TerraformVariable {
  const state = stateOf(scope);
  const writeOnly = attribute.endsWith("_wo");
  const existing = state.variables.get(input.variable);
  if (existing) {
    if (existing.writeOnly !== writeOnly) {
      throw new Error(
        `secret input "${input.variable}" feeds both a write-only argument and a stored one (${attribute}); use two inputs so the write-only one can stay ephemeral`,
      );
    }
    return existing.variable;
  }
  const stack = TerraformStack.of(scope);
  const variable = new TerraformVariable(stack, input.variable, {
    type: "string",
    sensitive: true,
    nullable: false,
    description: writeOnly
      ? "Write-only secret: sent to Vault, never stored in plan or state."
      : "Secret the provider keeps in state (no write-only argument exists for it in provider 5.x).",
  });
  // Ephemeral variables (Terraform >= 1.10) stay out of the plan file; only write-only arguments accept them.
  if (writeOnly) variable.addOverride("ephemeral", true);
  state.variables.set(input.variable, { variable, writeOnly });
  return variable;
}

function convert(scope: Construct, value: AttributeValue, attribute: string, verbatimKeys: boolean): unknown {
  if (value instanceof AttrRef) {
    const target = stateOf(scope).resources.get(value.id);
    if (!target) throw new Error(`resource graph: reference to "${value.id}" which has not been rendered in this stack`);
    const attr = value.index === undefined ? value.attribute : `${value.attribute}[${value.index}]`;
    return Token.asString(target.interpolationForAttribute(attr));
  }
  if (value instanceof SecretInput) return variableFor(scope, value, attribute).stringValue;
  if (value instanceof LazyValue) return Lazy.stringValue({ produce: () => value.produce() });
  if (Array.isArray(value)) return value.map((v: AttributeValue) => convert(scope, v, attribute, false));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, AttributeValue>)) {
      out[verbatimKeys ? k : camel(k)] = convert(scope, v, verbatimKeys ? attribute : k, false);
    }
    return out;
  }
  return value;
}

/**
 * The value of argument `attribute`, which the binding class does not know, as an override:
 * written verbatim under its Terraform name. Only scalars (and references, secret inputs) — the
 * write-only arguments and their versions — since nested blocks would need the provider's shape.
 */
function overrideValue(scope: Construct, d: ResourceDescriptor, attribute: string, value: AttributeValue): unknown {
  if (typeof value === "object" && !(value instanceof AttrRef || value instanceof SecretInput || value instanceof LazyValue)) {
    throw new Error(
      `resource graph: ${d.id}.${attribute} is not an argument of the ${d.type} binding, and only scalar arguments can be written as overrides`,
    );
  }
  return convert(scope, value, attribute, false);
}

/**
 * Render `descriptors` as children of `scope`. Each child's construct id is the local part of
 * the logical id (after `<owner>.`); every resource is registered under its logical id so later
 * descriptors (in any construct of the stack) can reference it.
 * @returns the rendered resources by logical id
 */
export function renderDescriptors(scope: Construct, descriptors: readonly ResourceDescriptor[]): Map<string, TerraformResource> {
  const state = stateOf(scope);
  const out = new Map<string, TerraformResource>();
  for (const d of descriptors) {
    const Class = CLASSES[d.type];
    if (!Class) throw new Error(`resource graph: no CDKTF class for resource type "${d.type}"`);
    if (state.resources.has(d.id)) throw new Error(`resource graph: logical id "${d.id}" is used twice in this stack`);
    const maps = MAP_ATTRIBUTES[d.type] ?? [];
    const config: Record<string, unknown> = {};
    const overrides: [string, unknown][] = [];
    for (const [k, v] of Object.entries(d.attributes)) {
      if (camel(k) in Class.prototype) config[camel(k)] = convert(scope, v, k, maps.includes(k));
      else overrides.push([k, overrideValue(scope, d, k, v)]);
    }
    if (d.protect) config.lifecycle = { preventDestroy: true };
    if (d.dependsOn && d.dependsOn.length > 0) {
      config.dependsOn = d.dependsOn.map((id) => {
        const target = state.resources.get(id);
        if (!target) throw new Error(`resource graph: ${d.id} depends on "${id}" which has not been rendered in this stack`);
        return target;
      });
    }
    const localId = d.id.slice(d.id.indexOf(".") + 1);
    const resource = new Class(scope, localId, config);
    for (const [k, v] of overrides) resource.addOverride(k, v);
    state.resources.set(d.id, resource);
    out.set(d.id, resource);
  }
  return out;
}

/**
 * Logical ids of the resources `construct` rendered itself (its direct children, not those of
 * constructs inside it: a `Namespace` → its `vault_namespace`), in render order.
 */
export function renderedIdsOf(construct: IConstruct): string[] {
  return [...stateOf(construct).resources.entries()].filter(([, r]) => r.node.scope === construct).map(([id]) => id);
}

/** Logical-id owner for a construct: its construct path below the stack. */
export function ownerOf(construct: Construct): string {
  const stack = TerraformStack.of(construct);
  const parts = construct.node.scopes.slice(stack.node.scopes.length).map((s) => s.node.id.replace(/[^A-Za-z0-9_-]/g, "-"));
  return parts.join("/");
}

/**
 * Render a whole graph under `scope` (a stack): plain constructs recreate each owner's path, so
 * the Terraform logical ids are the same as when the constructs of that owner build it.
 */
export function renderGraph(scope: Construct, descriptors: readonly ResourceDescriptor[]): Map<string, TerraformResource> {
  const out = new Map<string, TerraformResource>();
  for (const d of descriptors) {
    let parent: Construct = scope;
    for (const segment of d.id.slice(0, d.id.indexOf(".")).split("/")) {
      parent = (parent.node.tryFindChild(segment) as Construct | undefined) ?? new Construct(parent, segment);
    }
    for (const [id, r] of renderDescriptors(parent, [d])) out.set(id, r);
  }
  return out;
}

/**
 * A graph value owned by `owner`, made usable from `user`: within one stack it is returned as is
 * (a reference the renderer resolves); from another stack it becomes the owner's token, which
 * cdktf turns into a cross-stack reference (an output and a remote-state lookup).
 */
export function portableValue(owner: IConstruct, user: IConstruct, value: StringValue): StringValue;
/** As above, for optional values. */
export function portableValue(owner: IConstruct, user: IConstruct, value: StringValue | undefined): StringValue | undefined;
/** Implementation of the overloads above. */
export function portableValue(owner: IConstruct, user: IConstruct, value: StringValue | undefined): StringValue | undefined {
  if (!(value instanceof AttrRef) || TerraformStack.of(owner) === TerraformStack.of(user)) return value;
  const resource = stateOf(owner).resources.get(value.id);
  if (!resource)
    throw new Error(`resource graph: reference to "${value.id}" which has not been rendered in ${TerraformStack.of(owner).node.path}`);
  const attr = value.index === undefined ? value.attribute : `${value.attribute}[${value.index}]`;
  return Token.asString(resource.interpolationForAttribute(attr));
}
