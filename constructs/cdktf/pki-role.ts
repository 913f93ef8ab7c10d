/** A PKI role from a template (server, client, code-signing), pinned to its issuer. */
import { PathRule } from "../../policies/policy-document";
import { PkiSecretBackendRole } from "@cdktf/provider-vault/lib/pki-secret-backend-role";
import { Construct } from "constructs";
import {
  pkiRoleDescriptor,
  checkPkiRole,
  pkiRoleSchema,
  PkiRoleOptions,
  PkiRoleGrants,
  pkiRoleInput,
  withRoleKeyBits,
  IPkiRole,
  PkiRoleAttributes,
  importPkiRole,
} from "../../model/kinds/pki";
import { IPolicyGrantee, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, portableValue, renderDescriptors } from "./graph-renderer";
import { ICertificateIssuer } from "./certificate-issuer";

export type { IPkiRole, PkiRoleAttributes } from "../../model/kinds/pki";

/** An existing PKI role: its name and CA mount, the same grants as a created role. */
class ImportedPkiRole extends Construct implements IPkiRole {
  private readonly grants: PkiRoleGrants;
  constructor(scope: Construct, id: string, attrs: PkiRoleAttributes) {
    super(scope, id);
    this.grants = importPkiRole(`PkiRole.fromRole(${this.node.path})`, attrs);
  }
  /** @inheritdoc */
  public get roleName(): string {
    return this.grants.roleName;
  }
  /** @inheritdoc */
  public get mountPath(): string {
    return this.grants.mountPath;
  }
  /** @inheritdoc */
  public grantIssue(policy: IPolicyGrantee): PathRule[] {
    return this.grants.grantIssue(policy);
  }
  /** @inheritdoc */
  public grantSign(policy: IPolicyGrantee): PathRule[] {
    return this.grants.grantSign(policy);
  }
  /** @inheritdoc */
  public grantRevoke(policy: IPolicyGrantee): PathRule[] {
    return this.grants.grantRevoke(policy);
  }
}

/** Props of {@link PkiRole}. */
export interface PkiRoleProps extends PkiRoleOptions {
  /** The CA the role issues from (its mount and issuer). */
  readonly issuer: ICertificateIssuer;
}

/**
 * `vault_pki_secret_backend_role` on the issuer's mount with `issuer_ref` pinned to it. TTLs are
 * emitted as seconds (a duration string would diff against Vault's read-back forever), and the
 * TTLs are checked against the mount's max TTL and the CA's own lifetime.
 */
export class PkiRole extends Construct implements IPkiRole {
  /** Use an existing role (creates nothing): its name and the mount of the CA it belongs to. */
  public static fromRole(scope: Construct, id: string, attrs: PkiRoleAttributes): IPkiRole {
    return new ImportedPkiRole(scope, id, attrs);
  }

  /** Role name. */
  public readonly roleName: string;
  /** The issuer's mount path. */
  public readonly mountPath: string;
  /** The provider resource (escape hatch). */
  public readonly resource: PkiSecretBackendRole;

  constructor(scope: Construct, id: string, props: PkiRoleProps) {
    super(scope, id);
    const { issuer, ...options } = props;
    const spec = withRoleKeyBits(validateProps(this, pkiRoleSchema, pkiRoleInput(options)));
    throwIssues(this, checkPkiRole(spec, { mount: issuer.mountPath, maxLeaseTtl: issuer.maxLeaseTtlSeconds, ttl: issuer.ttlSeconds }));
    const d = pkiRoleDescriptor(
      spec,
      { mountPath: portableValue(issuer, this, issuer.mountRef), issuerId: portableValue(issuer, this, issuer.issuerRef) },
      { owner: ownerOf(this), namespace: namespaceOf(this) },
    );
    this.resource = renderDescriptors(this, [d]).get(d.id) as PkiSecretBackendRole;
    this.roleName = spec.name;
    this.mountPath = issuer.mountPath;
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
