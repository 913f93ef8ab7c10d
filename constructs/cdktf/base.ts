/**
 * What every vaultsmith construct shares: the declared target server, the namespace a construct
 * is created in (the nearest enclosing {@link "./namespace".Namespace}), prop validation through
 * the model (errors name the construct path and the field), and the policy grantee contract.
 */
import { TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { z } from "zod";
import { PolicyGrantee } from "../../model/grants";
import { StringValue } from "../../model/graph";
import { RawIssue, constructLabel, throwLabelled, validateLabelled } from "../../model/validation";
import { PolicyRef } from "../../model/kinds/auth/auth-mount";
import { GatedFeature, TargetServer, requireFeature } from "../../model/target";

const TARGETS = new WeakMap<IConstruct, TargetServer>();
const NAMESPACES = new WeakMap<IConstruct, StringValue>();

/** The target server an estate is deployed to, declared once on a stack (or any scope). */
export class VaultTarget {
  /** Declare `target` for every construct under `scope`. */
  public static set(scope: IConstruct, target: TargetServer): void {
    TARGETS.set(scope, target);
  }

  /** The target declared on `scope` or the nearest enclosing scope, if any. */
  public static of(scope: IConstruct): TargetServer | undefined {
    for (const s of [...scope.node.scopes].reverse()) {
      const t = TARGETS.get(s);
      if (t) return t;
    }
    return undefined;
  }

  /**
   * Refuse a construct the target lacks, naming the feature, the target and the construct path.
   * @throws ModelValidationError
   */
  public static require(scope: IConstruct, feature: GatedFeature): void {
    requireFeature(VaultTarget.of(scope), feature, scope.node.path);
  }
}

/** Mark `scope` as a namespace: constructs created under it are created in `path`. */
export function setNamespaceScope(scope: IConstruct, path: StringValue): void {
  NAMESPACES.set(scope, path);
}

/** Undo {@link setNamespaceScope} on `scope`: constructs created under it from now on are in the provider's namespace. */
export function clearNamespaceScope(scope: IConstruct): void {
  NAMESPACES.delete(scope);
}

/** The namespace constructs under `scope` are created in, if any (nearest enclosing first). */
export function namespaceOf(scope: IConstruct): StringValue | undefined {
  const scopes = [...scope.node.scopes].reverse();
  for (const s of scopes.slice(1)) {
    const ns = NAMESPACES.get(s);
    if (ns !== undefined) return ns;
  }
  return undefined;
}

/**
 * Validate construct props with a model schema; errors are prefixed with the construct path.
 * @throws ModelValidationError
 */
export function validateProps<S extends z.ZodType>(scope: Construct, schema: S, props: unknown): z.output<S> {
  return validateLabelled(scopeLabel(scope), schema, props);
}

/** Throw the rule violations `issues` (paths relative to the construct's props). */
export function throwIssues(scope: Construct, issues: readonly RawIssue[]): void {
  throwLabelled(scopeLabel(scope), issues);
}

function scopeLabel(scope: Construct): string {
  const stack = TerraformStack.of(scope);
  const rel = scope.node.scopes.slice(stack.node.scopes.length).map((s) => s.node.id);
  return constructLabel(scope.constructor.name, rel.length > 0 ? rel.join("/") : scope.node.id);
}

/** Something ACL rules can be granted to: an {@link "./acl-policy".AclPolicy} created in this app. */
export interface IPolicyGrantee extends IConstruct, PolicyGrantee {}

/** A policy referenced by name (created here or imported). */
export interface IAclPolicy extends IConstruct, PolicyRef {}
