/**
 * LDAP auth: users log in with directory credentials; directory groups map to policies.
 * `vault_ldap_auth_backend` mounts the method itself. The bind password goes through the
 * write-only `bindpass_wo` from an ephemeral variable: never in plan or state, sent on create
 * and whenever `bindpassVersion` changes (so bump it to push a new password); the provider cannot
 * read it back, so drift on it is never seen.
 */
import { Construct } from "constructs";
import { AuthMountAttributes, importAuthMount } from "../../model/kinds/auth/auth-mount";
import { ldapFragment, ldapAuthSchema, LdapAuthProps, ldapInput } from "../../model/kinds/auth/ldap";
import type { ILdapAuth } from "../../model/kinds/auth/ldap";
import { buildAuth } from "./auth-method-build";

export type { ILdapAuth, LdapAuthProps, LdapGroupOptions } from "../../model/kinds/auth/ldap";

/** An existing Ldap auth mount. */
class ImportedLdapAuth extends Construct implements ILdapAuth {
  /** The method type. */
  public readonly methodType = "ldap";
  /** Mount path under `auth/`. */
  public readonly path: string;
  /** The mount accessor, when given. */
  public readonly accessor?: string;
  constructor(scope: Construct, id: string, attrs: AuthMountAttributes) {
    super(scope, id);
    const ref = importAuthMount(`LdapAuth.fromPath(${this.node.path})`, "ldap", attrs);
    this.path = ref.path;
    this.accessor = ref.accessor;
  }
}

/** `vault_ldap_auth_backend` and one `vault_ldap_auth_backend_group` per group. */
export class LdapAuth extends Construct implements ILdapAuth {
  /** Use an existing Ldap auth mount (creates nothing): its path, and its accessor when identity aliases need it. */
  public static fromPath(scope: Construct, id: string, attrs: AuthMountAttributes): ILdapAuth {
    return new ImportedLdapAuth(scope, id, attrs);
  }

  /** The method type. */
  public readonly methodType = "ldap";
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: LdapAuthProps) {
    super(scope, id);
    const { spec } = buildAuth(this, ldapAuthSchema, ldapInput(props), ldapFragment);
    this.path = spec.path;
  }
}
