/** A transit mount with keys (encryption as a service), deletion-protected by default. */
import { PathRule } from "../../policies/policy-document";
import * as pulumi from "@pulumi/pulumi";
import {
  ITransitEngine,
  TransitEngineAttributes,
  importTransitEngine,
  TransitEngineProps,
  TransitGrants,
  transitInput,
  transitIssues,
  transitFragment,
  transitSchema,
} from "../../model/kinds/transit";
import { throwLabelled, validateLabelled } from "../../model/validation";
import { IPolicyGrantee, labelOf } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type {
  ITransitEngine,
  TransitEngineAttributes,
  TransitEngineProps,
  TransitKeyOptions,
  TransitKeyType,
} from "../../model/kinds/transit";

/**
 * Component `vaultsmith:transit:TransitEngine`: `vault_mount` (type transit) and one
 * `vault_transit_secret_backend_key` per key; keys keep `deletion_allowed = false` and the
 * resource option `protect: true` unless `deletionAllowed` is set.
 */
export class TransitEngine extends VaultComponent implements ITransitEngine {
  /**
   * Use an existing transit engine (registers nothing). Grants may name only the keys listed in
   * `keyNames`: nothing is read from Vault, so any other name is refused.
   */
  public static fromMountPath(name: string, attrs: TransitEngineAttributes): ITransitEngine {
    return importTransitEngine(`TransitEngine.fromMountPath(${name})`, attrs);
  }

  /** Mount path. */
  public readonly mountPath: string;
  /** The mount (escape hatch). */
  public readonly mount: pulumi.CustomResource;
  private readonly keys: Map<string, pulumi.CustomResource>;

  constructor(name: string, props: TransitEngineProps = {}, opts?: pulumi.ComponentResourceOptions) {
    const label = labelOf("TransitEngine", name, opts?.parent);
    const spec = validateLabelled(label, transitSchema, transitInput(props));
    throwLabelled(label, transitIssues(spec));
    super("vaultsmith:transit:TransitEngine", name, opts);
    const fragment = transitFragment(spec, this.fragmentOptions(opts));
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.ids.mount) as pulumi.CustomResource;
    this.keys = new Map([...fragment.ids.keys].map(([name, id]) => [name, rendered.get(id) as pulumi.CustomResource]));
    this.mountPath = spec.mount;
    this.registerOutputs({ mountPath: this.mountPath, keys: spec.keys.map((k) => k.name) });
  }

  /** The provider resource of key `name` (escape hatch). */
  public key(name: string): pulumi.CustomResource {
    const key = this.keys.get(name);
    if (!key)
      throw new Error(`TransitEngine ${this.componentName}: no key "${name}" (keys: ${[...this.keys.keys()].join(", ") || "none"})`);
    return key;
  }

  /** Names of the keys this engine creates. */
  public get keyNames(): ReadonlySet<string> {
    return new Set(this.keys.keys());
  }

  private get grants(): TransitGrants {
    return new TransitGrants({ mountPath: this.mountPath, keyNames: new Set(this.keys.keys()), label: this.componentName });
  }

  /** Grant `update` on `<mount>/encrypt/<key>`. */
  public grantEncrypt(policy: IPolicyGrantee, keyName: string): PathRule[] {
    return this.grants.grantEncrypt(policy, keyName);
  }

  /** Grant `update` on `<mount>/decrypt/<key>`. */
  public grantDecrypt(policy: IPolicyGrantee, keyName: string): PathRule[] {
    return this.grants.grantDecrypt(policy, keyName);
  }

  /** Grant encrypt and decrypt. */
  public grantEncryptDecrypt(policy: IPolicyGrantee, keyName: string): PathRule[] {
    return this.grants.grantEncryptDecrypt(policy, keyName);
  }

  /** Grant `update` on `<mount>/sign/<key>` (signing keys: ed25519, ecdsa, rsa). */
  public grantSign(policy: IPolicyGrantee, keyName: string): PathRule[] {
    return this.grants.grantSign(policy, keyName);
  }

  /** Grant `update` on `<mount>/verify/<key>`. */
  public grantVerify(policy: IPolicyGrantee, keyName: string): PathRule[] {
    return this.grants.grantVerify(policy, keyName);
  }
}
