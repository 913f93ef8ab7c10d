/**
 * The LDAP auth kind: schema, graph fragment and construct props.
 */
import { policyList, secretInputSchema, urlField } from "../../fields";
import { AttrRef, compact, FragmentOptions, namespaceField, ownerId, ResourceDescriptor, SecretInput, sortedSet } from "../../graph";
import { AuthMountProps, policyNames, PolicyRef, tuneBlock, authMountFields, IAuthMount } from "./auth-mount";
import { omitUndefined } from "../../validation";
import { z } from "zod";

/** LDAP auth. */
export const ldapAuthSchema = z.strictObject({
  ...authMountFields("ldap"),
  url: urlField,
  userdn: z.string().optional(),
  userattr: z.string().optional(),
  groupdn: z.string().optional(),
  groupfilter: z.string().optional(),
  groupattr: z.string().optional(),
  upndomain: z.string().optional(),
  binddn: z.string().optional(),
  bindpass: secretInputSchema.optional(),
  starttls: z.boolean().optional(),
  insecureTls: z.boolean().default(false),
  certificate: z.string().optional(),
  groups: z.array(z.strictObject({ name: z.string().min(1), policies: policyList })).default([]),
});

/** Canonical LDAP auth. */
export type LdapAuthSpec = z.output<typeof ldapAuthSchema>;

/** LDAP auth (mounts itself) and group → policy mappings. */
export function ldapFragment(spec: LdapAuthSpec, options: FragmentOptions): { resources: ResourceDescriptor[]; path: AttrRef } {
  const owner = ownerId(options.owner);
  const backend: ResourceDescriptor = {
    type: "vault_ldap_auth_backend",
    id: `${owner}.backend`,
    attributes: compact({
      path: spec.path,
      description: spec.description,
      url: spec.url,
      userdn: spec.userdn,
      userattr: spec.userattr,
      groupdn: spec.groupdn,
      groupfilter: spec.groupfilter,
      groupattr: spec.groupattr,
      upndomain: spec.upndomain,
      binddn: spec.binddn,
      // Write-only (provider >= 5.7; VaultStack requires 5.8, whose upgrade from `bindpass` clears
      // it from state): sent on create and when the version changes, never in plan or state.
      bindpass_wo: spec.bindpass ? new SecretInput(spec.bindpass.variable) : undefined,
      bindpass_wo_version: spec.bindpass?.version,
      starttls: spec.starttls,
      insecure_tls: spec.insecureTls,
      certificate: spec.certificate,
      tune: tuneBlock(spec.tune),
      ...namespaceField(options),
    }),
  };
  const path = new AttrRef(backend.id, "path");
  const groups = spec.groups.map((g): ResourceDescriptor => ({
    type: "vault_ldap_auth_backend_group",
    id: `${owner}.group-${g.name.replace(/[^A-Za-z0-9_-]/g, "-")}`,
    attributes: compact({ backend: path, groupname: g.name, policies: sortedSet(g.policies), ...namespaceField(options) }),
  }));
  return { resources: [backend, ...groups], path };
}

/** A directory group and the policies its members get. */
export interface LdapGroupOptions {
  /** Group name as the directory reports it. */
  readonly name: string;
  /** Policies for members. */
  readonly policies: readonly (PolicyRef | string)[];
}

/** Props of `LdapAuth`. */
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
  /** Name of the sensitive deploy-time input holding the bind password (sent write-only: `bindpass_wo`). @default none */
  readonly bindpassVariable?: string;
  /** Bump to send a new bind password (the write-only argument is only sent when this changes). @default 1 */
  readonly bindpassVersion?: number;
  /** Use StartTLS. @default provider default */
  readonly starttls?: boolean;
  /** Skip TLS verification (never in production). @default false */
  readonly insecureTls?: boolean;
  /** PEM CA of the directory. @default system trust */
  readonly certificate?: string;
  /** Group → policy mappings. @default none */
  readonly groups?: readonly LdapGroupOptions[];
}

/** Model input of LDAP auth (bind password as a secret input, group policies as names). */
export function ldapInput(props: LdapAuthProps): Record<string, unknown> {
  const { bindpassVariable, bindpassVersion, groups, ...rest } = props;
  return {
    ...rest,
    bindpass: bindpassVariable === undefined ? undefined : omitUndefined({ variable: bindpassVariable, version: bindpassVersion }),
    groups: (groups ?? []).map((g) => ({ name: g.name, policies: policyNames(g.policies) })),
  };
}

/** The props of LDAP auth: the bind password becomes its secret variable and version. */
export function ldapProps({ bindpass, ...ldap }: LdapAuthSpec): LdapAuthProps {
  return { ...ldap, bindpassVariable: bindpass?.variable, bindpassVersion: bindpass?.version };
}

/** A Ldap auth mount, created here or imported: what other stacks reference it by. */
export interface ILdapAuth extends IAuthMount {
  /** The method type. */
  readonly methodType: "ldap";
}
