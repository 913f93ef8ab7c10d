/**
 * A namespace (Vault Enterprise, OpenBao). Components created with `{ parent: namespace }` are
 * created in it (`namespace = <path_fq>` on every resource); namespaces nest the same way.
 */
import * as pulumi from "@pulumi/pulumi";
import { INamespace, NamespaceProps, importNamespace, namespaceDescriptor, namespaceSchema } from "../../model/kinds/namespace";
import { omitUndefined, validateLabelled } from "../../model/validation";
import { StringValue, ownerId } from "../../model/graph";
import { labelOf, namespaceOf, requireTargetFeature, setNamespaceScope } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { INamespace, NamespaceProps } from "../../model/kinds/namespace";

/**
 * Component `vaultsmith:namespace:ImportedNamespace`: an existing namespace, no Vault resource;
 * components created with `{ parent: it }` are created in it.
 */
class ImportedNamespace extends VaultComponent implements INamespace {
  /** The path as given. */
  public readonly path: string;
  /** The full path (relative to the provider's namespace). */
  public readonly pathFq: StringValue;
  constructor(name: string, path: string, opts?: pulumi.ComponentResourceOptions) {
    requireTargetFeature(name, opts?.parent, "namespaces");
    const ns = importNamespace(`Namespace.fromPath(${name})`, path, namespaceOf(opts?.parent));
    super("vaultsmith:namespace:ImportedNamespace", name, opts);
    this.path = ns.path;
    this.pathFq = ns.pathFq;
    setNamespaceScope(this, ns.pathFq);
    this.registerOutputs({ path: this.path });
  }
}

/** Component `vaultsmith:namespace:Namespace`: `vault_namespace`; refused on a target without namespaces. */
export class Namespace extends VaultComponent implements INamespace {
  /**
   * Use an existing namespace (no Vault resource): `path` is relative to the enclosing imported
   * namespace or the provider's namespace and may name several segments (`team/app`).
   * Components created with `{ parent: <the result> }` are created in it.
   */
  public static fromPath(name: string, path: string, opts?: pulumi.ComponentResourceOptions): INamespace & pulumi.ComponentResource {
    return new ImportedNamespace(name, path, opts);
  }

  /** Path segment. */
  public readonly path: string;
  /** Graph value of the fully qualified path (relative to the provider's namespace). */
  public readonly pathFq: StringValue;
  /** The provider resource (escape hatch). */
  public readonly resource: pulumi.CustomResource;

  constructor(name: string, props: NamespaceProps, opts?: pulumi.ComponentResourceOptions) {
    requireTargetFeature(name, opts?.parent, "namespaces");
    const spec = validateLabelled(labelOf("Namespace", name, opts?.parent), namespaceSchema, omitUndefined({ ...props }));
    super("vaultsmith:namespace:Namespace", name, opts);
    const { resource, pathFq } = namespaceDescriptor(spec, namespaceOf(opts?.parent), { owner: ownerId(name) });
    this.resource = renderDescriptors(this, [resource]).get(resource.id) as pulumi.CustomResource;
    this.path = spec.path;
    this.pathFq = pathFq;
    setNamespaceScope(this, pathFq);
    this.registerOutputs({ path: this.path });
  }
}
