/**
 * The Kubernetes auth kind: schema, rules, graph fragment and construct props.
 */
import { urlField } from "../../fields";
import { AttrRef, compact, FragmentOptions, namespaceField, ownerId, ResourceDescriptor, sortedSet } from "../../graph";
import {
  authMount,
  AuthMountProps,
  AuthRoleTokenOptions,
  tokenAttributes,
  authMountFields,
  authRolesSchema,
  IAuthMount,
} from "./auth-mount";
import { RawIssue } from "../../validation";
import { z } from "zod";

/** Kubernetes auth. */
export const kubernetesAuthSchema = z.strictObject({
  ...authMountFields("kubernetes"),
  kubernetesHost: urlField,
  /**
   * PEM CA of the API server. Needed whenever Vault does not run in a pod of this cluster: only
   * there does Vault find the cluster's CA (and a reviewer JWT) in the pod's service-account files.
   */
  kubernetesCaCert: z.string().optional(),
  /** Vault runs in a pod of this cluster; `false` turns off the pod-local CA/JWT (`disable_local_ca_jwt`) and needs `kubernetesCaCert`. */
  vaultInCluster: z.boolean().optional(),
  issuer: z.string().optional(),
  disableIssValidation: z.boolean().optional(),
  roles: authRolesSchema({
    serviceAccountNames: z.array(z.string().min(1)).min(1),
    serviceAccountNamespaces: z.array(z.string().min(1)).min(1),
    audience: z.string().optional(),
  }),
});

/** Canonical Kubernetes auth. */
export type KubernetesAuthSpec = z.output<typeof kubernetesAuthSchema>;

/** Check Kubernetes auth; paths relative to the auth method. */
export function checkKubernetes(k: { vaultInCluster?: boolean; kubernetesCaCert?: string }): RawIssue[] {
  if (k.vaultInCluster === false && k.kubernetesCaCert === undefined) {
    return [
      {
        path: ["kubernetesCaCert"],
        message: "Vault outside the cluster has no pod-local CA: set kubernetesCaCert (the API server's PEM CA)",
      },
    ];
  }
  return [];
}

/** Kubernetes auth: mount, config (TokenReview host, CA) and roles. */
export function kubernetesFragment(spec: KubernetesAuthSpec, options: FragmentOptions): { resources: ResourceDescriptor[]; path: AttrRef } {
  const owner = ownerId(options.owner);
  const mount = authMount(owner, "kubernetes", spec.path, spec.description, spec.tune, options);
  const path = new AttrRef(mount.id, "path");
  const config: ResourceDescriptor = {
    type: "vault_kubernetes_auth_backend_config",
    id: `${owner}.config`,
    attributes: compact({
      backend: path,
      kubernetes_host: spec.kubernetesHost,
      kubernetes_ca_cert: spec.kubernetesCaCert,
      disable_local_ca_jwt: spec.vaultInCluster === undefined ? undefined : !spec.vaultInCluster,
      issuer: spec.issuer,
      disable_iss_validation: spec.disableIssValidation,
      ...namespaceField(options),
    }),
  };
  const roles = spec.roles.map((r): ResourceDescriptor => ({
    type: "vault_kubernetes_auth_backend_role",
    id: `${owner}.role-${r.name}`,
    attributes: compact({
      backend: path,
      role_name: r.name,
      bound_service_account_names: sortedSet(r.serviceAccountNames),
      bound_service_account_namespaces: sortedSet(r.serviceAccountNamespaces),
      audience: r.audience,
      ...tokenAttributes(r),
      ...namespaceField(options),
    }),
  }));
  return { resources: [mount, config, ...roles], path };
}

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

/** Props of `KubernetesAuth`. */
export interface KubernetesAuthProps extends AuthMountProps {
  /** URL of the Kubernetes API server (TokenReview). */
  readonly kubernetesHost: string;
  /**
   * PEM CA of the API server. Needed whenever Vault does not run in a pod of this cluster (only
   * there does Vault read the CA from the pod's service-account files). @default the pod-local CA
   */
  readonly kubernetesCaCert?: string;
  /** Vault runs in a pod of this cluster; `false` sets `disable_local_ca_jwt` and needs `kubernetesCaCert`. @default provider default */
  readonly vaultInCluster?: boolean;
  /** Expected service-account token issuer. @default not checked */
  readonly issuer?: string;
  /** Skip issuer validation. @default provider default */
  readonly disableIssValidation?: boolean;
  /** Roles. @default none */
  readonly roles?: readonly KubernetesRoleOptions[];
}

/** A Kubernetes auth mount, created here or imported: what other stacks reference it by. */
export interface IKubernetesAuth extends IAuthMount {
  /** The method type. */
  readonly methodType: "kubernetes";
}
