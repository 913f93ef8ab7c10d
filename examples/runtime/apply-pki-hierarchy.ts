/**
 * Put the PKI part of a compiled resource graph (the Terraform Vault provider descriptors of
 * `model/kinds/pki.ts`) on a server with plain API calls, in graph order: mount,
 * generate the root, intermediate CSR, sign it with the root, set-signed, default issuers,
 * CRL/OCSP URLs, CRL config, roles. Each descriptor's `AttrRef`s are resolved from what earlier
 * calls answered (`issuer_id`, `csr`, `certificate`, `imported_issuers[0]`), and its `namespace`
 * attribute becomes the request's namespace.
 *
 * Why this exists: the demo and the tests must show the hierarchy *as the stack declares it* on a
 * dev server, and `cdktf deploy` cannot run here (terraform-provider-vault cannot be obtained:
 * README "Known gaps"). So the same descriptors the CDKTF and Pulumi adapters render are sent
 * by API calls instead. It is not a Terraform replacement: no plan, no state, no updates or
 * deletes — it creates, on a server that has none of it (a dev server).
 *
 * Attribute names of the PKI descriptors are the API's own field names (the provider mirrors
 * the API); the few that are not API fields are mapped or dropped explicitly (`backend` and
 * `type` go into the path, `namespace` into the header, `revoke` is the provider's destroy-time
 * behaviour). A descriptor type or `vault_mount` attribute this module does not know is refused
 * rather than silently skipped.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { compileEstate } from "../../model/graph-estate";
import { Estate } from "../../model/schema";
import { VaultHttpError } from "../../runtime/core/errors";
import { addCassandraEstate } from "../cdktf/cassandra-estate";
import { POLICIES, Requester } from "../../runtime/transport/requester";
import { AttrRef, AttributeValue, LazyValue, ResourceDescriptor, SecretInput } from "../../model/graph";

/** One API call the applier made for a descriptor. */
export interface AppliedStep {
  /** Logical id of the descriptor. */
  readonly id: string;
  /** Its Terraform resource type. */
  readonly type: string;
  /** `POST <path>` as sent (below `/v1/`). */
  readonly path: string;
  /** Namespace the call went to (`undefined`: the requester's). */
  readonly namespace: string | undefined;
}

/** One applied descriptor: what was sent and what came back. */
export interface AppliedResource {
  /** Its attributes with every reference resolved (the model's values, as sent). */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The `data` of the server's answer (`issuer_id`, `csr`, `certificate`, `imported_issuers`, …); `{}` when none. */
  readonly answer: Readonly<Record<string, unknown>>;
}

/** What {@link applyPkiDescriptors} did. */
export interface AppliedPki {
  /** The calls, in order. */
  readonly steps: readonly AppliedStep[];
  /** Per descriptor id. */
  readonly applied: ReadonlyMap<string, AppliedResource>;
}

/** Resolved attributes of one descriptor (references replaced by values). */
type Resolved = Record<string, unknown>;

/** Turns a descriptor's resolved attributes into one API call. */
interface ApiMapping {
  readonly path: (a: Resolved) => string;
  readonly body: (a: Resolved) => Record<string, unknown>;
}

/** Attributes of the provider that are never request fields. */
const NOT_FIELDS = new Set(["backend", "namespace"]);

function rest(a: Resolved, ...drop: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(a).filter(([k]) => !NOT_FIELDS.has(k) && !drop.includes(k)));
}

function str(a: Resolved, key: string): string {
  const v = a[key];
  if (typeof v !== "string" || v.length === 0)
    throw new TypeError(`attribute "${key}" must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

const MOUNT_ATTRIBUTES = new Set(["path", "type", "description", "max_lease_ttl_seconds", "default_lease_ttl_seconds", "namespace"]);

/** Descriptor type → API call. Exported so tests can check every type the PKI fragments emit is covered. */
export const PKI_API: Readonly<Record<string, ApiMapping>> = {
  vault_mount: {
    path: (a) => `sys/mounts/${str(a, "path")}`,
    body: (a) => {
      const unknown = Object.keys(a).filter((k) => !MOUNT_ATTRIBUTES.has(k));
      if (unknown.length > 0) throw new TypeError(`vault_mount attributes this applier does not send: ${unknown.join(", ")}`);
      const config: Record<string, string> = {};
      if (a.max_lease_ttl_seconds !== undefined) config.max_lease_ttl = `${String(a.max_lease_ttl_seconds)}s`;
      if (a.default_lease_ttl_seconds !== undefined) config.default_lease_ttl = `${String(a.default_lease_ttl_seconds)}s`;
      return { type: str(a, "type"), ...(a.description !== undefined ? { description: a.description } : {}), config };
    },
  },
  vault_pki_secret_backend_root_cert: {
    path: (a) => `${str(a, "backend")}/root/generate/${str(a, "type")}`,
    body: (a) => rest(a, "type"),
  },
  vault_pki_secret_backend_intermediate_cert_request: {
    path: (a) => `${str(a, "backend")}/intermediate/generate/${str(a, "type")}`,
    body: (a) => rest(a, "type"),
  },
  vault_pki_secret_backend_root_sign_intermediate: {
    path: (a) => `${str(a, "backend")}/root/sign-intermediate`,
    // `revoke` tells the provider to revoke the certificate on destroy; the API has no such field.
    body: (a) => rest(a, "revoke"),
  },
  vault_pki_secret_backend_intermediate_set_signed: {
    path: (a) => `${str(a, "backend")}/intermediate/set-signed`,
    body: (a) => rest(a),
  },
  vault_pki_secret_backend_issuer: {
    path: (a) => `${str(a, "backend")}/issuer/${str(a, "issuer_ref")}`,
    body: (a) => rest(a, "issuer_ref"),
  },
  vault_pki_secret_backend_config_issuers: { path: (a) => `${str(a, "backend")}/config/issuers`, body: (a) => rest(a) },
  vault_pki_secret_backend_config_urls: { path: (a) => `${str(a, "backend")}/config/urls`, body: (a) => rest(a) },
  vault_pki_secret_backend_crl_config: { path: (a) => `${str(a, "backend")}/config/crl`, body: (a) => rest(a) },
  vault_pki_secret_backend_role: {
    path: (a) => `${str(a, "backend")}/roles/${str(a, "name")}`,
    body: (a) => rest(a, "name"),
  },
};

/** The PKI descriptors of a graph, in graph order: PKI mounts and every `vault_pki_*` resource. */
export function pkiDescriptors(resources: readonly ResourceDescriptor[]): ResourceDescriptor[] {
  return resources.filter(
    (d) => d.type === "vault_namespace" || d.type.startsWith("vault_pki_") || (d.type === "vault_mount" && d.attributes.type === "pki"),
  );
}

function resolve(value: AttributeValue, applied: ReadonlyMap<string, AppliedResource>, where: string): unknown {
  if (value instanceof AttrRef) {
    const source = applied.get(value.id);
    if (!source) throw new Error(`${where}: ${value.toString()} refers to a descriptor that was not applied before it`);
    const attribute = source.attributes[value.attribute] ?? source.answer[value.attribute];
    const picked = value.index === undefined ? attribute : Array.isArray(attribute) ? (attribute as unknown[])[value.index] : undefined;
    if (picked === undefined) throw new Error(`${where}: ${value.toString()} is not in what the server answered`);
    return picked;
  }
  if (value instanceof SecretInput || value instanceof LazyValue)
    throw new TypeError(`${where}: deploy-time inputs are not supported by this applier`);
  if (Array.isArray(value)) return value.map((v: AttributeValue, i) => resolve(v, applied, `${where}[${i}]`));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v as AttributeValue, applied, `${where}.${k}`)]));
  return value;
}

/**
 * Apply `descriptors` (from {@link pkiDescriptors}) with `requester` — a client holding a token
 * allowed to mount engines and manage PKI (the root token of a dev server). Stops at the first
 * failing call with the server's error; what was created stays.
 */
export async function applyPkiDescriptors(requester: Requester, descriptors: readonly ResourceDescriptor[]): Promise<AppliedPki> {
  const applied = new Map<string, AppliedResource>();
  const steps: AppliedStep[] = [];
  for (const d of descriptors) {
    if (d.type === "vault_namespace") {
      // The stack creates its namespace; here it is created unless it exists (a re-run of the demo).
      const attributes = resolve(d.attributes, applied, d.id) as Resolved;
      const pathFq = [attributes.namespace, attributes.path]
        .filter((p) => p !== undefined)
        .map(String)
        .join("/");
      await ensureNamespace(requester, pathFq);
      applied.set(d.id, { attributes, answer: { path_fq: pathFq } });
      steps.push({ id: d.id, type: d.type, path: `sys/namespaces/${pathFq}`, namespace: undefined });
      continue;
    }
    const mapping = PKI_API[d.type];
    if (!mapping) throw new TypeError(`${d.id}: resource type ${d.type} is not one this applier knows`);
    const attributes = resolve(d.attributes, applied, d.id) as Resolved;
    const namespace = attributes.namespace === undefined ? undefined : str(attributes, "namespace");
    const path = mapping.path(attributes);
    const res = await requester.request<{ data?: Record<string, unknown> }>(
      { method: "POST", path, body: mapping.body(attributes), ...(namespace !== undefined ? { namespace } : {}) },
      POLICIES.creatingWrite,
    );
    const answer = res.body?.data ?? {};
    // The provider's computed `certificate_bundle` of a signed certificate: it, then its issuer.
    if (typeof answer.certificate === "string" && typeof answer.issuing_ca === "string" && answer.certificate_bundle === undefined)
      answer.certificate_bundle = `${answer.certificate}\n${answer.issuing_ca}`;
    applied.set(d.id, { attributes, answer });
    steps.push({ id: d.id, type: d.type, path, namespace });
  }
  return { steps, applied };
}

/**
 * Create namespace `path` (and its parents) unless it exists. A stack's estate namespace is the
 * provider's namespace — expected to exist, so not in the graph — and a fresh dev server has none.
 */
export async function ensureNamespace(requester: Requester, path: string): Promise<"created" | "existed"> {
  const segments = path.split("/").filter((s) => s.length > 0);
  let created = false;
  for (let i = 0; i < segments.length; i++) {
    const parent = segments.slice(0, i).join("/");
    const ns = parent.length > 0 ? { namespace: parent } : {};
    try {
      await requester.request({ method: "GET", path: `sys/namespaces/${segments[i]}`, ...ns }, POLICIES.read);
    } catch (error) {
      if (!(error instanceof VaultHttpError && error.status === 404)) throw error;
      await requester.request({ method: "POST", path: `sys/namespaces/${segments[i]}`, ...ns }, POLICIES.creatingWrite);
      created = true;
    }
  }
  return created ? "created" : "existed";
}

/** One attribute of a role whose server value differs from the model's. */
export interface RoleDifference {
  /** Attribute (Terraform and API name). */
  readonly attribute: string;
  /** The model's value (references resolved). */
  readonly model: unknown;
  /** What the server reports. */
  readonly server: unknown;
}

function normalise(value: unknown): unknown {
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  if (Array.isArray(value)) return value.map(normalise).sort();
  return value;
}

/**
 * Compare a role as applied (its resolved attributes, from {@link AppliedPki.applied}) with the
 * server's `GET <mount>/roles/<name>` data: every request field of the model must read back equal
 * (TTL strings as seconds, lists as sets). Returns the differences; `[]` means the role matches.
 */
export function roleDifferences(model: Readonly<Record<string, unknown>>, server: Readonly<Record<string, unknown>>): RoleDifference[] {
  const out: RoleDifference[] = [];
  for (const [attribute, value] of Object.entries(PKI_API.vault_pki_secret_backend_role.body(model))) {
    const want = normalise(value);
    const got = normalise(server[attribute]);
    if (JSON.stringify(want) !== JSON.stringify(got)) out.push({ attribute, model: value, server: server[attribute] });
  }
  return out;
}

/** The example stack's estate and the PKI descriptors it compiles to. */
export interface ExampleStackPki {
  /** The estate `examples/cdktf/cassandra-estate.ts` builds its stack from. */
  readonly estate: Estate;
  /** The PKI descriptors of `compileEstate(estate)`, in graph order. */
  readonly descriptors: readonly ResourceDescriptor[];
}

/**
 * Build the CDKTF example stack (`examples/cdktf/cassandra-estate.ts`, from its seed YAML; `env`
 * as there: `VAULTSMITH_TARGET`, `CASSANDRA_HOSTS`) in a throw-away app and return its estate and
 * PKI descriptors — the hierarchy exactly as declared there, not a second copy of it.
 */
export function exampleStackPki(env: Readonly<Record<string, string | undefined>> = process.env): ExampleStackPki {
  const outdir = mkdtempSync(join(tmpdir(), "vaultsmith-example-stack-"));
  try {
    const stack = addCassandraEstate(new App({ outdir }), env);
    return { estate: stack.estate, descriptors: pkiDescriptors(compileEstate(stack.estate).resources) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
