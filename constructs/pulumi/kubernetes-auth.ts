/** Kubernetes auth: pods log in with their service-account token. */
import * as pulumi from "@pulumi/pulumi";
import { KubernetesAuthProps, authWithRolesInput } from "../common/auth-props";
import { kubernetesFragment } from "../../model/graph-auth";
import { checkKubernetes } from "../../model/rules";
import { kubernetesAuthSchema } from "../../model/schema";
import { validateAuth } from "./auth-build";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { KubernetesAuthProps, KubernetesRoleOptions } from "../common/auth-props";

/** Component `vaultsmith:auth:KubernetesAuth`: `vault_auth_backend` (kubernetes), its config, roles. */
export class KubernetesAuth extends VaultComponent {
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(name: string, props: KubernetesAuthProps, opts?: pulumi.ComponentResourceOptions) {
    const spec = validateAuth("KubernetesAuth", name, opts, kubernetesAuthSchema, authWithRolesInput(props), checkKubernetes);
    super("vaultsmith:auth:KubernetesAuth", name, opts);
    renderDescriptors(this, kubernetesFragment(spec, this.fragmentOptions(opts)).resources);
    this.path = spec.path;
    this.registerOutputs({ path: this.path });
  }
}
