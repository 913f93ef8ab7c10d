/** A transit mount with keys (encryption as a service), deletion-protected by default. */
import { PathRule } from "../../policies/policy-document";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { TransitSecretBackendKey } from "@cdktf/provider-vault/lib/transit-secret-backend-key";
import { Construct } from "constructs";
import {
  ITransitEngine,
  TransitEngineAttributes,
  importTransitEngine,
  transitFragment,
  transitSchema,
  TransitEngineProps,
  TransitGrants,
  transitInput,
  transitIssues,
} from "../../model/kinds/transit";
import { IPolicyGrantee, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";

export type {
  ITransitEngine,
  TransitEngineAttributes,
  TransitEngineProps,
  TransitKeyOptions,
  TransitKeyType,
} from "../../model/kinds/transit";

/** An existing transit engine: the key names it was told about, the same grants as a created one. */
class ImportedTransitEngine extends Construct implements ITransitEngine {
  private readonly grants: TransitGrants;
  constructor(scope: Construct, id: string, attrs: TransitEngineAttributes) {
    super(scope, id);
    this.grants = importTransitEngine(`TransitEngine.fromMountPath(${this.node.path})`, attrs);
  }
  /** @inheritdoc */
  public get mountPath(): string {
    return this.grants.mountPath;
  }
  /** @inheritdoc */
  public get keyNames(): ReadonlySet<string> {
    return this.grants.keyNames;
  }
  /** @inheritdoc */
  public grantEncrypt(policy: IPolicyGrantee, keyName: string): PathRule[] {
    return this.grants.grantEncrypt(policy, keyName);
  }
  /** @inheritdoc */
  public grantDecrypt(policy: IPolicyGrantee, keyName: string): PathRule[] {
    return this.grants.grantDecrypt(policy, keyName);
  }
  /** @inheritdoc */
  public grantEncryptDecrypt(policy: IPolicyGrantee, keyName: string): PathRule[] {
    return this.grants.grantEncryptDecrypt(policy, keyName);
  }
  /** @inheritdoc */
  public grantSign(policy: IPolicyGrantee, keyName: string): PathRule[] {
    return this.grants.grantSign(policy, keyName);
  }
  /** @inheritdoc */
  public grantVerify(policy: IPolicyGrantee, keyName: string): PathRule[] {
    return this.grants.grantVerify(policy, keyName);
  }
}

/**
 * `vault_mount` (type transit) and one `vault_transit_secret_backend_key` per key. Keys keep
 * `deletion_allowed = false` and `lifecycle.prevent_destroy` unless `deletionAllowed` is set.
 */
export class TransitEngine extends Construct implements ITransitEngine {
  /**
   * Use an existing transit engine (creates nothing). Grants may name only the keys listed in
   * `keyNames`: nothing is read from Vault at synthesis, so any other name is refused.
   */
  public static fromMountPath(scope: Construct, id: string, attrs: TransitEngineAttributes): ITransitEngine {
    return new ImportedTransitEngine(scope, id, attrs);
  }

  /** Mount path. */
  public readonly mountPath: string;
  /** The mount (escape hatch). */
  public readonly mount: Mount;
  private readonly keys = new Map<string, TransitSecretBackendKey>();

  constructor(scope: Construct, id: string, props: TransitEngineProps = {}) {
    super(scope, id);
    const spec = validateProps(this, transitSchema, transitInput(props));
    throwIssues(this, transitIssues(spec));
    const fragment = transitFragment(spec, { owner: ownerOf(this), namespace: namespaceOf(this) });
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.ids.mount) as Mount;
    for (const [name, id] of fragment.ids.keys) this.keys.set(name, rendered.get(id) as TransitSecretBackendKey);
    this.mountPath = spec.mount;
  }

  /** The provider resource of key `name` (escape hatch). */
  public key(name: string): TransitSecretBackendKey {
    const key = this.keys.get(name);
    if (!key) throw new Error(`TransitEngine ${this.node.path}: no key "${name}" (keys: ${[...this.keys.keys()].join(", ") || "none"})`);
    return key;
  }

  /** Names of the keys this engine creates. */
  public get keyNames(): ReadonlySet<string> {
    return new Set(this.keys.keys());
  }

  private get grants(): TransitGrants {
    return new TransitGrants({ mountPath: this.mountPath, keyNames: new Set(this.keys.keys()), label: this.node.path });
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
