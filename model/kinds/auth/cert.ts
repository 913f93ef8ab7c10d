/**
 * The TLS certificate auth kind: schema, graph fragment and construct props.
 */
import { AttrRef, compact, FragmentOptions, namespaceField, nonEmpty, ownerId, ResourceDescriptor, sortedSet } from "../../graph";
import {
  authMount,
  AuthMountProps,
  AuthRoleTokenOptions,
  tokenAttributes,
  authMountFields,
  authRolesSchema,
  IAuthMount,
} from "./auth-mount";
import { z } from "zod";

/** TLS certificate auth. */
export const certAuthSchema = z.strictObject({
  ...authMountFields("cert"),
  roles: authRolesSchema({
    certificate: z.string().includes("BEGIN CERTIFICATE", { message: "expected a PEM certificate" }),
    allowedCommonNames: z.array(z.string()).default([]),
    allowedDnsSans: z.array(z.string()).default([]),
    allowedOrganizationalUnits: z.array(z.string()).default([]),
  }),
});

/** Canonical cert auth. */
export type CertAuthSpec = z.output<typeof certAuthSchema>;

/** TLS certificate auth: mount and roles (trusted CA per role). */
export function certAuthFragment(spec: CertAuthSpec, options: FragmentOptions): { resources: ResourceDescriptor[]; path: AttrRef } {
  const owner = ownerId(options.owner);
  const mount = authMount(owner, "cert", spec.path, spec.description, spec.tune, options);
  const path = new AttrRef(mount.id, "path");
  const roles = spec.roles.map((r): ResourceDescriptor => ({
    type: "vault_cert_auth_backend_role",
    id: `${owner}.role-${r.name}`,
    attributes: compact({
      backend: path,
      name: r.name,
      certificate: r.certificate,
      allowed_common_names: nonEmpty(sortedSet(r.allowedCommonNames)),
      allowed_dns_sans: nonEmpty(sortedSet(r.allowedDnsSans)),
      allowed_organizational_units: nonEmpty(sortedSet(r.allowedOrganizationalUnits)),
      ...tokenAttributes(r),
      ...namespaceField(options),
    }),
  }));
  return { resources: [mount, ...roles], path };
}

/** One cert role (a trusted CA plus constraints). */
export interface CertRoleOptions extends AuthRoleTokenOptions {
  /** Role name. */
  readonly name: string;
  /** PEM CA certificate clients must chain to (e.g. an intermediate CA's). */
  readonly certificate: string;
  /** Allowed common names (globs allowed). @default any */
  readonly allowedCommonNames?: readonly string[];
  /** Allowed DNS SANs. @default any */
  readonly allowedDnsSans?: readonly string[];
  /** Allowed OUs. @default any */
  readonly allowedOrganizationalUnits?: readonly string[];
}

/** Props of `CertAuth`. */
export interface CertAuthProps extends AuthMountProps {
  /** Roles. @default none */
  readonly roles?: readonly CertRoleOptions[];
}

/** A Cert auth mount, created here or imported: what other stacks reference it by. */
export interface ICertAuth extends IAuthMount {
  /** The method type. */
  readonly methodType: "cert";
}
