/** An intermediate CA: CSR in its own mount, signed by its root, set-signed, default issuer set. */
import * as pulumi from "@pulumi/pulumi";
import {
  IntermediateCaOptions,
  PkiRoleOptions,
  intermediateCaInput,
  intermediateCaFragment,
  canonicalizePki,
  checkPki,
  intermediateCaSchema,
  rootCaSchema,
  IntermediateCaAttributes,
  importIntermediateCa,
  uncheckedRootLimits,
} from "../../model/kinds/pki";
import { throwLabelled, validateLabelled } from "../../model/validation";
import { StringValue } from "../../model/graph";
import { labelOf } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";
import { IRootCa } from "./root-ca";
import { ICertificateIssuer, PkiRole } from "./pki-role";

export type { IntermediateCaAttributes, IntermediateCaOptions } from "../../model/kinds/pki";

/** An intermediate CA, created here or imported: what roles are created against and checked with. */
export type IIntermediateCa = ICertificateIssuer;

/** Props of {@link IntermediateCa}. */
export interface IntermediateCaProps extends IntermediateCaOptions {
  /** The root that signs this intermediate. */
  readonly root: IRootCa;
}

/**
 * Component `vaultsmith:pki:IntermediateCa`: `vault_mount` (pki) → CSR (`internal` key) →
 * signature by the root → set-signed → optional issuer name → default issuer, plus URL / CRL
 * config when given.
 */
export class IntermediateCa extends VaultComponent implements IIntermediateCa {
  /**
   * Use an existing intermediate CA (registers nothing) so roles can be created on it.
   * `maxLeaseTtl` is required: every role TTL is checked against it.
   */
  public static fromMountPath(name: string, attrs: IntermediateCaAttributes): IIntermediateCa {
    return importIntermediateCa(`IntermediateCa.fromMountPath(${name})`, attrs);
  }

  /** As {@link IntermediateCa.fromMountPath}, pinned to the named issuer rather than the mount's default. */
  public static fromIssuer(name: string, attrs: IntermediateCaAttributes & { readonly issuerRef: string }): IIntermediateCa {
    return importIntermediateCa(`IntermediateCa.fromIssuer(${name})`, attrs);
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
  /** This component (references resolve among its resources). */
  public readonly component: pulumi.ComponentResource;
  /** The mount (escape hatch). */
  public readonly mount: pulumi.CustomResource;
  /** The signature by the root (escape hatch; `certificate`, `caChain` outputs). */
  public readonly signature: pulumi.CustomResource;

  constructor(name: string, props: IntermediateCaProps, opts?: pulumi.ComponentResourceOptions) {
    const label = labelOf("IntermediateCa", name, opts?.parent);
    const spec = validateLabelled(label, intermediateCaSchema, intermediateCaInput(props));
    const unchecked = uncheckedRootLimits(props.root);
    if (unchecked) void pulumi.log.warn(`${label}: ${unchecked}`);
    const rootSpec = rootCaSchema.parse({
      mount: props.root.mountPath,
      source: "existing",
      ttl: props.root.ttlSeconds,
      maxLeaseTtl: props.root.maxLeaseTtlSeconds,
    });
    throwLabelled(
      label,
      checkPki({ root: rootSpec, intermediates: [spec] }).map((i) => ({ path: i.path.slice(2), message: i.message })),
    );
    const canonical = canonicalizePki({ root: rootSpec, intermediates: [spec] }).intermediates[0];
    super("vaultsmith:pki:IntermediateCa", name, opts);
    const fragment = intermediateCaFragment(
      canonical,
      { mountPath: props.root.mountRef, issuerId: props.root.issuerRef },
      this.fragmentOptions(opts),
    );
    const rendered = renderDescriptors(this, fragment.resources, props.root.component ? [props.root.component] : []);
    this.mount = rendered.get(fragment.ids.mount) as pulumi.CustomResource;
    this.signature = rendered.get(fragment.ids.signature) as pulumi.CustomResource;
    this.mountPath = canonical.mount;
    this.mountRef = fragment.outputs.mountPath;
    this.issuerRef = fragment.outputs.issuerId;
    this.maxLeaseTtlSeconds = canonical.maxLeaseTtl;
    this.ttlSeconds = canonical.ttl;
    this.component = this;
    this.registerOutputs({ mountPath: this.mountPath });
  }

  /**
   * Add a role issuing from this CA, named `<this name>-<id>` and parented to it. For a role owned
   * by another program or stack on a shared CA, create it there: `new PkiRole(name, { issuer: ca, ... })`.
   */
  public addRole(id: string, options: PkiRoleOptions): PkiRole {
    return new PkiRole(`${this.componentName}-${id}`, { ...options, issuer: this }, { parent: this });
  }
}
