/** Kubernetes auth: pods log in with their service-account token. */
import { Construct } from "constructs";
import { kubernetesFragment } from "../../model/graph-auth";
import { checkKubernetes } from "../../model/rules";
import { kubernetesAuthSchema } from "../../model/schema";
import { buildAuth } from "./auth-build";
import { KubernetesAuthProps, authWithRolesInput } from "../common/auth-props";

export type { KubernetesAuthProps, KubernetesRoleOptions } from "../common/auth-props";

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
