/** A root CA: generated inside Vault (key `internal`, `protect: true` by default) or an existing one. */
import * as pulumi from "@pulumi/pulumi";
import { omitUndefined, throwLabelled, validateLabelled } from "../../model/validation";
import {
  RootCaAttributes,
  RootCaProps,
  rootCaInput,
  createdIds,
  rootCaFragment,
  canonicalizePki,
  checkPki,
  rootCaSchema,
} from "../../model/kinds/pki";
import { StringValue } from "../../model/graph";
import { labelOf } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { RootCaAttributes, RootCaProps } from "../../model/kinds/pki";

/** A root CA other components can chain to. */
export interface IRootCa {
  /** Mount path as a literal (for policies and messages). */
  readonly mountPath: string;
  /** Graph value of the mount path (a reference when this program creates the mount). */
  readonly mountRef: StringValue;
  /** Graph value of the root issuer id, when known. */
  readonly issuerRef?: StringValue;
  /** Certificate TTL in seconds, when known (intermediates are checked against it). */
  readonly ttlSeconds?: number;
  /** Mount max lease TTL in seconds, when known. */
  readonly maxLeaseTtlSeconds?: number;
  /** The component whose resources the references point to, when created in this program. */
  readonly component?: pulumi.ComponentResource;
}

/**
 * A PKI mount holding a root CA generated in Vault (component `vaultsmith:pki:RootCa`):
 * `vault_mount` (type pki), `vault_pki_secret_backend_root_cert` (`type = "internal"`, resource
 * option `protect: true` unless `protect: false`), the default issuer set explicitly, and URL /
 * CRL config when given.
 */
export class RootCa extends VaultComponent implements IRootCa {
  /**
   * Use a root CA that already exists in `mountPath` ("import existing"; no resource is created).
   * Give `ttl` and `maxLeaseTtl` so intermediates are checked against them; without them an
   * intermediate says, as a Pulumi warning, that it could not check.
   */
  public static fromMountPath(name: string, attrs: RootCaAttributes): IRootCa {
    const spec = validateLabelled(
      `ImportedRootCa(${name})`,
      rootCaSchema,
      omitUndefined({ mount: attrs.mountPath, source: "existing", ttl: attrs.ttl, maxLeaseTtl: attrs.maxLeaseTtl }),
    );
    return {
      mountPath: spec.mount,
      mountRef: spec.mount,
      issuerRef: attrs.issuerRef,
      ttlSeconds: spec.ttl,
      ...(spec.maxLeaseTtl !== undefined ? { maxLeaseTtlSeconds: spec.maxLeaseTtl } : {}),
    };
  }

  /** Mount path as a literal. */
  public readonly mountPath: string;
  /** Graph value of the mount path. */
  public readonly mountRef: StringValue;
  /** Graph value of the issuer id. */
  public readonly issuerRef?: StringValue;
  /** CA certificate TTL in seconds. */
  public readonly ttlSeconds?: number;
  /** Mount max lease TTL in seconds. */
  public readonly maxLeaseTtlSeconds?: number;
  /** This component (references resolve among its resources). */
  public readonly component: pulumi.ComponentResource;
  /** The mount (escape hatch). */
  public readonly mount: pulumi.CustomResource;
  /** The root certificate resource (escape hatch). */
  public readonly certificate: pulumi.CustomResource;

  constructor(name: string, props: RootCaProps, opts?: pulumi.ComponentResourceOptions) {
    const label = labelOf("RootCa", name, opts?.parent);
    const raw = validateLabelled(label, rootCaSchema, rootCaInput(props));
    throwLabelled(
      label,
      checkPki({ root: raw, intermediates: [] }).map((i) => ({ path: i.path.slice(1), message: i.message })),
    );
    const spec = canonicalizePki({ root: raw, intermediates: [] }).root;
    super("vaultsmith:pki:RootCa", name, opts);
    const fragment = rootCaFragment(spec, this.fragmentOptions(opts));
    const rendered = renderDescriptors(this, fragment.resources);
    const ids = createdIds(fragment.ids);
    this.mount = rendered.get(ids.mount) as pulumi.CustomResource;
    this.certificate = rendered.get(ids.certificate) as pulumi.CustomResource;
    this.mountPath = spec.mount;
    this.mountRef = fragment.outputs.mountPath;
    this.issuerRef = fragment.outputs.issuerId;
    this.ttlSeconds = spec.ttl;
    this.maxLeaseTtlSeconds = spec.maxLeaseTtl;
    this.component = this;
    this.registerOutputs({ mountPath: this.mountPath, certificatePem: this.certificatePem });
  }

  /** The root certificate (PEM), known at deploy time. */
  public get certificatePem(): pulumi.Output<string> {
    return (this.certificate as unknown as { certificate: pulumi.Output<string> }).certificate;
  }
}
