/** A transit mount with keys (encryption as a service), deletion-protected by default. */
import * as pulumi from "@pulumi/pulumi";
import { TransitEngineProps, TransitOperation, transitGrantRule, transitInput, transitIssues } from "../../model/kinds/transit";
import { throwLabelled, validateLabelled } from "../../model/validation";
import { transitFragment } from "../../model/kinds/transit";
import { transitSchema } from "../../model/kinds/transit";
import { IPolicyGrantee, labelOf } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { TransitEngineProps, TransitKeyOptions, TransitKeyType } from "../../model/kinds/transit";

/**
 * Component `vaultsmith:transit:TransitEngine`: `vault_mount` (type transit) and one
 * `vault_transit_secret_backend_key` per key; keys keep `deletion_allowed = false` and the
 * resource option `protect: true` unless `deletionAllowed` is set.
 */
export class TransitEngine extends VaultComponent {
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

  private grantOn(policy: IPolicyGrantee, op: TransitOperation, keyName: string): void {
    this.key(keyName);
    policy.addRules(transitGrantRule(this.mountPath, op, keyName));
  }

  /** Grant `update` on `<mount>/encrypt/<key>`. */
  public grantEncrypt(policy: IPolicyGrantee, keyName: string): void {
    this.grantOn(policy, "encrypt", keyName);
  }

  /** Grant `update` on `<mount>/decrypt/<key>`. */
  public grantDecrypt(policy: IPolicyGrantee, keyName: string): void {
    this.grantOn(policy, "decrypt", keyName);
  }

  /** Grant encrypt and decrypt. */
  public grantEncryptDecrypt(policy: IPolicyGrantee, keyName: string): void {
    this.grantEncrypt(policy, keyName);
    this.grantDecrypt(policy, keyName);
  }

  /** Grant `update` on `<mount>/sign/<key>` (signing keys: ed25519, ecdsa, rsa). */
  public grantSign(policy: IPolicyGrantee, keyName: string): void {
    this.grantOn(policy, "sign", keyName);
  }

  /** Grant `update` on `<mount>/verify/<key>`. */
  public grantVerify(policy: IPolicyGrantee, keyName: string): void {
    this.grantOn(policy, "verify", keyName);
  }
}
