/** A transit mount with keys (encryption as a service), deletion-protected by default. */
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { TransitSecretBackendKey } from "@cdktf/provider-vault/lib/transit-secret-backend-key";
import { Construct } from "constructs";
import { transitFragment } from "../model/graph-secrets";
import { checkTransitKey } from "../model/rules";
import { TRANSIT_KEY_TYPES, transitSchema } from "../model/schema";
import { IPolicyGrantee, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { defined } from "./pki-common";

/** Key types a transit key can have. */
export type TransitKeyType = (typeof TRANSIT_KEY_TYPES)[number];

/** One transit key. */
export interface TransitKeyOptions {
  /** Key name. */
  readonly name: string;
  /** Key type. @default "aes256-gcm96" */
  readonly type?: TransitKeyType;
  /** Derive a key per context (required for convergent encryption). @default false */
  readonly derived?: boolean;
  /** Same plaintext + context → same ciphertext (needs `derived`). @default false */
  readonly convergentEncryption?: boolean;
  /** Rotate automatically after this period (`0` = never, else at least 1h). @default 0 */
  readonly autoRotatePeriod?: string | number;
  /** Allow the key to be deleted (Vault refuses deletion otherwise; Terraform destroy is also blocked). @default false */
  readonly deletionAllowed?: boolean;
  /** Allow exporting the key (irreversible once set). @default false */
  readonly exportable?: boolean;
  /** Allow plaintext backups (irreversible once set). @default false */
  readonly allowPlaintextBackup?: boolean;
  /** Oldest key version that may decrypt. @default all versions */
  readonly minDecryptionVersion?: number;
}

/** Props of {@link TransitEngine}. */
export interface TransitEngineProps {
  /** Mount path. @default "transit" */
  readonly mountPath?: string;
  /** Keys. @default none */
  readonly keys?: readonly TransitKeyOptions[];
}

/**
 * `vault_mount` (type transit) and one `vault_transit_secret_backend_key` per key. Keys keep
 * `deletion_allowed = false` and `lifecycle.prevent_destroy` unless `deletionAllowed` is set.
 */
export class TransitEngine extends Construct {
  /** Mount path. */
  public readonly mountPath: string;
  /** The mount (escape hatch). */
  public readonly mount: Mount;
  private readonly keys = new Map<string, TransitSecretBackendKey>();

  constructor(scope: Construct, id: string, props: TransitEngineProps = {}) {
    super(scope, id);
    const spec = validateProps(this, transitSchema, {
      mount: props.mountPath ?? "transit",
      keys: (props.keys ?? []).map((k) => defined({ ...k })),
    });
    const names = new Set<string>();
    spec.keys.forEach((k, i) => {
      if (names.has(k.name)) throwIssues(this, [{ path: ["keys", i, "name"], message: `key "${k.name}" is declared twice` }]);
      names.add(k.name);
      throwIssues(
        this,
        checkTransitKey(k).map((issue) => ({ path: ["keys", i, ...issue.path], message: issue.message })),
      );
    });
    const fragment = transitFragment(spec, { owner: ownerOf(this), namespace: namespaceOf(this) });
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.resources[0].id) as Mount;
    spec.keys.forEach((k, i) => this.keys.set(k.name, rendered.get(fragment.resources[i + 1].id) as TransitSecretBackendKey));
    this.mountPath = spec.mount;
  }

  /** The provider resource of key `name` (escape hatch). */
  public key(name: string): TransitSecretBackendKey {
    const key = this.keys.get(name);
    if (!key) throw new Error(`TransitEngine ${this.node.path}: no key "${name}" (keys: ${[...this.keys.keys()].join(", ") || "none"})`);
    return key;
  }

  private grantOn(policy: IPolicyGrantee, op: string, keyName: string): void {
    this.key(keyName);
    policy.addRules({ path: `${this.mountPath}/${op}/${keyName}`, capabilities: ["update"] });
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
