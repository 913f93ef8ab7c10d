import { KubernetesAuth } from "../../../../constructs/pulumi/kubernetes-auth";
import { registered, settle, useMocks } from "./pulumi-harness";

describe("KubernetesAuth", () => {
  it("mount, config and roles on that mount", async () => {
    await useMocks();
    const auth = new KubernetesAuth("k8s", {
      kubernetesHost: "https://kubernetes.default.svc",
      roles: [{ name: "web", serviceAccountNames: ["web"], serviceAccountNamespaces: ["prod"], policies: ["web"] }],
    });
    await settle();
    expect(auth.path).toBe("kubernetes");
    expect(registered().map((r) => [r.type, r.name])).toEqual([
      ["vaultsmith:auth:KubernetesAuth", "k8s"],
      ["vault:index/authBackend:AuthBackend", "k8s-mount"],
      ["vault:kubernetes/authBackendConfig:AuthBackendConfig", "k8s-config"],
      ["vault:kubernetes/authBackendRole:AuthBackendRole", "k8s-role-web"],
    ]);
    expect(registered()[2].inputs).toEqual({ backend: "ref:k8s-mount.path", kubernetesHost: "https://kubernetes.default.svc" });
  });
});
