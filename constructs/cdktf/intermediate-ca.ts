/** An intermediate CA: CSR in its own mount, signed by its root, set-signed, default issuer set. */
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { PkiSecretBackendRootSignIntermediate } from "@cdktf/provider-vault/lib/pki-secret-backend-root-sign-intermediate";
import { Annotations } from "cdktf";
import { Construct } from "constructs";
import { StringValue } from "../../model/graph";
import {
  intermediateCaFragment,
  canonicalizePki,
  checkPki,
  intermediateCaSchema,
  rootCaSchema,
  IntermediateCaOptions,
  intermediateCaInput,
  PkiRoleOptions,
  IntermediateCaAttributes,
  importIntermediateCa,
  uncheckedRootLimits,
} from "../../model/kinds/pki";
import { namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, portableValue, renderDescriptors } from "./graph-renderer";
import { ICertificateIssuer } from "./certificate-issuer";
import { IRootCa } from "./root-ca";
import { PkiRole } from "./pki-role";

/** An intermediate CA, created here or imported: what roles are created against and checked with. */
export type IIntermediateCa = ICertificateIssuer;

export type { IntermediateCaAttributes } from "../../model/kinds/pki";

/** An existing intermediate CA: its mount, issuer and limits as its importer was told. */
class ImportedIntermediateCa extends Construct implements IIntermediateCa {
  /** Mount path as a literal. */
  public readonly mountPath: string;
  /** Graph value of the mount path (the literal). */
  public readonly mountRef: StringValue;
  /** Issuer id or name roles are pinned to. */
  public readonly issuerRef: StringValue;
  /** Mount max lease TTL in seconds. */
  public readonly maxLeaseTtlSeconds: number;
  /** CA certificate TTL in seconds, when known. */
  public readonly ttlSeconds?: number;
  constructor(scope: Construct, id: string, attrs: IntermediateCaAttributes) {
    super(scope, id);
    const issuer = importIntermediateCa(`IntermediateCa.fromMountPath(${this.node.path})`, attrs);
    this.mountPath = issuer.mountPath;
    this.mountRef = issuer.mountRef;
    this.issuerRef = issuer.issuerRef;
    this.maxLeaseTtlSeconds = issuer.maxLeaseTtlSeconds;
    this.ttlSeconds = issuer.ttlSeconds;
  }
}

/** Props of {@link IntermediateCa}. */
export interface IntermediateCaProps extends IntermediateCaOptions {
  /** The root that signs this intermediate. */
  readonly root: IRootCa;
}

/**
 * `vault_mount` (pki) → `vault_pki_secret_backend_intermediate_cert_request` (`internal` key) →
 * `vault_pki_secret_backend_root_sign_intermediate` on the root's mount and issuer →
 * `vault_pki_secret_backend_intermediate_set_signed` → optional `vault_pki_secret_backend_issuer`
 * (name) → `vault_pki_secret_backend_config_issuers` (default issuer set explicitly, because a
 * failed set-signed can leave it unset), plus URL / CRL config when given.
 */
export class IntermediateCa extends Construct implements IIntermediateCa {
  /**
   * Use an existing intermediate CA (creates nothing) so roles can be created on it, e.g. in an
   * app stack: `new PkiRole(appStack, "role", { issuer: IntermediateCa.fromMountPath(...) })`.
   * `maxLeaseTtl` is required: every role TTL is checked against it.
   */
  public static fromMountPath(scope: Construct, id: string, attrs: IntermediateCaAttributes): IIntermediateCa {
    return new ImportedIntermediateCa(scope, id, attrs);
  }

  /** As {@link IntermediateCa.fromMountPath}, pinned to the named issuer rather than the mount's default. */
  public static fromIssuer(
    scope: Construct,
    id: string,
    attrs: IntermediateCaAttributes & { readonly issuerRef: string },
  ): IIntermediateCa {
    return new ImportedIntermediateCa(scope, id, attrs);
  }

  /** Mount path as a literal. */
  public readonly mountPath: string;
  /** Graph value of the mount path. */
  public readonly mountRef: StringValue;
  /** Graph value of the issuer id. */
  public readonly issuerRef: StringValue;
  /** Mount max lease TTL in seconds. */
  public readonly maxLeaseTtlSeconds: number;
  /** CA certificate TTL in seconds. */
  public readonly ttlSeconds: number;
  /** The mount (escape hatch). */
  public readonly mount: Mount;
  /** The signature by the root (escape hatch; `certificate`, `caChain` attributes). */
  public readonly signature: PkiSecretBackendRootSignIntermediate;

  constructor(scope: Construct, id: string, props: IntermediateCaProps) {
    super(scope, id);
    const spec = validateProps(this, intermediateCaSchema, intermediateCaInput(props));
    const unchecked = uncheckedRootLimits(props.root);
    if (unchecked) Annotations.of(this).addWarning(unchecked);
    const rootSpec = rootCaSchema.parse({
      mount: props.root.mountPath,
      source: "existing",
      ttl: props.root.ttlSeconds,
      maxLeaseTtl: props.root.maxLeaseTtlSeconds,
    });
    throwIssues(
      this,
      checkPki({ root: rootSpec, intermediates: [spec] }).map((i) => ({ path: i.path.slice(2), message: i.message })),
    );
    const canonical = canonicalizePki({ root: rootSpec, intermediates: [spec] }).intermediates[0];
    const fragment = intermediateCaFragment(
      canonical,
      { mountPath: portableValue(props.root, this, props.root.mountRef), issuerId: portableValue(props.root, this, props.root.issuerRef) },
      { owner: ownerOf(this), namespace: namespaceOf(this) },
    );
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.ids.mount) as Mount;
    this.signature = rendered.get(fragment.ids.signature) as PkiSecretBackendRootSignIntermediate;
    this.mountPath = canonical.mount;
    this.mountRef = fragment.outputs.mountPath;
    this.issuerRef = fragment.outputs.issuerId;
    this.maxLeaseTtlSeconds = canonical.maxLeaseTtl;
    this.ttlSeconds = canonical.ttl;
  }

  /**
   * Add a role issuing from this CA (same as `new PkiRole(this, id, { issuer: this, ...options })`):
   * the role is created in this CA's stack. For a role owned by another stack on a shared CA,
   * create it there: `new PkiRole(appStack, id, { issuer: ca, ...options })`.
   */
  public addRole(id: string, options: PkiRoleOptions): PkiRole {
    return new PkiRole(this, id, { ...options, issuer: this });
  }
}
