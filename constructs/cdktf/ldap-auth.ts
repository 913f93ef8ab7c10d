/**
 * LDAP auth: users log in with directory credentials; directory groups map to policies.
 * `vault_ldap_auth_backend` mounts the method itself. The bind password goes through the
 * write-only `bindpass_wo` from an ephemeral variable: never in plan or state, sent on create
 * and whenever `bindpassVersion` changes (so bump it to push a new password); the provider cannot
 * read it back, so drift on it is never seen.
 */
import { Construct } from "constructs";
import { ldapFragment, ldapAuthSchema, LdapAuthProps, ldapInput } from "../../model/kinds/auth/ldap";
import { buildAuth } from "./auth-method-build";

export type { LdapAuthProps, LdapGroupOptions } from "../../model/kinds/auth/ldap";

/** `vault_ldap_auth_backend` and one `vault_ldap_auth_backend_group` per group. */
export class LdapAuth extends Construct {
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: LdapAuthProps) {
    super(scope, id);
    const { spec } = buildAuth(this, ldapAuthSchema, ldapInput(props), ldapFragment);
    this.path = spec.path;
  }
}
