/**
 * An SSH secrets engine in CA mode: the mount, a signing key Vault generates (the private key
 * never leaves Vault) and signing roles. Hosts trust `ca.publicKey` (`TrustedUserCAKeys`).
 */
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { SshSecretBackendCa } from "@cdktf/provider-vault/lib/ssh-secret-backend-ca";
import { SshSecretBackendRole } from "@cdktf/provider-vault/lib/ssh-secret-backend-role";
import { Construct } from "constructs";
import { PathRule } from "../../policies/policy-document";
import {
  ISshSecrets,
  SshGrants,
  SshSecretsAttributes,
  SshSecretsProps,
  checkSsh,
  importSshSecrets,
  sshFragment,
  sshInput,
  sshSchema,
} from "../../model/kinds/ssh";
import { IPolicyGrantee, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";

export type { ISshSecrets, SshRoleOptions, SshSecretsAttributes, SshSecretsProps } from "../../model/kinds/ssh";

/** An existing SSH engine: the role names it was told about, the same grant as a created one. */
class ImportedSshSecrets extends Construct implements ISshSecrets {
  private readonly grants: SshGrants;
  constructor(scope: Construct, id: string, attrs: SshSecretsAttributes) {
    super(scope, id);
    this.grants = importSshSecrets(`SshSecrets.fromMountPath(${this.node.path})`, attrs);
  }
  /** @inheritdoc */
  public get mountPath(): string {
    return this.grants.mountPath;
  }
  /** @inheritdoc */
  public get roleNames(): ReadonlySet<string> {
    return this.grants.roleNames;
  }
  /** @inheritdoc */
  public grantSign(policy: IPolicyGrantee, roleName: string): PathRule[] {
    return this.grants.grantSign(policy, roleName);
  }
}

/** `vault_mount` (type ssh), `vault_ssh_secret_backend_ca` (generated key) and one `vault_ssh_secret_backend_role` per role. */
export class SshSecrets extends Construct implements ISshSecrets {
  /** Use an existing SSH engine (creates nothing); grants may name only the roles in `roleNames`. */
  public static fromMountPath(scope: Construct, id: string, attrs: SshSecretsAttributes): ISshSecrets {
    return new ImportedSshSecrets(scope, id, attrs);
  }

  /** Mount path. */
  public readonly mountPath: string;
  /** The mount (escape hatch). */
  public readonly mount: Mount;
  /** The CA (escape hatch; `ca.publicKey` is what hosts trust). */
  public readonly ca: SshSecretBackendCa;
  private readonly roles = new Map<string, SshSecretBackendRole>();

  constructor(scope: Construct, id: string, props: SshSecretsProps = {}) {
    super(scope, id);
    const spec = validateProps(this, sshSchema, sshInput(props));
    throwIssues(this, checkSsh(spec));
    const fragment = sshFragment(spec, { owner: ownerOf(this), namespace: namespaceOf(this) });
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.ids.mount) as Mount;
    this.ca = rendered.get(fragment.ids.ca) as SshSecretBackendCa;
    for (const [name, rid] of fragment.ids.roles) this.roles.set(name, rendered.get(rid) as SshSecretBackendRole);
    this.mountPath = spec.mount;
  }

  /** Names of the roles this engine creates. */
  public get roleNames(): ReadonlySet<string> {
    return new Set(this.roles.keys());
  }

  /** The provider resource of role `name` (escape hatch). */
  public role(name: string): SshSecretBackendRole {
    const r = this.roles.get(name);
    if (!r) throw new Error(`SshSecrets ${this.node.path}: no role "${name}"`);
    return r;
  }

  /** Grant `update` on `<mount>/sign/<role>` (sign a public key); refuses a role this engine does not have. */
  public grantSign(policy: IPolicyGrantee, roleName: string): PathRule[] {
    return new SshGrants(this.mountPath, new Set(this.roles.keys()), this.node.path).grantSign(policy, roleName);
  }
}
