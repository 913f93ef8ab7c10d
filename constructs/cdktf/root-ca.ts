/** A root CA: generated inside Vault (key `internal`, protected from destroy) or an existing one. */
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { PkiSecretBackendRootCert } from "@cdktf/provider-vault/lib/pki-secret-backend-root-cert";
import { Construct, IConstruct } from "constructs";
import { StringValue } from "../../model/graph";
import {
  createdIds,
  rootCaFragment,
  canonicalizePki,
  checkPki,
  rootCaSchema,
  RootCaAttributes,
  RootCaProps,
  rootCaInput,
} from "../../model/kinds/pki";
import { namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { omitUndefined } from "../../model/validation";

/** A root CA other constructs can chain to. */
export interface IRootCa extends IConstruct {
  /** Mount path as a literal (for policies and messages). */
  readonly mountPath: string;
  /** Graph value of the mount path (a reference when this app creates the mount). */
  readonly mountRef: StringValue;
  /** Graph value of the root issuer id, when known. */
  readonly issuerRef?: StringValue;
  /** Certificate TTL in seconds, when known (intermediates are checked against it). */
  readonly ttlSeconds?: number;
  /** Mount max lease TTL in seconds, when known. */
  readonly maxLeaseTtlSeconds?: number;
}

class ImportedRootCa extends Construct implements IRootCa {
  /** Mount path as a literal. */
  public readonly mountPath: string;
  /** Graph value of the mount path. */
  public readonly mountRef: StringValue;
  /** Graph value of the issuer id, when known. */
  public readonly issuerRef?: StringValue;
  /** CA certificate TTL in seconds, when known. */
  public readonly ttlSeconds?: number;
  /** Mount max lease TTL in seconds, when known. */
  public readonly maxLeaseTtlSeconds?: number;
  constructor(scope: Construct, id: string, attrs: RootCaAttributes) {
    super(scope, id);
    const spec = validateProps(
      this,
      rootCaSchema,
      omitUndefined({ mount: attrs.mountPath, source: "existing", ttl: attrs.ttl, maxLeaseTtl: attrs.maxLeaseTtl }),
    );
    this.mountPath = spec.mount;
    this.mountRef = spec.mount;
    this.issuerRef = attrs.issuerRef;
    this.ttlSeconds = spec.ttl;
    this.maxLeaseTtlSeconds = spec.maxLeaseTtl;
  }
}

/**
 * A PKI mount holding a root CA generated in Vault: `vault_mount` (type pki, max lease TTL at
 * least the root's TTL), `vault_pki_secret_backend_root_cert` (`type = "internal"`,
 * `lifecycle.prevent_destroy`), the default issuer set explicitly, and URL / CRL config when given.
 */
export class RootCa extends Construct implements IRootCa {
  /**
   * Use a root CA that already exists in `mountPath` ("import existing"; creates nothing). Give
   * `ttl` and `maxLeaseTtl` so intermediates are checked against them; without them an
   * intermediate says, as a synthesis warning, that it could not check.
   */
  public static fromMountPath(scope: Construct, id: string, attrs: RootCaAttributes): IRootCa {
    return new ImportedRootCa(scope, id, attrs);
  }

  /** Mount path as a literal. */
  public readonly mountPath: string;
  /** Graph value of the mount path. */
  public readonly mountRef: StringValue;
  /** Graph value of the issuer id, when known. */
  public readonly issuerRef?: StringValue;
  /** CA certificate TTL in seconds, when known. */
  public readonly ttlSeconds?: number;
  /** Mount max lease TTL in seconds, when known. */
  public readonly maxLeaseTtlSeconds?: number;
  /** The mount (escape hatch). */
  public readonly mount: Mount;
  /** The root certificate resource (escape hatch). */
  public readonly certificate: PkiSecretBackendRootCert;

  constructor(scope: Construct, id: string, props: RootCaProps) {
    super(scope, id);
    const raw = validateProps(this, rootCaSchema, rootCaInput(props));
    throwIssues(
      this,
      checkPki({ root: raw, intermediates: [] }).map((i) => ({ path: i.path.slice(1), message: i.message })),
    );
    const spec = canonicalizePki({ root: raw, intermediates: [] }).root;
    const fragment = rootCaFragment(spec, { owner: ownerOf(this), namespace: namespaceOf(this) });
    const rendered = renderDescriptors(this, fragment.resources);
    const ids = createdIds(fragment.ids);
    this.mount = rendered.get(ids.mount) as Mount;
    this.certificate = rendered.get(ids.certificate) as PkiSecretBackendRootCert;
    this.mountPath = spec.mount;
    this.mountRef = fragment.outputs.mountPath;
    this.issuerRef = fragment.outputs.issuerId;
    this.ttlSeconds = spec.ttl;
    this.maxLeaseTtlSeconds = spec.maxLeaseTtl;
  }

  /** The root certificate (PEM), a deploy-time token. */
  public get certificatePem(): string {
    return this.certificate.certificate;
  }
}
