/** An ACL policy from the typed builder; `grant*` methods of other components append rules. */
import * as pulumi from "@pulumi/pulumi";
import { AllowOptions, PolicyBuilder } from "../../policies/policy-builder";
import { Capability, PathRule, PolicyDocument } from "../../policies/policy-document";
import { AclPolicyProps, emptyPolicyMessage, aclPolicyDescriptor, importAclPolicy } from "../../model/kinds/acl-policy";
import { IAclPolicy, IPolicyGrantee } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { AclPolicyProps } from "../../model/kinds/acl-policy";

/**
 * A `vault_policy` (component `vaultsmith:policy:AclPolicy`). Rules are checked as they are
 * added; the HCL is rendered by the shared canonical renderer once the program's construction
 * phase (the current synchronous turn) is over, so `grant*` calls made after construction are
 * included. A grant after that is refused, and a policy without rules fails its registration.
 */
export class AclPolicy extends VaultComponent implements IPolicyGrantee, IAclPolicy {
  /** Refer to an existing policy by name (it can be attached to roles but not extended). */
  public static fromPolicyName(policyName: string): IAclPolicy {
    return importAclPolicy(`AclPolicy.fromPolicyName(${policyName})`, policyName);
  }

  /** The policy name. */
  public readonly policyName: string;
  /** The underlying provider resource (escape hatch). */
  public readonly resource: pulumi.CustomResource;
  private readonly builder: PolicyBuilder;
  private rendered: boolean;

  constructor(name: string, props: AclPolicyProps, opts?: pulumi.ComponentResourceOptions) {
    const builder = new PolicyBuilder(props.policyName);
    for (const rule of props.rules ?? []) builder.rule(rule);
    super("vaultsmith:policy:AclPolicy", name, opts);
    this.builder = builder;
    this.rendered = false;
    this.policyName = builder.name;
    const descriptor = aclPolicyDescriptor(this.policyName, () => this.finalDocument(), this.fragmentOptions(opts));
    this.resource = renderDescriptors(this, [descriptor]).get(descriptor.id) as pulumi.CustomResource;
    this.registerOutputs({ policyName: this.policyName });
  }

  private finalDocument(): PolicyDocument {
    this.rendered = true;
    const document = this.builder.build();
    if (document.rules.length === 0) throw new Error(emptyPolicyMessage(this.policyName));
    return document;
  }

  private mutable(): PolicyBuilder {
    if (this.rendered) {
      throw new Error(
        `ACL policy "${this.policyName}" has already been rendered; make grants in the same turn as the components (before the program awaits)`,
      );
    }
    return this.builder;
  }

  /** Grant `capabilities` on `path` (see `PolicyBuilder.allow`). */
  public allow(path: string, capabilities: readonly Capability[], options: AllowOptions = {}): this {
    this.mutable().allow(path, capabilities, options);
    return this;
  }

  /** Deny everything on `path`. */
  public deny(path: string): this {
    this.mutable().deny(path);
    return this;
  }

  /** Append rules as they are (each checked). */
  public addRules(...rules: PathRule[]): void {
    const builder = this.mutable();
    for (const rule of rules) builder.rule(rule);
  }

  /** The document as it stands now. */
  public document(): PolicyDocument {
    return this.builder.build();
  }
}
