import { HttpTransport } from "../../../../../runtime";
import { AuthLoginError, KubernetesAuth } from "../../../../../runtime";
import { DevServer, startDevServer } from "../../../../support/dev-server";
import { KubernetesTokenReviewStandIn } from "../../../../support/kubernetes-token-review-stand-in";
import { selectedFlavors } from "../../../../support/server-binaries";
import { admin, enableAuth, writePolicy } from "../../../../support/vault-admin";

describe.each(selectedFlavors())("Kubernetes login against a real %s server and the TokenReview stand-in", (flavor) => {
  let server: DevServer;
  let standIn: KubernetesTokenReviewStandIn;
  let transport: HttpTransport;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    standIn = await KubernetesTokenReviewStandIn.start();
    await enableAuth(server, "kubernetes", "k8s-east");
    await admin(server, "POST", "auth/k8s-east/config", {
      kubernetes_host: standIn.host,
      kubernetes_ca_cert: standIn.caCert,
      token_reviewer_jwt: standIn.reviewerJwt,
      pem_keys: [standIn.publicKeyPem],
      disable_local_ca_jwt: true,
    });
    await writePolicy(server, "payments-api", 'path "secret/data/payments/*" { capabilities = ["read"] }');
    await admin(server, "POST", "auth/k8s-east/role/payments", {
      bound_service_account_names: ["api"],
      bound_service_account_namespaces: ["payments"],
      token_policies: ["payments-api"],
      token_ttl: "15m",
    });
    transport = new HttpTransport({ address: server.address });
  });

  afterAll(async () => {
    await transport?.close();
    await standIn?.stop();
    await server?.stop();
  });

  it("logs in with a service-account JWT the TokenReview API vouches for", async () => {
    const jwt = standIn.issue({ namespace: "payments", name: "api", uid: "4a7b6c1e-0000-4000-8000-000000000001" });
    const reviewsBefore = standIn.reviews;
    const result = await new KubernetesAuth({ role: "payments", jwt: () => jwt, mountPath: "k8s-east" }).login(transport);
    expect(standIn.reviews).toBe(reviewsBefore + 1);
    expect(result.tokenPolicies).toEqual(expect.arrayContaining(["payments-api"]));
    expect(result.leaseDurationSeconds).toBe(900);
    expect(result.metadata).toMatchObject({
      service_account_name: "api",
      service_account_namespace: "payments",
      service_account_uid: "4a7b6c1e-0000-4000-8000-000000000001",
      role: "payments",
    });
  });

  it("refuses a service account outside the role's bindings, without the JWT in the error", async () => {
    const jwt = standIn.issue({ namespace: "payments", name: "batch" });
    const failure = await new KubernetesAuth({ role: "payments", jwt, mountPath: "k8s-east" }).login(transport).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthLoginError);
    const error = failure as AuthLoginError;
    expect(error).toMatchObject({ authMethod: "kubernetes", mountPath: "k8s-east", status: 403 });
    expect(error.errors.join(" ")).toMatch(/not authorized/);
    for (const text of [String(error), JSON.stringify(error)]) expect(text).not.toContain(jwt);
  });

  it("refuses a token the TokenReview API no longer vouches for", async () => {
    const jwt = standIn.issue({ namespace: "payments", name: "api" });
    standIn.revoke(jwt);
    const failure = await new KubernetesAuth({ role: "payments", jwt, mountPath: "k8s-east" }).login(transport).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthLoginError);
    expect((failure as AuthLoginError).status).toBe(403);
    expect(JSON.stringify(failure)).not.toContain(jwt);
  });
});
