/** Kubernetes auth: pods log in with their service-account token. */
import { Construct } from "constructs";
import { kubernetesFragment, checkKubernetes, kubernetesAuthSchema, KubernetesAuthProps } from "../../model/kinds/auth/kubernetes";
import { buildAuth } from "./auth-method-build";
import { authWithRolesInput } from "../../model/kinds/auth/auth-mount";

export type { KubernetesAuthProps, KubernetesRoleOptions } from "../../model/kinds/auth/kubernetes";

/** `vault_auth_backend` (kubernetes), `vault_kubernetes_auth_backend_config`, roles. */
export class KubernetesAuth extends Construct {
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: KubernetesAuthProps) {
    super(scope, id);
    const { spec } = buildAuth(this, kubernetesAuthSchema, authWithRolesInput(props), kubernetesFragment, checkKubernetes);
    this.path = spec.path;
  }
}
