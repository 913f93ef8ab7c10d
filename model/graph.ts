/**
 * The engine-neutral resource graph: what an estate compiles to, and the single source of truth
 * both IaC adapters render (CDKTF: provider classes and tokens; Pulumi: resources and Outputs).
 *
 * A descriptor names a Terraform Vault provider resource type, a stable logical id and its
 * arguments in canonical form: snake_case Terraform argument names, TTLs as integer seconds,
 * sets sorted, policy names lower-case, unset arguments absent. Values that are not known until
 * deploy are typed: {@link AttrRef} (another descriptor's attribute), {@link SecretInput} (a
 * sensitive deploy-time input, never a literal), {@link LazyValue} (computed at synthesis, e.g. a
 * policy that `grant*` calls keep adding to).
 */

/** A reference to an attribute of another descriptor (optionally one element of a list attribute). */
export class AttrRef {
  /**
   * @param id logical id of the referenced descriptor
   * @param attribute Terraform attribute name, e.g. `path`, `issuer_id`
   * @param index element of a list attribute, e.g. `imported_issuers[0]`
   */
  constructor(
    public readonly id: string,
    public readonly attribute: string,
    public readonly index?: number,
  ) {}

  /** `id.attribute[index]`, for messages and golden files. */
  public toString(): string {
    return `\${${this.id}.${this.attribute}${this.index === undefined ? "" : `[${this.index}]`}}`;
  }
}

/** A sensitive value supplied at deploy time (Terraform variable, Pulumi secret config). */
export class SecretInput {
  /**
   * @param variable input name (`[A-Za-z_][A-Za-z0-9_]*`)
   */
  constructor(public readonly variable: string) {}

  /** `var.<name>`, for messages and golden files. */
  public toString(): string {
    return `\${var.${this.variable}}`;
  }
}

/** A value computed when the engine synthesizes (e.g. policy HCL that grants keep extending). */
export class LazyValue {
  /** @param produce returns the final value; called at synthesis */
  constructor(public readonly produce: () => string) {}
}

/** A string that is literal or only known at deploy time. */
export type StringValue = string | AttrRef;

/** Any attribute value. */
export type AttributeValue =
  string | number | boolean | AttrRef | SecretInput | LazyValue | readonly AttributeValue[] | { readonly [key: string]: AttributeValue };

/** One provider resource. */
export interface ResourceDescriptor {
  /** Terraform resource type, e.g. `vault_pki_secret_backend_role`. */
  readonly type: string;
  /** Stable logical id, `<owner>.<local>`: `<owner>` is a `/`-separated path without dots. */
  readonly id: string;
  /** Arguments in canonical form (see the module comment). */
  readonly attributes: { readonly [key: string]: AttributeValue };
  /** Refuse to destroy or replace (CDKTF `lifecycle.prevent_destroy`, Pulumi `protect`). @default false */
  readonly protect?: boolean;
  /**
   * Logical ids of descriptors that must exist before this one although no argument refers to
   * them (CDKTF `depends_on`, Pulumi `dependsOn`): e.g. a root-namespace quota on a namespace's
   * path, which Vault refuses until the namespace exists. @default none
   */
  readonly dependsOn?: readonly string[];
}

/**
 * Arguments whose values are maps with user keys: adapters must pass their keys through
 * verbatim (everything else is a Terraform argument or nested block and is renamed per engine).
 */
export const MAP_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  vault_mount: ["options"],
  vault_audit: ["options"],
  vault_namespace: ["custom_metadata"],
  vault_ssh_secret_backend_role: ["default_extensions"],
  vault_jwt_auth_backend_role: ["bound_claims", "claim_mappings"],
  vault_jwt_auth_backend: ["provider_config"],
};

/** Whether `value` is a reference or a secret input (i.e. not literal). */
export function isDeployTime(value: unknown): value is AttrRef | SecretInput | LazyValue {
  return value instanceof AttrRef || value instanceof SecretInput || value instanceof LazyValue;
}

/** Remove `undefined` entries, so unset arguments are absent rather than null. */
export function compact(attrs: { readonly [key: string]: AttributeValue | undefined }): { [key: string]: AttributeValue } {
  const out: { [key: string]: AttributeValue } = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out[k] = v;
  return out;
}

/** A sorted, de-duplicated copy of a string set. */
export function sortedSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** `undefined` for an empty list, the list otherwise (empty optional sets are left out). */
export function nonEmpty<T>(values: readonly T[]): readonly T[] | undefined {
  return values.length > 0 ? values : undefined;
}

/**
 * Normalise a logical-id owner: `/`-separated segments (the construct path below the stack,
 * which the CDKTF adapter recreates), each of letters, digits, `-` and `_`.
 */
export function ownerId(owner: string): string {
  const clean = owner
    .split("/")
    .map((s) => s.replace(/[^A-Za-z0-9_-]/g, "-"))
    .filter(Boolean)
    .join("/");
  if (!clean) throw new Error("a resource graph owner id must not be empty");
  return clean;
}

/** An ordered list of descriptors; references may only point to earlier ones or outside the graph. */
export class ResourceGraph {
  private readonly byId = new Map<string, ResourceDescriptor>();

  /** Add `descriptor`; a duplicate id is an error. Returns the descriptor. */
  public add(descriptor: ResourceDescriptor): ResourceDescriptor {
    if (this.byId.has(descriptor.id)) throw new Error(`resource graph: duplicate logical id "${descriptor.id}"`);
    this.byId.set(descriptor.id, descriptor);
    return descriptor;
  }

  /** Add every descriptor of `list`, in order. */
  public addAll(list: readonly ResourceDescriptor[]): void {
    for (const d of list) this.add(d);
  }

  /** The descriptor with `id`, or `undefined`. */
  public get(id: string): ResourceDescriptor | undefined {
    return this.byId.get(id);
  }

  /** Every descriptor, in insertion order (a topological order). */
  public get resources(): readonly ResourceDescriptor[] {
    return [...this.byId.values()];
  }

  /** Ids referenced by descriptors of this graph that it does not contain. */
  public externalReferences(): string[] {
    const out = new Set<string>();
    for (const d of this.byId.values()) for (const r of referencesOf(d.attributes)) if (!this.byId.has(r.id)) out.add(r.id);
    return [...out].sort();
  }
}

/** Every {@link AttrRef} inside `value`, depth first. */
export function referencesOf(value: AttributeValue | { readonly [key: string]: AttributeValue }): AttrRef[] {
  if (value instanceof AttrRef) return [value];
  if (value instanceof SecretInput || value instanceof LazyValue) return [];
  if (Array.isArray(value)) return value.flatMap((v: AttributeValue) => referencesOf(v));
  if (value !== null && typeof value === "object") return Object.values(value).flatMap((v) => referencesOf(v as AttributeValue));
  return [];
}

/**
 * A plain-JSON view of descriptors for golden tests and parity checks: references become
 * `${id.attribute}`, secret inputs `${var.name}`, lazy values are produced.
 */
export function toPlain(
  descriptors: readonly ResourceDescriptor[],
): { type: string; id: string; protect: boolean; attributes: unknown; dependsOn?: string[] }[] {
  const plain = (v: AttributeValue): unknown => {
    if (v instanceof AttrRef || v instanceof SecretInput) return v.toString();
    if (v instanceof LazyValue) return v.produce();
    if (Array.isArray(v)) return v.map((x: AttributeValue) => plain(x));
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x as AttributeValue)]));
    return v;
  };
  return descriptors.map((d) => ({
    type: d.type,
    id: d.id,
    protect: d.protect ?? false,
    attributes: plain(d.attributes),
    ...(d.dependsOn && d.dependsOn.length > 0 ? { dependsOn: [...d.dependsOn] } : {}),
  }));
}

/** Options every fragment takes. */
export interface FragmentOptions {
  /** Owner part of the logical ids (no dots). */
  readonly owner: string;
  /** Namespace the resources are created in. @default the provider's namespace */
  readonly namespace?: StringValue;
}

/** The `namespace` attribute of a descriptor: present only when the fragment is created in one. */
export function namespaceField(options: FragmentOptions): { namespace?: StringValue } {
  return options.namespace === undefined ? {} : { namespace: options.namespace };
}
