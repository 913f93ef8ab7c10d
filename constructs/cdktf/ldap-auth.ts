/**
 * LDAP auth: users log in with directory credentials; directory groups map to policies.
 * `vault_ldap_auth_backend` mounts the method itself. The bind password has no write-only
 * argument in provider 5.6.0: it comes from a sensitive variable and is kept in state, and the
 * provider cannot detect drift on it.
 */
import { Construct } from "constructs";
import { ldapFragment } from "../model/graph-auth";
import { ldapAuthSchema } from "../model/schema";
import { IAclPolicy, policyNames } from "./base";
import { AuthMountProps, buildAuth } from "./auth-common";

/** A directory group and the policies its members get. */
export interface LdapGroupOptions {
  /** Group name as the directory reports it. */
  readonly name: string;
  /** Policies for members. */
  readonly policies: readonly (IAclPolicy | string)[];
}

/** Props of {@link LdapAuth}. */
export interface LdapAuthProps extends AuthMountProps {
  /** Directory URL (`ldaps://` recommended). */
  readonly url: string;
  /** Base DN of users. @default none */
  readonly userdn?: string;
  /** User attribute (e.g. `uid`, `sAMAccountName`). @default provider default */
  readonly userattr?: string;
  /** Base DN of groups. @default none */
  readonly groupdn?: string;
  /** Group filter template. @default provider default */
  readonly groupfilter?: string;
  /** Group name attribute. @default provider default */
  readonly groupattr?: string;
  /** UPN domain for Active Directory. @default none */
  readonly upndomain?: string;
  /** DN to bind with for searches. @default anonymous */
  readonly binddn?: string;
  /** Name of the sensitive variable holding the bind password. @default none */
  readonly bindpassVariable?: string;
  /** Use StartTLS. @default provider default */
  readonly starttls?: boolean;
  /** Skip TLS verification (never in production). @default false */
  readonly insecureTls?: boolean;
  /** PEM CA of the directory. @default system trust */
  readonly certificate?: string;
  /** Group → policy mappings. @default none */
  readonly groups?: readonly LdapGroupOptions[];
}

/** `vault_ldap_auth_backend` and one `vault_ldap_auth_backend_group` per group. */
export class LdapAuth extends Construct {
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: LdapAuthProps) {
    super(scope, id);
    const { bindpassVariable, groups, ...rest } = props;
    const { spec } = buildAuth(
      this,
      ldapAuthSchema,
      {
        ...rest,
        bindpass: bindpassVariable === undefined ? undefined : { variable: bindpassVariable },
        groups: (groups ?? []).map((g) => ({ name: g.name, policies: policyNames(g.policies) })),
      },
      ldapFragment,
    );
    this.path = spec.path;
  }
}
