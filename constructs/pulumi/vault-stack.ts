/**
 * The Pulumi counterpart of the CDKTF `VaultStack`: a component holding the `vault` provider
 * (no address or token in the program: `VAULT_ADDR` / `VAULT_TOKEN`, or `vault:address` /
 * `vault:token` config) and the declared target; every vaultsmith component created under it
 * uses that provider and is checked against that target.
 */
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { validateLabelled } from "../../model/validation";
import { TargetServer, requireFeature, targetSchema } from "../../model/target";
import { declareStack, labelOf } from "./base";
import { VaultComponent } from "./component";

/** Props of {@link VaultStack}. */
export interface VaultStackProps {
  /** The server the stack deploys to; gates namespaces, Sentinel and lease-count quotas. */
  readonly target: TargetServer;
  /** Provider namespace (every resource is created relative to it). @default the root namespace */
  readonly providerNamespace?: string;
  /** Let the provider use the given token instead of minting a child token. @default true */
  readonly skipChildToken?: boolean;
}

/** A component (`vaultsmith:index:VaultStack`) with the provider and the target declared. */
export class VaultStack extends VaultComponent {
  /** Type token of the component (subclasses, e.g. the reusable stacks, declare their own). */
  public static readonly TYPE: string = "vaultsmith:index:VaultStack";

  /** The declared target. */
  public readonly target: TargetServer;
  /** The provider (escape hatch). */
  public readonly provider: vault.Provider;

  constructor(name: string, props: VaultStackProps, opts?: pulumi.ComponentResourceOptions) {
    const target = validateLabelled(labelOf("VaultStack", name, opts?.parent), targetSchema, props.target);
    if (props.providerNamespace !== undefined) requireFeature(target, "namespaces", name);
    super((new.target as typeof VaultStack).TYPE, name, opts);
    this.target = target;
    this.provider = new vault.Provider(
      `${name}-vault`,
      {
        skipChildToken: props.skipChildToken ?? true,
        ...(props.providerNamespace !== undefined ? { namespace: props.providerNamespace } : {}),
      },
      { parent: this },
    );
    declareStack(this, target, this.provider);
    // Subclasses (the reusable stacks) register their own outputs once they are built.
    if (new.target === VaultStack) this.registerOutputs({ target: { edition: target.edition, version: target.version } });
  }
}
