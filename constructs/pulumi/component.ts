/** The base of every vaultsmith Pulumi component: a ComponentResource that records its scope. */
import * as pulumi from "@pulumi/pulumi";
import { ownerId, FragmentOptions } from "../../model/graph";
import { namespaceOf, registerScope } from "./base";

/**
 * A `pulumi.ComponentResource` with type token `vaultsmith:<module>:<Type>` whose children are
 * named `<name>-<local id>` and parented to it.
 */
export abstract class VaultComponent extends pulumi.ComponentResource {
  /** The component's name (the owner part of its resources' logical ids). */
  public readonly componentName: string;

  protected constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions | undefined) {
    super(type, name, {}, opts);
    registerScope(this, name, opts);
    this.componentName = name;
  }

  /** Fragment options of this component: owner = its name, namespace = the enclosing one. */
  protected fragmentOptions(opts: pulumi.ComponentResourceOptions | undefined): FragmentOptions {
    const namespace = namespaceOf(opts?.parent);
    return { owner: ownerId(this.componentName), ...(namespace !== undefined ? { namespace } : {}) };
  }
}
