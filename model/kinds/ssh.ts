/**
 * The SSH secrets engine kind (certificate authority mode): a `vault_mount` of type `ssh`, its
 * signing key (`vault_ssh_secret_backend_ca`, generated inside Vault so the private key never
 * appears in configuration or state) and signing roles (`vault_ssh_secret_backend_role` with
 * `key_type = "ca"`): schema, cross-field rules, graph fragment with named outputs, construct
 * props and the `grantSign` grant.
 */
import { z } from "zod";
import { PathRule } from "../../policies/policy-document";
import { describeSeconds, durationSeconds } from "../duration";
import { mountPathField, resourceName } from "../fields";
import { PolicyGrantee, grantRules } from "../grants";
import { AttrRef, FragmentOptions, ResourceDescriptor, compact, namespaceField, ownerId, sortedSet } from "../graph";
import { RawIssue, omitUndefined, validateLabelled } from "../validation";

/** Key types of a CA signing key Vault generates (the provider's default is `ssh-rsa`). */
export const SSH_CA_KEY_TYPES = ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"] as const;

/** A CA key type Vault can generate. */
export type SshCaKeyType = (typeof SSH_CA_KEY_TYPES)[number];

/** Signature algorithms an `ssh-rsa` CA may sign with (`algorithm_signer`). */
export const SSH_RSA_SIGNERS = ["rsa-sha2-256", "rsa-sha2-512"] as const;

/** A signature algorithm of an `ssh-rsa` CA. */
export type SshRsaSigner = (typeof SSH_RSA_SIGNERS)[number];

/** An SSH signing role: which certificates it signs (user or host) and for which principals. */
export const sshRoleSchema = z.strictObject({
  name: resourceName,
  /** `user` certificates log users in; `host` certificates prove a server's identity to clients. */
  certType: z.enum(["user", "host"]),
  /** User certificates: principals (login names) a request may name; `*` allows any. */
  allowedUsers: z.array(z.string().min(1)).default([]),
  /** User certificates: the principal used when a request names none. */
  defaultUser: z.string().min(1).optional(),
  /** Host certificates: domains a host certificate may be signed for. */
  allowedDomains: z.array(z.string().min(1)).default([]),
  allowSubdomains: z.boolean().default(false),
  allowBareDomains: z.boolean().default(false),
  /** Extensions every certificate gets (user certificates: `permit-pty` and friends). */
  defaultExtensions: z.record(z.string(), z.string()).default({}),
  /** Extensions a request may add. */
  allowedExtensions: z.array(z.string().min(1)).default([]),
  ttl: durationSeconds,
  maxTtl: durationSeconds.optional(),
  /** Key id template of signed certificates (e.g. `{{role_name}}-{{token_display_name}}`). */
  keyIdFormat: z.string().optional(),
  /** Signature algorithm for an `ssh-rsa` CA. */
  algorithmSigner: z.enum(SSH_RSA_SIGNERS).optional(),
});

/** An SSH secrets engine with its CA and roles. */
export const sshSchema = z.strictObject({
  mount: mountPathField,
  description: z.string().optional(),
  /** Mount max lease TTL; every role's max TTL must fit. */
  maxLeaseTtl: durationSeconds.optional(),
  /** Type of the CA key Vault generates. */
  caKeyType: z.enum(SSH_CA_KEY_TYPES).default("ssh-ed25519"),
  /** Size of an `ssh-rsa` CA key. */
  caKeyBits: z.number().int().optional(),
  roles: z.array(sshRoleSchema).default([]),
});

/** Canonical SSH secrets engine. */
export type SshSpec = z.output<typeof sshSchema>;
/** Canonical SSH role. */
export type SshRoleSpec = z.output<typeof sshRoleSchema>;

/** Check an SSH engine; paths relative to the engine. */
export function checkSsh(ssh: SshSpec): RawIssue[] {
  const out: RawIssue[] = [];
  if (ssh.caKeyBits !== undefined && ssh.caKeyType !== "ssh-rsa") {
    out.push({ path: ["caKeyBits"], message: `caKeyBits is for an ssh-rsa CA; the size of a ${ssh.caKeyType} key is implied by its type` });
  } else if (ssh.caKeyBits !== undefined && ![2048, 3072, 4096].includes(ssh.caKeyBits)) {
    out.push({ path: ["caKeyBits"], message: `caKeyBits ${ssh.caKeyBits} is not valid for ssh-rsa (allowed: 2048, 3072, 4096)` });
  }
  const names = new Set<string>();
  ssh.roles.forEach((role, i) => {
    const at = (field: string): PropertyKey[] => ["roles", i, field];
    if (names.has(role.name)) out.push({ path: at("name"), message: `role "${role.name}" is declared twice` });
    names.add(role.name);
    if (role.certType === "user") {
      if (role.allowedUsers.length === 0 && role.defaultUser === undefined) {
        out.push({ path: at("allowedUsers"), message: `user role "${role.name}" allows no principals: set allowedUsers or defaultUser` });
      }
      for (const key of ["allowedDomains", "allowSubdomains", "allowBareDomains"] as const) {
        if (key === "allowedDomains" ? role.allowedDomains.length > 0 : role[key]) {
          out.push({
            path: at(key),
            message: `${key} is for host certificates; user role "${role.name}" names principals in allowedUsers`,
          });
        }
      }
    } else {
      if (role.allowedDomains.length === 0) {
        out.push({ path: at("allowedDomains"), message: `host role "${role.name}" allows no hosts: set allowedDomains` });
      }
      if (role.allowedUsers.length > 0 || role.defaultUser !== undefined) {
        out.push({
          path: at(role.allowedUsers.length > 0 ? "allowedUsers" : "defaultUser"),
          message: `allowedUsers and defaultUser are for user certificates; host role "${role.name}" names hosts in allowedDomains`,
        });
      }
    }
    if (role.algorithmSigner !== undefined && ssh.caKeyType !== "ssh-rsa") {
      out.push({ path: at("algorithmSigner"), message: `algorithmSigner applies to an ssh-rsa CA; this CA is ${ssh.caKeyType}` });
    }
    const max = role.maxTtl ?? role.ttl;
    // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
    if (role.maxTtl !== undefined && role.ttl > role.maxTtl) {
      out.push({
        path: at("ttl"),
        message: `role TTL ${describeSeconds(role.ttl)} exceeds the role max TTL ${describeSeconds(role.maxTtl)}`,
      });
    }
    // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
    if (ssh.maxLeaseTtl !== undefined && max > ssh.maxLeaseTtl) {
      out.push({
        path: at(role.maxTtl !== undefined ? "maxTtl" : "ttl"),
        message: `role TTL ${describeSeconds(max)} exceeds the mount max TTL ${describeSeconds(ssh.maxLeaseTtl)} of "${ssh.mount}"`,
      });
    }
  });
  return out;
}

/** Logical ids of an SSH fragment's resources: the mount, the CA and each role by name. */
export interface SshIds {
  readonly mount: string;
  readonly ca: string;
  readonly roles: ReadonlyMap<string, string>;
}

/** A signing role on `backend`; TTLs as strings of seconds, the form the provider reads back. */
export function sshRoleDescriptor(spec: SshRoleSpec, backend: AttrRef, caId: string, options: FragmentOptions): ResourceDescriptor {
  const list = (values: readonly string[]): string | undefined => (values.length > 0 ? sortedSet(values).join(",") : undefined);
  return {
    type: "vault_ssh_secret_backend_role",
    id: `${ownerId(options.owner)}.role-${spec.name}`,
    // Signing needs the CA: create the role after it, destroy it before.
    dependsOn: [caId],
    attributes: compact({
      backend,
      name: spec.name,
      key_type: "ca",
      allow_user_certificates: spec.certType === "user",
      allow_host_certificates: spec.certType === "host",
      allowed_users: list(spec.allowedUsers),
      default_user: spec.defaultUser,
      allowed_domains: list(spec.allowedDomains),
      allow_subdomains: spec.allowSubdomains,
      allow_bare_domains: spec.allowBareDomains,
      default_extensions: Object.keys(spec.defaultExtensions).length > 0 ? { ...spec.defaultExtensions } : undefined,
      allowed_extensions: list(spec.allowedExtensions),
      ttl: String(spec.ttl),
      max_ttl: spec.maxTtl === undefined ? undefined : String(spec.maxTtl),
      key_id_format: spec.keyIdFormat,
      algorithm_signer: spec.algorithmSigner,
      ...namespaceField(options),
    }),
  };
}

/** An SSH mount, its generated CA and its roles; `publicKey` is the CA key hosts trust. */
export function sshFragment(
  spec: SshSpec,
  options: FragmentOptions,
): { resources: ResourceDescriptor[]; mountPath: AttrRef; publicKey: AttrRef; ids: SshIds } {
  const owner = ownerId(options.owner);
  const opts = { ...options, owner };
  const mount: ResourceDescriptor = {
    type: "vault_mount",
    id: `${owner}.mount`,
    attributes: compact({
      path: spec.mount,
      type: "ssh",
      description: spec.description,
      max_lease_ttl_seconds: spec.maxLeaseTtl,
      ...namespaceField(options),
    }),
  };
  const mountPath = new AttrRef(mount.id, "path");
  const ca: ResourceDescriptor = {
    type: "vault_ssh_secret_backend_ca",
    id: `${owner}.ca`,
    attributes: compact({
      backend: mountPath,
      generate_signing_key: true,
      key_type: spec.caKeyType,
      key_bits: spec.caKeyBits,
      ...namespaceField(options),
    }),
  };
  const roles = spec.roles.map((r) => sshRoleDescriptor(r, mountPath, ca.id, opts));
  return {
    resources: [mount, ca, ...roles],
    mountPath,
    publicKey: new AttrRef(ca.id, "public_key"),
    ids: { mount: mount.id, ca: ca.id, roles: new Map(spec.roles.map((r, i) => [r.name, roles[i].id])) },
  };
}

/** One signing role. */
export interface SshRoleOptions {
  /** Role name (`<mount>/sign/<name>`). */
  readonly name: string;
  /** `user` certificates log users in; `host` certificates identify servers. */
  readonly certType: "user" | "host";
  /** User certificates: principals a request may name (`*` = any). @default none (then `defaultUser` is needed) */
  readonly allowedUsers?: readonly string[];
  /** User certificates: principal used when a request names none. @default none */
  readonly defaultUser?: string;
  /** Host certificates: domains a certificate may be signed for. @default none (required for host roles) */
  readonly allowedDomains?: readonly string[];
  /** Host certificates: allow subdomains of `allowedDomains`. @default false */
  readonly allowSubdomains?: boolean;
  /** Host certificates: allow the domains themselves. @default false */
  readonly allowBareDomains?: boolean;
  /** Extensions every certificate carries, e.g. `{ "permit-pty": "" }`. @default none */
  readonly defaultExtensions?: Readonly<Record<string, string>>;
  /** Extensions a request may add. @default none */
  readonly allowedExtensions?: readonly string[];
  /** Certificate TTL. */
  readonly ttl: string | number;
  /** Longest TTL a request may ask for. @default the mount's */
  readonly maxTtl?: string | number;
  /** Key id template of signed certificates. @default Vault's (`vault-<token display name>-<key hash>`) */
  readonly keyIdFormat?: string;
  /** Signature algorithm of an `ssh-rsa` CA. @default Vault's */
  readonly algorithmSigner?: SshRsaSigner;
}

/** Props of `SshSecrets`. */
export interface SshSecretsProps {
  /** Mount path. @default "ssh" */
  readonly mountPath?: string;
  /** Mount description. @default none */
  readonly description?: string;
  /** Mount max lease TTL; every role's max TTL must fit. @default the system max */
  readonly maxLeaseTtl?: string | number;
  /** Type of the CA key Vault generates (the private key never leaves Vault). @default "ssh-ed25519" */
  readonly caKeyType?: SshCaKeyType;
  /** Size of an `ssh-rsa` CA key. @default Vault's */
  readonly caKeyBits?: number;
  /** Signing roles. @default none */
  readonly roles?: readonly SshRoleOptions[];
}

/** Model input of an SSH engine. */
export function sshInput(props: SshSecretsProps): Record<string, unknown> {
  return omitUndefined({
    ...props,
    mount: props.mountPath ?? "ssh",
    mountPath: undefined,
    roles: (props.roles ?? []).map((r) => omitUndefined({ ...r })),
  });
}

/** Construct props of a validated SSH spec (the estate builder's mapping). */
export function sshProps({ mount, ...spec }: SshSpec): SshSecretsProps {
  return { ...spec, mountPath: mount };
}

/** `update` on `<mount>/sign/<role>`: sign a public key with the role. */
export function sshSignRule(mountPath: string, roleName: string): PathRule {
  return { path: `${mountPath}/sign/${roleName}`, capabilities: ["update"] };
}

/** An SSH secrets engine, created here or imported: its mount, its known roles and its grants. */
export interface ISshSecrets {
  /** Mount path as a literal. */
  readonly mountPath: string;
  /** Names of the roles grants may name (created ones, or those an importer was told about). */
  readonly roleNames: ReadonlySet<string>;
  /** Grant `update` on `<mount>/sign/<role>`; refuses a role the engine is not known to have. */
  grantSign(policy: PolicyGrantee, roleName: string): PathRule[];
}

/** What an importer of an existing SSH secrets engine is told. */
export interface SshSecretsAttributes {
  /** Mount path of the existing engine. */
  readonly mountPath: string;
  /** Names of its roles that grants may name (nothing is read from Vault at synthesis). */
  readonly roleNames: readonly string[];
}

const sshImportSchema = z.strictObject({ mountPath: mountPathField, roleNames: z.array(resourceName).min(1, "name at least one role") });

/**
 * Validate the attributes of an imported SSH engine and return its grants.
 * @throws ModelValidationError naming `label` and the field
 */
export function importSshSecrets(label: string, attrs: SshSecretsAttributes): SshGrants {
  const spec = validateLabelled(label, sshImportSchema, { ...attrs, roleNames: [...(attrs.roleNames ?? [])] });
  return new SshGrants(spec.mountPath, new Set(spec.roleNames), label, true);
}

/** The one implementation of the SSH grants, for both engines. */
export class SshGrants implements ISshSecrets {
  constructor(
    public readonly mountPath: string,
    public readonly roleNames: ReadonlySet<string>,
    private readonly label: string,
    private readonly imported = false,
  ) {}

  /** Grant signing public keys with role `roleName`; refuses a role the engine does not have. */
  public grantSign(policy: PolicyGrantee, roleName: string): PathRule[] {
    if (!this.roleNames.has(roleName)) {
      const known = [...this.roleNames].join(", ") || "none";
      throw new Error(
        this.imported
          ? `${this.label}: no role "${roleName}" among the roles it was told about (${known}); add it to roleNames if the engine has it`
          : `SshSecrets ${this.label}: no role "${roleName}" (roles: ${known})`,
      );
    }
    return grantRules(policy, [sshSignRule(this.mountPath, roleName)]);
  }
}
