/** TLS certificate auth: clients log in with a certificate issued by a trusted CA. */
import { Construct } from "constructs";
import { certAuthFragment } from "../model/graph-auth";
import { certAuthSchema } from "../model/schema";
import { AuthMountProps, AuthRoleTokenOptions, buildAuth, roleInput } from "./auth-common";

/** One cert role (a trusted CA plus constraints). */
export interface CertRoleOptions extends AuthRoleTokenOptions {
  /** Role name. */
  readonly name: string;
  /** PEM CA certificate clients must chain to (e.g. an {@link "./intermediate-ca".IntermediateCa}'s). */
  readonly certificate: string;
  /** Allowed common names (globs allowed). @default any */
  readonly allowedCommonNames?: readonly string[];
  /** Allowed DNS SANs. @default any */
  readonly allowedDnsSans?: readonly string[];
  /** Allowed OUs. @default any */
  readonly allowedOrganizationalUnits?: readonly string[];
}

/** Props of {@link CertAuth}. */
export interface CertAuthProps extends AuthMountProps {
  /** Roles. @default none */
  readonly roles?: readonly CertRoleOptions[];
}

/** `vault_auth_backend` (cert) and one `vault_cert_auth_backend_role` per role. */
export class CertAuth extends Construct {
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: CertAuthProps = {}) {
    super(scope, id);
    const { spec } = buildAuth(this, certAuthSchema, { ...props, roles: (props.roles ?? []).map(roleInput) }, certAuthFragment);
    this.path = spec.path;
  }
}
