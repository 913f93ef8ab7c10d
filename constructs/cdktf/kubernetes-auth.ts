/** Kubernetes auth: pods log in with their service-account token. */
import { Construct } from "constructs";
import { AuthMountAttributes, importAuthMount } from "../../model/kinds/auth/auth-mount";
import { kubernetesFragment, checkKubernetes, kubernetesAuthSchema, KubernetesAuthProps } from "../../model/kinds/auth/kubernetes";
import type { IKubernetesAuth } from "../../model/kinds/auth/kubernetes";
import { buildAuth } from "./auth-method-build";
import { authWithRolesInput } from "../../model/kinds/auth/auth-mount";

export type { IKubernetesAuth, KubernetesAuthProps, KubernetesRoleOptions } from "../../model/kinds/auth/kubernetes";

/** An existing Kubernetes auth mount. */
class ImportedKubernetesAuth extends Construct implements IKubernetesAuth {
  /** The method type. */
  public readonly methodType = "kubernetes";
  /** Mount path under `auth/`. */
  public readonly path: string;
  /** The mount accessor, when given. */
  public readonly accessor?: string;
  constructor(scope: Construct, id: string, attrs: AuthMountAttributes) {
    super(scope, id);
    const ref = importAuthMount(`KubernetesAuth.fromPath(${this.node.path})`, "kubernetes", attrs);
    this.path = ref.path;
    this.accessor = ref.accessor;
  }
}

/** `vault_auth_backend` (kubernetes), `vault_kubernetes_auth_backend_config`, roles. */
export class KubernetesAuth extends Construct implements IKubernetesAuth {
  /** Use an existing Kubernetes auth mount (creates nothing): its path, and its accessor when identity aliases need it. */
  public static fromPath(scope: Construct, id: string, attrs: AuthMountAttributes): IKubernetesAuth {
    return new ImportedKubernetesAuth(scope, id, attrs);
  }

  /** The method type. */
  public readonly methodType = "kubernetes";
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: KubernetesAuthProps) {
    super(scope, id);
    const { spec } = buildAuth(this, kubernetesAuthSchema, authWithRolesInput(props), kubernetesFragment, checkKubernetes);
    this.path = spec.path;
  }
}
