/**
 * An SSH secrets engine in CA mode, as the component `vaultsmith:ssh:SshSecrets`: the mount, a
 * signing key Vault generates (the private key never leaves Vault) and signing roles.
 */
import * as pulumi from "@pulumi/pulumi";
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
import { throwLabelled, validateLabelled } from "../../model/validation";
import { IPolicyGrantee, labelOf } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { ISshSecrets, SshRoleOptions, SshSecretsAttributes, SshSecretsProps } from "../../model/kinds/ssh";

/** `vault_mount` (type ssh), `vault_ssh_secret_backend_ca` (generated key) and one `vault_ssh_secret_backend_role` per role. */
export class SshSecrets extends VaultComponent implements ISshSecrets {
  /** Use an existing SSH engine (registers nothing); grants may name only the roles in `roleNames`. */
  public static fromMountPath(name: string, attrs: SshSecretsAttributes): ISshSecrets {
    return importSshSecrets(`SshSecrets.fromMountPath(${name})`, attrs);
  }

  /** Names of the roles this engine creates. */
  public get roleNames(): ReadonlySet<string> {
    return new Set(this.roles.keys());
  }

  /** Mount path. */
  public readonly mountPath: string;
  /** The mount (escape hatch). */
  public readonly mount: pulumi.CustomResource;
  /** The CA (escape hatch; its `publicKey` is what hosts trust). */
  public readonly ca: pulumi.CustomResource;
  private readonly roles: Map<string, pulumi.CustomResource>;

  constructor(name: string, props: SshSecretsProps = {}, opts?: pulumi.ComponentResourceOptions) {
    const label = labelOf("SshSecrets", name, opts?.parent);
    const spec = validateLabelled(label, sshSchema, sshInput(props));
    throwLabelled(label, checkSsh(spec));
    super("vaultsmith:ssh:SshSecrets", name, opts);
    const fragment = sshFragment(spec, this.fragmentOptions(opts));
    const rendered = renderDescriptors(this, fragment.resources);
    this.mount = rendered.get(fragment.ids.mount) as pulumi.CustomResource;
    this.ca = rendered.get(fragment.ids.ca) as pulumi.CustomResource;
    this.roles = new Map([...fragment.ids.roles].map(([role, id]) => [role, rendered.get(id) as pulumi.CustomResource]));
    this.mountPath = spec.mount;
    this.registerOutputs({ mountPath: this.mountPath, roles: [...this.roles.keys()] });
  }

  /** The provider resource of role `name` (escape hatch). */
  public role(name: string): pulumi.CustomResource {
    const r = this.roles.get(name);
    if (!r) throw new Error(`SshSecrets ${this.componentName}: no role "${name}"`);
    return r;
  }

  /** Grant `update` on `<mount>/sign/<role>` (sign a public key); refuses a role this engine does not have. */
  public grantSign(policy: IPolicyGrantee, roleName: string): PathRule[] {
    return new SshGrants(this.mountPath, new Set(this.roles.keys()), this.componentName).grantSign(policy, roleName);
  }
}
