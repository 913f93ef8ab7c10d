/** A PKI role from a template (server, client, code-signing), pinned to its issuer. */
import * as pulumi from "@pulumi/pulumi";
import { PkiRoleOptions, pkiGrantRule, pkiRoleInput, withRoleKeyBits } from "../../model/kinds/pki";
import { throwLabelled, validateLabelled } from "../../model/validation";
import { StringValue } from "../../model/graph";
import { pkiRoleDescriptor } from "../../model/kinds/pki";
import { checkPkiRole } from "../../model/kinds/pki";
import { pkiRoleSchema } from "../../model/kinds/pki";
import { IPolicyGrantee, labelOf } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { PkiRoleOptions, PkiRoleTemplate } from "../../model/kinds/pki";

/** A CA that roles issue from. */
export interface ICertificateIssuer {
  /** Mount path as a literal. */
  readonly mountPath: string;
  /** Graph value of the mount path. */
  readonly mountRef: StringValue;
  /** Graph value of the issuer id roles are pinned to. */
  readonly issuerRef: StringValue;
  /** Mount max lease TTL in seconds. */
  readonly maxLeaseTtlSeconds: number;
  /** CA certificate TTL in seconds, when known. */
  readonly ttlSeconds?: number;
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
export class PkiRole extends VaultComponent {
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

  /** Grant `update` on `<mount>/issue/<role>` (issue a certificate and key). */
  public grantIssue(policy: IPolicyGrantee): void {
    policy.addRules(pkiGrantRule(this.mountPath, this.roleName, "issue"));
  }

  /** Grant `update` on `<mount>/sign/<role>` (sign a CSR; the key never leaves the client). */
  public grantSign(policy: IPolicyGrantee): void {
    policy.addRules(pkiGrantRule(this.mountPath, this.roleName, "sign"));
  }

  /** Grant `update` on `<mount>/revoke` (revoke by serial number) — broad: any certificate of the mount. */
  public grantRevoke(policy: IPolicyGrantee): void {
    policy.addRules(pkiGrantRule(this.mountPath, this.roleName, "revoke"));
  }
}
