/**
 * The transit kind: schema, key rules, graph fragment, construct props and the per-key grants.
 */
import { describeSeconds, durationSeconds } from "../duration";
import { mountPathField, resourceName } from "../fields";
import { AttrRef, compact, FragmentOptions, namespaceField, ownerId, ResourceDescriptor, StringValue } from "../graph";
import { omitUndefined, RawIssue, validateLabelled } from "../validation";
import { PathRule } from "../../policies/policy-document";
import { PolicyGrantee, grantRules } from "../grants";
import { z } from "zod";

/** Transit key types vaultsmith supports. */
export const TRANSIT_KEY_TYPES = [
  "aes128-gcm96",
  "aes256-gcm96",
  "chacha20-poly1305",
  "ed25519",
  "ecdsa-p256",
  "ecdsa-p384",
  "ecdsa-p521",
  "rsa-2048",
  "rsa-3072",
  "rsa-4096",
  "hmac",
] as const;

/** A transit key. */
export const transitKeySchema = z.strictObject({
  name: resourceName,
  type: z.enum(TRANSIT_KEY_TYPES).default("aes256-gcm96"),
  derived: z.boolean().default(false),
  convergentEncryption: z.boolean().default(false),
  autoRotatePeriod: durationSeconds.default(0),
  deletionAllowed: z.boolean().default(false),
  exportable: z.boolean().default(false),
  allowPlaintextBackup: z.boolean().default(false),
  minDecryptionVersion: z.number().int().min(1).optional(),
});

/** A transit mount with its keys. */
export const transitSchema = z.strictObject({
  mount: mountPathField,
  keys: z.array(transitKeySchema).default([]),
});

/** Canonical transit mount. */
export type TransitSpec = z.output<typeof transitSchema>;

/** Canonical transit key. */
export type TransitKeySpec = z.output<typeof transitKeySchema>;

/** Check one transit key; paths relative to the key. */
export function checkTransitKey(key: TransitKeySpec): RawIssue[] {
  const out: RawIssue[] = [];
  const symmetric = ["aes128-gcm96", "aes256-gcm96", "chacha20-poly1305"].includes(key.type);
  if (key.convergentEncryption && !key.derived) {
    out.push({ path: ["convergentEncryption"], message: "convergent encryption requires derived: true" });
  }
  if (key.convergentEncryption && !symmetric) {
    out.push({ path: ["convergentEncryption"], message: `convergent encryption is not supported for key type ${key.type}` });
  }
  if (key.derived && !symmetric && key.type !== "ed25519") {
    out.push({ path: ["derived"], message: `key derivation is not supported for key type ${key.type}` });
  }
  if (key.autoRotatePeriod !== 0 && key.autoRotatePeriod < 3600) {
    out.push({
      path: ["autoRotatePeriod"],
      message: `auto-rotate period ${describeSeconds(key.autoRotatePeriod)} is below Vault's minimum of 1h (use 0 to disable)`,
    });
  }
  return out;
}

/** A transit key on `backend`; protected from destroy unless deletion is allowed. */
export function transitKeyDescriptor(spec: TransitKeySpec, backend: StringValue, options: FragmentOptions): ResourceDescriptor {
  return {
    type: "vault_transit_secret_backend_key",
    id: `${ownerId(options.owner)}.key-${spec.name}`,
    protect: !spec.deletionAllowed,
    attributes: compact({
      backend,
      name: spec.name,
      type: spec.type,
      derived: spec.derived,
      convergent_encryption: spec.convergentEncryption,
      auto_rotate_period: spec.autoRotatePeriod,
      deletion_allowed: spec.deletionAllowed,
      exportable: spec.exportable,
      allow_plaintext_backup: spec.allowPlaintextBackup,
      min_decryption_version: spec.minDecryptionVersion,
      ...namespaceField(options),
    }),
  };
}

/** Logical ids of a transit fragment's resources: the mount and each key by name. */
export interface TransitIds {
  readonly mount: string;
  readonly keys: ReadonlyMap<string, string>;
}

/** A transit mount and its keys. */
export function transitFragment(
  spec: TransitSpec,
  options: FragmentOptions,
): { resources: ResourceDescriptor[]; mountPath: AttrRef; ids: TransitIds } {
  const owner = ownerId(options.owner);
  const mount: ResourceDescriptor = {
    type: "vault_mount",
    id: `${owner}.mount`,
    attributes: compact({ path: spec.mount, type: "transit", ...namespaceField(options) }),
  };
  const mountPath = new AttrRef(mount.id, "path");
  const keys = spec.keys.map((k) => transitKeyDescriptor(k, mountPath, { ...options, owner }));
  return {
    resources: [mount, ...keys],
    mountPath,
    ids: { mount: mount.id, keys: new Map(spec.keys.map((k, i) => [k.name, keys[i].id])) },
  };
}

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
  /** Allow the key to be deleted (Vault refuses deletion otherwise; destroy is also blocked). @default false */
  readonly deletionAllowed?: boolean;
  /** Allow exporting the key (irreversible once set). @default false */
  readonly exportable?: boolean;
  /** Allow plaintext backups (irreversible once set). @default false */
  readonly allowPlaintextBackup?: boolean;
  /** Oldest key version that may decrypt. @default all versions */
  readonly minDecryptionVersion?: number;
}

/** Props of `TransitEngine`. */
export interface TransitEngineProps {
  /** Mount path. @default "transit" */
  readonly mountPath?: string;
  /** Keys. @default none */
  readonly keys?: readonly TransitKeyOptions[];
}

/** Model input of a transit engine. */
export function transitInput(props: TransitEngineProps): Record<string, unknown> {
  return { mount: props.mountPath ?? "transit", keys: (props.keys ?? []).map((k) => omitUndefined({ ...k })) };
}

/** Per-key violations: duplicate names and the model's key rules (paths `keys[i].…`). */
export function transitIssues(spec: TransitSpec): RawIssue[] {
  const issues: RawIssue[] = [];
  const names = new Set<string>();
  spec.keys.forEach((k, i) => {
    if (names.has(k.name)) issues.push({ path: ["keys", i, "name"], message: `key "${k.name}" is declared twice` });
    names.add(k.name);
    issues.push(...checkTransitKey(k).map((issue) => ({ path: ["keys", i, ...issue.path], message: issue.message })));
  });
  return issues;
}

/** Transit operations a policy can be granted. */
export type TransitOperation = "encrypt" | "decrypt" | "sign" | "verify";

/** `update` on `<mount>/<op>/<key>`. */
export function transitGrantRule(mountPath: string, op: TransitOperation, keyName: string): PathRule {
  return { path: `${mountPath}/${op}/${keyName}`, capabilities: ["update"] };
}

/** What a transit engine's grants need to know: its mount and the keys it holds. */
export interface TransitKeyring {
  /** Mount path as a literal. */
  readonly mountPath: string;
  /** Names of the engine's keys: a grant on any other key is refused. */
  readonly keyNames: ReadonlySet<string>;
  /** Label for messages (construct path). */
  readonly label: string;
  /** The engine is imported: `keyNames` are the names its importer was told about, not read from Vault. */
  readonly imported?: boolean;
}

/** A transit engine, created here or imported: its mount, the keys it is known to hold, and its grants. */
export interface ITransitEngine {
  /** Mount path as a literal. */
  readonly mountPath: string;
  /** Names of the keys grants may name (created ones, or those an importer was told about). */
  readonly keyNames: ReadonlySet<string>;
  /** Grant `update` on `<mount>/encrypt/<key>`; refuses a key the engine is not known to hold. */
  grantEncrypt(policy: PolicyGrantee, keyName: string): PathRule[];
  /** Grant `update` on `<mount>/decrypt/<key>`; refuses an unknown key. */
  grantDecrypt(policy: PolicyGrantee, keyName: string): PathRule[];
  /** Grant encrypt and decrypt. */
  grantEncryptDecrypt(policy: PolicyGrantee, keyName: string): PathRule[];
  /** Grant `update` on `<mount>/sign/<key>` (signing keys: ed25519, ecdsa, rsa). */
  grantSign(policy: PolicyGrantee, keyName: string): PathRule[];
  /** Grant `update` on `<mount>/verify/<key>`. */
  grantVerify(policy: PolicyGrantee, keyName: string): PathRule[];
}

/** What an importer of an existing transit engine is told. */
export interface TransitEngineAttributes {
  /** Mount path of the existing engine. */
  readonly mountPath: string;
  /**
   * Names of the keys it holds that grants may name: nothing is read from Vault at synthesis, so a
   * grant on any other name is refused rather than written into a policy that matches no key.
   */
  readonly keyNames: readonly string[];
}

const transitImportSchema = z.strictObject({ mountPath: mountPathField, keyNames: z.array(resourceName).min(1, "name at least one key") });

/**
 * Validate the attributes of an imported transit engine and return its grants (what both
 * engines' `TransitEngine.fromMountPath` delegate to).
 * @throws ModelValidationError naming `label` and the field
 */
export function importTransitEngine(label: string, attrs: TransitEngineAttributes): TransitGrants {
  const spec = validateLabelled(label, transitImportSchema, { ...attrs, keyNames: [...(attrs.keyNames ?? [])] });
  return new TransitGrants({ mountPath: spec.mountPath, keyNames: new Set(spec.keyNames), label, imported: true });
}

/** The one implementation of the transit grants (`update` on `<mount>/<op>/<key>`), for both engines. */
export class TransitGrants implements ITransitEngine {
  constructor(private readonly keyring: TransitKeyring) {}

  /** Mount path as a literal. */
  public get mountPath(): string {
    return this.keyring.mountPath;
  }

  /** Names of the keys grants may name. */
  public get keyNames(): ReadonlySet<string> {
    return this.keyring.keyNames;
  }

  private grant(policy: PolicyGrantee, op: TransitOperation, keyName: string): PathRule[] {
    const { keyNames, label, mountPath, imported } = this.keyring;
    if (!keyNames.has(keyName)) {
      const known = [...keyNames].join(", ") || "none";
      throw new Error(
        imported
          ? `${label}: no key "${keyName}" among the keys it was told about (${known}); add it to keyNames if the engine holds it`
          : `TransitEngine ${label}: no key "${keyName}" (keys: ${known})`,
      );
    }
    return grantRules(policy, [transitGrantRule(mountPath, op, keyName)]);
  }

  /** Grant `update` on `<mount>/encrypt/<key>`. */
  public grantEncrypt(policy: PolicyGrantee, keyName: string): PathRule[] {
    return this.grant(policy, "encrypt", keyName);
  }

  /** Grant `update` on `<mount>/decrypt/<key>`. */
  public grantDecrypt(policy: PolicyGrantee, keyName: string): PathRule[] {
    return this.grant(policy, "decrypt", keyName);
  }

  /** Grant encrypt and decrypt. */
  public grantEncryptDecrypt(policy: PolicyGrantee, keyName: string): PathRule[] {
    return [...this.grantEncrypt(policy, keyName), ...this.grantDecrypt(policy, keyName)];
  }

  /** Grant `update` on `<mount>/sign/<key>` (signing keys: ed25519, ecdsa, rsa). */
  public grantSign(policy: PolicyGrantee, keyName: string): PathRule[] {
    return this.grant(policy, "sign", keyName);
  }

  /** Grant `update` on `<mount>/verify/<key>`. */
  public grantVerify(policy: PolicyGrantee, keyName: string): PathRule[] {
    return this.grant(policy, "verify", keyName);
  }
}
