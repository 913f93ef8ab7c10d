/** TLS certificate auth: clients log in with a certificate issued by a trusted CA. */
import * as pulumi from "@pulumi/pulumi";
import { authWithRolesInput } from "../../model/kinds/auth/auth-mount";
import { CertAuthProps, certAuthFragment, certAuthSchema } from "../../model/kinds/auth/cert";
import { validateAuth } from "./auth-method-validation";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { CertAuthProps, CertRoleOptions } from "../../model/kinds/auth/cert";

/** Component `vaultsmith:auth:CertAuth`: `vault_auth_backend` (cert) and one `vault_cert_auth_backend_role` per role. */
export class CertAuth extends VaultComponent {
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(name: string, props: CertAuthProps = {}, opts?: pulumi.ComponentResourceOptions) {
    const spec = validateAuth("CertAuth", name, opts, certAuthSchema, authWithRolesInput(props));
    super("vaultsmith:auth:CertAuth", name, opts);
    renderDescriptors(this, certAuthFragment(spec, this.fragmentOptions(opts)).resources);
    this.path = spec.path;
    this.registerOutputs({ path: this.path });
  }
}
