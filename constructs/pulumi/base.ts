/**
 * What every vaultsmith Pulumi component shares: its scope (parent component, the declared
 * target, the namespace it creates resources in, the provider of its `VaultStack`), labels for
 * validation messages that match the CDKTF constructs, and the policy grantee contract.
 *
 * Components validate their props before they call `super`, so a validation error is raised
 * before any resource (not even the component itself) is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { PolicyGrantee } from "../../model/grants";
import { constructLabel } from "../../model/validation";
import { PolicyRef } from "../../model/kinds/auth/auth-mount";
import { StringValue } from "../../model/graph";
import { GatedFeature, TargetServer, requireFeature } from "../../model/target";

/** What a component records about itself for its children and the graph renderer. */
interface ScopeInfo {
  readonly name: string;
  readonly parent?: pulumi.Resource;
  readonly resources: Map<string, pulumi.CustomResource>;
  target?: TargetServer;
  namespace?: StringValue;
  provider?: pulumi.ProviderResource;
  stack?: boolean;
}

const SCOPES = new WeakMap<pulumi.Resource, ScopeInfo>();

/** Scope records from `start` up to the outermost vaultsmith component. */
function chain(start: pulumi.Resource | undefined): ScopeInfo[] {
  const out: ScopeInfo[] = [];
  for (let r = start; r !== undefined;) {
    const info = SCOPES.get(r);
    if (!info) break;
    out.push(info);
    r = info.parent;
  }
  return out;
}

/** Record `component` (named `name`, created with `opts`) as a vaultsmith scope. */
export function registerScope(component: pulumi.ComponentResource, name: string, opts: pulumi.ComponentResourceOptions | undefined): void {
  SCOPES.set(component, { name, parent: opts?.parent, resources: new Map() });
}

/** The rendered resources of `component` by logical id (filled by the graph renderer). */
export function scopeResources(component: pulumi.Resource): Map<string, pulumi.CustomResource> {
  const info = SCOPES.get(component);
  if (!info) throw new Error("vaultsmith: not a vaultsmith component");
  return info.resources;
}

/** Resources by logical id visible from `component`: its own, then every enclosing component's. */
export function visibleResources(component: pulumi.Resource): Map<string, pulumi.CustomResource>[] {
  return chain(component).map((s) => s.resources);
}

/** Declare `target` (and optionally a provider) on a `VaultStack` component. */
export function declareStack(component: pulumi.Resource, target: TargetServer, provider: pulumi.ProviderResource): void {
  const info = SCOPES.get(component);
  if (!info) throw new Error("vaultsmith: not a vaultsmith component");
  info.target = target;
  info.provider = provider;
  info.stack = true;
}

/** Mark `component` as a namespace: components created under it are created in `path`. */
export function setNamespaceScope(component: pulumi.Resource, path: StringValue): void {
  const info = SCOPES.get(component);
  if (!info) throw new Error("vaultsmith: not a vaultsmith component");
  info.namespace = path;
}

/** Undo {@link setNamespaceScope}: components created under `component` from now on are in the provider's namespace. */
export function clearNamespaceScope(component: pulumi.Resource): void {
  const info = SCOPES.get(component);
  if (info) info.namespace = undefined;
}

/** The target declared on the nearest enclosing `VaultStack`, if any. */
export function targetOf(parent: pulumi.Resource | undefined): TargetServer | undefined {
  return chain(parent).find((s) => s.target !== undefined)?.target;
}

/** The namespace a component created under `parent` is created in, if any (nearest first). */
export function namespaceOf(parent: pulumi.Resource | undefined): StringValue | undefined {
  return chain(parent).find((s) => s.namespace !== undefined)?.namespace;
}

/** The provider of the nearest enclosing `VaultStack`, if any. */
export function providerOf(component: pulumi.Resource | undefined): pulumi.ProviderResource | undefined {
  return chain(component).find((s) => s.provider !== undefined)?.provider;
}

/**
 * A component's name relative to its stack: the nearest enclosing `VaultStack`'s `<name>-`
 * prefix removed (CDKTF construct paths are relative to their stack too).
 */
export function relativeName(name: string, parent: pulumi.Resource | undefined): string {
  const stack = chain(parent).find((s) => s.stack);
  return stack && name.startsWith(`${stack.name}-`) ? name.slice(stack.name.length + 1) : name;
}

/** `Class(relative name)`: the label validation messages start with (same as the CDKTF constructs'). */
export function labelOf(className: string, name: string, parent: pulumi.Resource | undefined): string {
  return constructLabel(className, relativeName(name, parent));
}

/** `<stack>/<relative name>`: the construct path feature checks name (same as CDKTF's `node.path`). */
export function pathOf(name: string, parent: pulumi.Resource | undefined): string {
  const stack = chain(parent).find((s) => s.stack);
  return stack ? `${stack.name}/${relativeName(name, parent)}` : name;
}

/**
 * Refuse a component the declared target lacks (same message as the CDKTF constructs).
 * @throws ModelValidationError
 */
export function requireTargetFeature(name: string, parent: pulumi.Resource | undefined, feature: GatedFeature): void {
  requireFeature(targetOf(parent), feature, pathOf(name, parent));
}

/** Something ACL rules can be granted to: an `AclPolicy` component of this program. */
export interface IPolicyGrantee extends PolicyRef, PolicyGrantee {}

/** A policy referenced by name (created in this program or imported). */
export type IAclPolicy = PolicyRef;
