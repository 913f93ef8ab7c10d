import { toPlain } from "../../../../../model/graph";
import { kubernetesFragment, kubernetesAuthSchema } from "../../../../../model/kinds/auth/kubernetes";

describe("auth fragments", () => {
  it("Kubernetes: config and roles with sorted service accounts", () => {
    const spec = kubernetesAuthSchema.parse({
      kubernetesHost: "https://k8s.example.com:6443",
      roles: [{ name: "web", serviceAccountNames: ["web", "api"], serviceAccountNamespaces: ["prod"], policies: ["web"], tokenTtl: "20m" }],
    });
    const plain = toPlain(kubernetesFragment(spec, { owner: "k" }).resources);
    expect(plain.map((d) => d.type)).toEqual([
      "vault_auth_backend",
      "vault_kubernetes_auth_backend_config",
      "vault_kubernetes_auth_backend_role",
    ]);
    expect(plain[1].attributes).toEqual({ backend: "${k.mount.path}", kubernetes_host: "https://k8s.example.com:6443" });
    expect(plain[2].attributes).toEqual({
      backend: "${k.mount.path}",
      role_name: "web",
      bound_service_account_names: ["api", "web"],
      bound_service_account_namespaces: ["prod"],
      token_policies: ["web"],
      token_ttl: 1200,
    });
  });
});
