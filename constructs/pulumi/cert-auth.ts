/** TLS certificate auth: clients log in with a certificate issued by a trusted CA. */
import * as pulumi from "@pulumi/pulumi";
import { AuthMountAttributes, importAuthMount } from "../../model/kinds/auth/auth-mount";
import type { ICertAuth } from "../../model/kinds/auth/cert";
import { authWithRolesInput } from "../../model/kinds/auth/auth-mount";
import { CertAuthProps, certAuthFragment, certAuthSchema } from "../../model/kinds/auth/cert";
import { validateAuth } from "./auth-method-validation";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { ICertAuth, CertAuthProps, CertRoleOptions } from "../../model/kinds/auth/cert";

/** Component `vaultsmith:auth:CertAuth`: `vault_auth_backend` (cert) and one `vault_cert_auth_backend_role` per role. */
export class CertAuth extends VaultComponent implements ICertAuth {
  /** Use an existing Cert auth mount (registers nothing): its path, and its accessor when identity aliases need it. */
  public static fromPath(name: string, attrs: AuthMountAttributes): ICertAuth {
    return importAuthMount(`CertAuth.fromPath(${name})`, "cert", attrs);
  }

  /** The method type. */
  public readonly methodType = "cert";
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
