/** An ACL policy from the typed builder; `grant*` methods of other constructs append rules. */
import { Policy } from "@cdktf/provider-vault/lib/policy";
import { Construct } from "constructs";
import { AllowOptions, PolicyBuilder } from "../../policies/policy-builder";
import { Capability, PathRule, PolicyDocument } from "../../policies/policy-document";
import { aclPolicyDescriptor, AclPolicyProps, emptyPolicyMessage, importAclPolicy } from "../../model/kinds/acl-policy";
import { IAclPolicy, IPolicyGrantee, namespaceOf } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";

export type { AclPolicyProps } from "../../model/kinds/acl-policy";

class ImportedAclPolicy extends Construct implements IAclPolicy {
  /** The policy name. */
  public readonly policyName: string;
  constructor(scope: Construct, id: string, policyName: string) {
    super(scope, id);
    this.policyName = importAclPolicy(`AclPolicy.fromPolicyName(${this.node.path})`, policyName).policyName;
  }
}

/**
 * A `vault_policy`. Rules are checked as they are added (by the shared `PolicyBuilder`) and the
 * HCL is rendered at synthesis by the shared canonical renderer, so grants made after
 * construction are included. A policy without rules fails synthesis validation.
 */
export class AclPolicy extends Construct implements IPolicyGrantee, IAclPolicy {
  /** Refer to an existing policy by name (it can be attached to roles but not extended). */
  public static fromPolicyName(scope: Construct, id: string, policyName: string): IAclPolicy {
    return new ImportedAclPolicy(scope, id, policyName);
  }

  /** The policy name. */
  public readonly policyName: string;
  /** The underlying provider resource (escape hatch). */
  public readonly resource: Policy;
  private readonly builder: PolicyBuilder;

  constructor(scope: Construct, id: string, props: AclPolicyProps) {
    super(scope, id);
    this.builder = new PolicyBuilder(props.policyName);
    this.policyName = this.builder.name;
    for (const rule of props.rules ?? []) this.builder.rule(rule);
    const descriptor = aclPolicyDescriptor(this.policyName, () => this.document(), { owner: ownerOf(this), namespace: namespaceOf(this) });
    this.resource = renderDescriptors(this, [descriptor]).get(descriptor.id) as Policy;
    this.node.addValidation({
      validate: () => (this.builder.build().rules.length === 0 ? [emptyPolicyMessage(this.policyName)] : []),
    });
  }

  /** Grant `capabilities` on `path` (see `PolicyBuilder.allow`). */
  public allow(path: string, capabilities: readonly Capability[], options: AllowOptions = {}): this {
    this.builder.allow(path, capabilities, options);
    return this;
  }

  /** Deny everything on `path`. */
  public deny(path: string): this {
    this.builder.deny(path);
    return this;
  }

  /** Append rules as they are (each checked). */
  public addRules(...rules: PathRule[]): void {
    for (const rule of rules) this.builder.rule(rule);
  }

  /** The document as it stands now. */
  public document(): PolicyDocument {
    return this.builder.build();
  }
}
