/**
 * A Terraform stack with the Vault provider configured for vaultsmith constructs: the provider
 * version constraint set to every 5.x from 5.8.0, the target server declared for feature checks,
 * and no address, token or CA in the configuration (`VAULT_ADDR` / `VAULT_TOKEN` / `VAULT_CACERT`
 * at deploy). Without a backend of the caller's, state is local in the project folder, at a path
 * that does not depend on the folder the app ran in (see `state-location.ts`).
 */
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { App, LocalBackend, TerraformBackend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { TargetServer, targetSchema } from "../../model/target";
import { VaultTarget, validateProps } from "./base";
import { localStatePath } from "./state-location";

/**
 * Provider versions vaultsmith stacks accept. @cdktf/provider-vault 15.6.1 pins exactly "5.6.0"
 * in `required_providers`, which would refuse newer providers. The floor is 5.8.0: the LDAP bind
 * password and the OIDC client secret are sent through the write-only `bindpass_wo` and
 * `oidc_client_secret_wo`, which 5.7.0 added, and 5.8.0 fixed the upgrade from `bindpass`
 * (the old value stayed in state, provider changelog #2813) — the upgrade every stack synthesized
 * before the write-only arguments goes through. Tested with 5.11.0 (`npm run test:deploy`).
 */
export const VAULT_PROVIDER_CONSTRAINT = ">= 5.8.0, < 6.0.0";

/** Props of {@link VaultStack}. */
export interface VaultStackProps {
  /** The server the stack deploys to; gates namespaces, Sentinel and lease-count quotas. */
  readonly target: TargetServer;
  /** Provider namespace (every resource is created relative to it). @default the root namespace */
  readonly providerNamespace?: string;
  /** Let the provider use the given token instead of minting a child token. @default true */
  readonly skipChildToken?: boolean;
}

/** A stack with the provider and the target declared. */
export class VaultStack extends TerraformStack {
  /** The declared target. */
  public readonly target: TargetServer;
  /** The provider (escape hatch). */
  public readonly provider: VaultProvider;

  constructor(scope: Construct, id: string, props: VaultStackProps) {
    super(scope, id);
    this.target = validateProps(this, targetSchema, props.target);
    VaultTarget.set(this, this.target);
    if (props.providerNamespace !== undefined) VaultTarget.require(this, "namespaces");
    this.provider = new VaultProvider(this, "vault", {
      skipChildToken: props.skipChildToken ?? true,
      ...(props.providerNamespace !== undefined ? { namespace: props.providerNamespace } : {}),
    });
    this.addOverride("terraform.required_providers.vault.version", VAULT_PROVIDER_CONSTRAINT);
  }

  /**
   * The backend the caller added (an `S3Backend`, …), else local state in the project folder
   * at a path relative to the stack's working directory, instead of cdktf's absolute path under
   * the current folder. cdktf asks for it when it prepares the stack and when another stack
   * reads this one's outputs, so both see the same path.
   */
  public override ensureBackendExists(): TerraformBackend {
    const own = this.node.findAll().find((c): c is TerraformBackend => TerraformBackend.isBackend(c));
    return own ?? new LocalBackend(this, { path: localStatePath(App.of(this).outdir, this.node.id) });
  }
}
