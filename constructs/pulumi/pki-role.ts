/** A PKI role from a template (server, client, code-signing), pinned to its issuer. */
import { PathRule } from "../../policies/policy-document";
import * as pulumi from "@pulumi/pulumi";
import type { CertificateIssuer } from "../../model/kinds/pki";
import {
  PkiRoleOptions,
  PkiRoleGrants,
  pkiRoleInput,
  withRoleKeyBits,
  pkiRoleDescriptor,
  checkPkiRole,
  pkiRoleSchema,
  IPkiRole,
  PkiRoleAttributes,
  importPkiRole,
} from "../../model/kinds/pki";
import { throwLabelled, validateLabelled } from "../../model/validation";
import { IPolicyGrantee, labelOf } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { IPkiRole, PkiRoleAttributes, PkiRoleOptions, PkiRoleTemplate } from "../../model/kinds/pki";

/** A CA that roles issue from: the PKI kind's issuer shape plus the component that owns its resources. */
export interface ICertificateIssuer extends CertificateIssuer {
  /** The component whose resources the references point to, when created in this program. */
  readonly component?: pulumi.ComponentResource;
}

/** Props of {@link PkiRole}. */
export interface PkiRoleProps extends PkiRoleOptions {
  /** The CA the role issues from (its mount and issuer). */
  readonly issuer: ICertificateIssuer;
}

/**
 * `vault_pki_secret_backend_role` on the issuer's mount with `issuer_ref` pinned to it
 * (component `vaultsmith:pki:PkiRole`); TTLs in seconds, checked against the issuer.
 */
export class PkiRole extends VaultComponent implements IPkiRole {
  /** Use an existing role (registers nothing): its name and the mount of the CA it belongs to. */
  public static fromRole(name: string, attrs: PkiRoleAttributes): IPkiRole {
    return importPkiRole(`PkiRole.fromRole(${name})`, attrs);
  }

  /** Role name. */
  public readonly roleName: string;
  /** The issuer's mount path. */
  public readonly mountPath: string;
  /** The provider resource (escape hatch). */
  public readonly resource: pulumi.CustomResource;

  constructor(name: string, props: PkiRoleProps, opts?: pulumi.ComponentResourceOptions) {
    const { issuer, ...options } = props;
    const label = labelOf("PkiRole", name, opts?.parent);
    const spec = withRoleKeyBits(validateLabelled(label, pkiRoleSchema, pkiRoleInput(options)));
    throwLabelled(label, checkPkiRole(spec, { mount: issuer.mountPath, maxLeaseTtl: issuer.maxLeaseTtlSeconds, ttl: issuer.ttlSeconds }));
    super("vaultsmith:pki:PkiRole", name, opts);
    const d = pkiRoleDescriptor(spec, { mountPath: issuer.mountRef, issuerId: issuer.issuerRef }, this.fragmentOptions(opts));
    this.resource = renderDescriptors(this, [d], issuer.component ? [issuer.component] : []).get(d.id) as pulumi.CustomResource;
    this.roleName = spec.name;
    this.mountPath = issuer.mountPath;
    this.registerOutputs({ roleName: this.roleName, mountPath: this.mountPath });
  }

  private get grants(): PkiRoleGrants {
    return new PkiRoleGrants(this.mountPath, this.roleName);
  }

  /** Grant `update` on `<mount>/issue/<role>` (issue a certificate and key). */
  public grantIssue(policy: IPolicyGrantee): PathRule[] {
    return this.grants.grantIssue(policy);
  }

  /** Grant `update` on `<mount>/sign/<role>` (sign a CSR; the key never leaves the client). */
  public grantSign(policy: IPolicyGrantee): PathRule[] {
    return this.grants.grantSign(policy);
  }

  /** Grant `update` on `<mount>/revoke` (revoke by serial number) — broad: any certificate of the mount. */
  public grantRevoke(policy: IPolicyGrantee): PathRule[] {
    return this.grants.grantRevoke(policy);
  }
}
