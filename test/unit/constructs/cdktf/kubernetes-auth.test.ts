import { KubernetesAuth } from "../../../../constructs/cdktf/kubernetes-auth";
import { onlyResource, synth } from "./synth-helpers";

describe("KubernetesAuth", () => {
  it("mount, TokenReview config and a role bound to service accounts and policies", () => {
    const json = synth(
      (stack) =>
        new KubernetesAuth(stack, "k8s", {
          kubernetesHost: "https://kubernetes.default.svc:443",
          roles: [
            {
              name: "cassandra",
              serviceAccountNames: ["cassandra", "backup"],
              serviceAccountNamespaces: ["db"],
              audience: "vault",
              policies: ["cassandra-node"],
              tokenTtl: "15m",
            },
          ],
        }),
    );
    expect(onlyResource(json, "vault_auth_backend")).toEqual({ type: "kubernetes", path: "kubernetes" });
    expect(onlyResource(json, "vault_kubernetes_auth_backend_config")).toEqual({
      backend: expect.stringMatching(/^\$\{vault_auth_backend\./),
      kubernetes_host: "https://kubernetes.default.svc:443",
    });
    expect(onlyResource(json, "vault_kubernetes_auth_backend_role")).toEqual({
      backend: expect.stringMatching(/^\$\{vault_auth_backend\./),
      role_name: "cassandra",
      bound_service_account_names: ["backup", "cassandra"],
      bound_service_account_namespaces: ["db"],
      audience: "vault",
      token_policies: ["cassandra-node"],
      token_ttl: 900,
    });
  });

  it("Vault outside the cluster needs the API server's CA (no pod-local CA file there)", () => {
    const host = "https://k8s.example.com:6443";
    expect(() => synth((stack) => new KubernetesAuth(stack, "k8s", { kubernetesHost: host, vaultInCluster: false }))).toThrow(
      "KubernetesAuth(k8s).kubernetesCaCert: Vault outside the cluster has no pod-local CA: set kubernetesCaCert (the API server's PEM CA)",
    );
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const json = synth((stack) => new KubernetesAuth(stack, "k8s", { kubernetesHost: host, vaultInCluster: false, kubernetesCaCert: pem }));
    expect(onlyResource(json, "vault_kubernetes_auth_backend_config")).toMatchObject({
      kubernetes_host: host,
      kubernetes_ca_cert: pem,
      disable_local_ca_jwt: true,
    });
  });

  it("requires service accounts", () => {
    expect(() =>
      synth(
        (stack) =>
          new KubernetesAuth(stack, "k", {
            kubernetesHost: "https://k:6443",
            roles: [{ name: "r", serviceAccountNames: [], serviceAccountNamespaces: ["x"] }],
          }),
      ),
    ).toThrow(/KubernetesAuth\(k\)\.roles\[0\]\.serviceAccountNames/);
  });
});
