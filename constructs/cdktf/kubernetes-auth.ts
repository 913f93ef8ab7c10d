/** Kubernetes auth: pods log in with their service-account token. */
import { Construct } from "constructs";
import { kubernetesFragment } from "../model/graph-auth";
import { kubernetesAuthSchema } from "../model/schema";
import { AuthMountProps, AuthRoleTokenOptions, buildAuth, roleInput } from "./auth-common";

/** One Kubernetes role. */
export interface KubernetesRoleOptions extends AuthRoleTokenOptions {
  /** Role name. */
  readonly name: string;
  /** Service accounts allowed to log in. */
  readonly serviceAccountNames: readonly string[];
  /** Namespaces those service accounts live in. */
  readonly serviceAccountNamespaces: readonly string[];
  /** Required token audience. @default none */
  readonly audience?: string;
}

/** Props of {@link KubernetesAuth}. */
export interface KubernetesAuthProps extends AuthMountProps {
  /** URL of the Kubernetes API server (TokenReview). */
  readonly kubernetesHost: string;
  /** PEM CA of the API server. @default Vault's own CA bundle / in-cluster CA */
  readonly kubernetesCaCert?: string;
  /** Expected service-account token issuer. @default not checked */
  readonly issuer?: string;
  /** Skip issuer validation. @default provider default */
  readonly disableIssValidation?: boolean;
  /** Roles. @default none */
  readonly roles?: readonly KubernetesRoleOptions[];
}

/** `vault_auth_backend` (kubernetes), `vault_kubernetes_auth_backend_config`, roles. */
export class KubernetesAuth extends Construct {
  /** Mount path under `auth/`. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: KubernetesAuthProps) {
    super(scope, id);
    const { spec } = buildAuth(this, kubernetesAuthSchema, { ...props, roles: (props.roles ?? []).map(roleInput) }, kubernetesFragment);
    this.path = spec.path;
  }
}
