/**
 * The smallest deployable estate: one KV v2 mount. The provider takes the server address and
 * token from `VAULT_ADDR` / `VAULT_TOKEN` at deploy time, so neither ever lands in the synthesized
 * JSON or in Terraform state.
 */
import { mount, provider } from "@cdktf/provider-vault";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { VAULT_PROVIDER_CONSTRAINT } from "../../constructs/cdktf/vault-stack";

/** Props of {@link OneMountStack}. */
export interface OneMountStackProps {
  /** Mount path of the KV v2 engine. @default "kv-demo" */
  readonly mountPath?: string;
}

/** Provider versions the stack accepts (moved to `constructs/cdktf/vault-stack.ts`). */
export { VAULT_PROVIDER_CONSTRAINT };

/** A stack with the Vault provider and one KV v2 mount. */
export class OneMountStack extends TerraformStack {
  /** The mount resource. */
  public readonly kv: mount.Mount;

  constructor(scope: Construct, id: string, props: OneMountStackProps = {}) {
    super(scope, id);
    new provider.VaultProvider(this, "vault", { skipChildToken: true });
    this.addOverride("terraform.required_providers.vault.version", VAULT_PROVIDER_CONSTRAINT);
    this.kv = new mount.Mount(this, "kv", {
      path: props.mountPath ?? "kv-demo",
      type: "kv",
      options: { version: "2" },
      description: "vaultsmith one-mount example (KV v2)",
    });
    new TerraformOutput(this, "kv_accessor", { value: this.kv.accessor });
  }
}
