/** LDAP auth: users log in with directory credentials; directory groups map to policies. The bind password is a Pulumi secret from the stack config. */
import * as pulumi from "@pulumi/pulumi";
import { LdapAuthProps, ldapInput, ldapFragment, ldapAuthSchema } from "../../model/kinds/auth/ldap";
import { validateAuth } from "./auth-method-validation";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { LdapAuthProps, LdapGroupOptions } from "../../model/kinds/auth/ldap";

/** Component `vaultsmith:auth:LdapAuth`: `vault_ldap_auth_backend` (mounts itself) and one `vault_ldap_auth_backend_group` per group. */
export class LdapAuth extends VaultComponent {
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(name: string, props: LdapAuthProps, opts?: pulumi.ComponentResourceOptions) {
    const spec = validateAuth("LdapAuth", name, opts, ldapAuthSchema, ldapInput(props));
    super("vaultsmith:auth:LdapAuth", name, opts);
    renderDescriptors(this, ldapFragment(spec, this.fragmentOptions(opts)).resources);
    this.path = spec.path;
    this.registerOutputs({ path: this.path });
  }
}
