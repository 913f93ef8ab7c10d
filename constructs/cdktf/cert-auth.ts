/** TLS certificate auth: clients log in with a certificate issued by a trusted CA. */
import { Construct } from "constructs";
import { AuthMountAttributes, importAuthMount } from "../../model/kinds/auth/auth-mount";
import { certAuthFragment, certAuthSchema, CertAuthProps } from "../../model/kinds/auth/cert";
import type { ICertAuth } from "../../model/kinds/auth/cert";
import { buildAuth } from "./auth-method-build";
import { authWithRolesInput } from "../../model/kinds/auth/auth-mount";

export type { ICertAuth, CertAuthProps, CertRoleOptions } from "../../model/kinds/auth/cert";

/** An existing Cert auth mount. */
class ImportedCertAuth extends Construct implements ICertAuth {
  /** The method type. */
  public readonly methodType = "cert";
  /** Mount path under `auth/`. */
  public readonly path: string;
  /** The mount accessor, when given. */
  public readonly accessor?: string;
  constructor(scope: Construct, id: string, attrs: AuthMountAttributes) {
    super(scope, id);
    const ref = importAuthMount(`CertAuth.fromPath(${this.node.path})`, "cert", attrs);
    this.path = ref.path;
    this.accessor = ref.accessor;
  }
}

/** `vault_auth_backend` (cert) and one `vault_cert_auth_backend_role` per role. */
export class CertAuth extends Construct implements ICertAuth {
  /** Use an existing Cert auth mount (creates nothing): its path, and its accessor when identity aliases need it. */
  public static fromPath(scope: Construct, id: string, attrs: AuthMountAttributes): ICertAuth {
    return new ImportedCertAuth(scope, id, attrs);
  }

  /** The method type. */
  public readonly methodType = "cert";
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: CertAuthProps = {}) {
    super(scope, id);
    const { spec } = buildAuth(this, certAuthSchema, authWithRolesInput(props), certAuthFragment);
    this.path = spec.path;
  }
}
