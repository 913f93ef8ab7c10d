/** TLS certificate auth: clients log in with a certificate issued by a trusted CA. */
import { Construct } from "constructs";
import { certAuthFragment, certAuthSchema, CertAuthProps } from "../../model/kinds/auth/cert";
import { buildAuth } from "./auth-method-build";
import { authWithRolesInput } from "../../model/kinds/auth/auth-mount";

export type { CertAuthProps, CertRoleOptions } from "../../model/kinds/auth/cert";

/** `vault_auth_backend` (cert) and one `vault_cert_auth_backend_role` per role. */
export class CertAuth extends Construct {
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: CertAuthProps = {}) {
    super(scope, id);
    const { spec } = buildAuth(this, certAuthSchema, authWithRolesInput(props), certAuthFragment);
    this.path = spec.path;
  }
}
