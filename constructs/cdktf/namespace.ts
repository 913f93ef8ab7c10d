/**
 * A namespace (Vault Enterprise, OpenBao). Constructs created inside it are created in it:
 * `new KvV2Store(tenantNamespace, "kv")` emits `namespace = <tenant path_fq>` on every resource.
 * Namespaces nest the same way.
 */
import { Namespace as NamespaceResource } from "@cdktf/provider-vault/lib/namespace";
import { Construct } from "constructs";
import { StringValue } from "../../model/graph";
import { INamespace, importNamespace, namespaceDescriptor, namespaceSchema, NamespaceProps } from "../../model/kinds/namespace";
import { VaultTarget, namespaceOf, setNamespaceScope, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { omitUndefined } from "../../model/validation";

export type { INamespace, NamespaceProps } from "../../model/kinds/namespace";

/** An existing namespace: constructs created inside it are created in it. */
class ImportedNamespace extends Construct implements INamespace {
  /** The path as given. */
  public readonly path: string;
  /** The full path (relative to the provider's namespace). */
  public readonly pathFq: StringValue;
  constructor(scope: Construct, id: string, path: string) {
    super(scope, id);
    VaultTarget.require(this, "namespaces");
    const ns = importNamespace(`Namespace.fromPath(${this.node.path})`, path, namespaceOf(this));
    this.path = ns.path;
    this.pathFq = ns.pathFq;
    setNamespaceScope(this, ns.pathFq);
  }
}

/** `vault_namespace`; refused at synthesis on a target without namespaces (Vault CE). */
export class Namespace extends Construct implements INamespace {
  /**
   * Use an existing namespace (creates nothing): `path` is relative to the enclosing imported
   * namespace or the provider's namespace and may name several segments (`team/app`).
   * Constructs created inside the returned scope are created in it.
   */
  public static fromPath(scope: Construct, id: string, path: string): INamespace & Construct {
    return new ImportedNamespace(scope, id, path);
  }

  /** Path segment. */
  public readonly path: string;
  /** Graph value of the fully qualified path (relative to the provider's namespace). */
  public readonly pathFq: StringValue;
  /** The provider resource (escape hatch). */
  public readonly resource: NamespaceResource;

  constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(scope, id);
    VaultTarget.require(this, "namespaces");
    const spec = validateProps(this, namespaceSchema, omitUndefined({ ...props }));
    const { resource, pathFq } = namespaceDescriptor(spec, namespaceOf(this), { owner: ownerOf(this) });
    this.resource = renderDescriptors(this, [resource]).get(resource.id) as NamespaceResource;
    this.path = spec.path;
    this.pathFq = pathFq;
    setNamespaceScope(this, pathFq);
  }
}
