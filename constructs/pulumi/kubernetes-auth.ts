/** Kubernetes auth: pods log in with their service-account token. */
import * as pulumi from "@pulumi/pulumi";
import { AuthMountAttributes, importAuthMount } from "../../model/kinds/auth/auth-mount";
import type { IKubernetesAuth } from "../../model/kinds/auth/kubernetes";
import { authWithRolesInput } from "../../model/kinds/auth/auth-mount";
import { KubernetesAuthProps, kubernetesFragment, checkKubernetes, kubernetesAuthSchema } from "../../model/kinds/auth/kubernetes";
import { validateAuth } from "./auth-method-validation";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { IKubernetesAuth, KubernetesAuthProps, KubernetesRoleOptions } from "../../model/kinds/auth/kubernetes";

/** Component `vaultsmith:auth:KubernetesAuth`: `vault_auth_backend` (kubernetes), its config, roles. */
export class KubernetesAuth extends VaultComponent implements IKubernetesAuth {
  /** Use an existing Kubernetes auth mount (registers nothing): its path, and its accessor when identity aliases need it. */
  public static fromPath(name: string, attrs: AuthMountAttributes): IKubernetesAuth {
    return importAuthMount(`KubernetesAuth.fromPath(${name})`, "kubernetes", attrs);
  }

  /** The method type. */
  public readonly methodType = "kubernetes";
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
