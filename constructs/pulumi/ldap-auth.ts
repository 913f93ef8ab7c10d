/** LDAP auth: users log in with directory credentials; directory groups map to policies. The bind password is a Pulumi secret from the stack config. */
import * as pulumi from "@pulumi/pulumi";
import { AuthMountAttributes, importAuthMount } from "../../model/kinds/auth/auth-mount";
import type { ILdapAuth } from "../../model/kinds/auth/ldap";
import { LdapAuthProps, ldapInput, ldapFragment, ldapAuthSchema } from "../../model/kinds/auth/ldap";
import { validateAuth } from "./auth-method-validation";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { ILdapAuth, LdapAuthProps, LdapGroupOptions } from "../../model/kinds/auth/ldap";

/** Component `vaultsmith:auth:LdapAuth`: `vault_ldap_auth_backend` (mounts itself) and one `vault_ldap_auth_backend_group` per group. */
export class LdapAuth extends VaultComponent implements ILdapAuth {
  /** Use an existing Ldap auth mount (registers nothing): its path, and its accessor when identity aliases need it. */
  public static fromPath(name: string, attrs: AuthMountAttributes): ILdapAuth {
    return importAuthMount(`LdapAuth.fromPath(${name})`, "ldap", attrs);
  }

  /** The method type. */
  public readonly methodType = "ldap";
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
