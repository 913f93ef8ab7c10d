/**
 * Namespaces are real on OpenBao: the policies a TenantStack puts inside a tenant's Namespace
 * construct are written into that real namespace (plain HTTP API, no Terraform) and scope the
 * tenant's token to its own mounts. On Vault CE the namespace API does not exist — which is why
 * the Namespace construct is refused for a Vault CE target.
 */
import { Testing } from "cdktf";
import { request } from "undici";
import { TenantStack } from "../../../../stacks/tenant-stack";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { selectedFlavors } from "../../../support/server-binaries";

async function api(
  server: DevServer,
  method: "GET" | "PUT" | "POST",
  path: string,
  body?: unknown,
  namespace?: string,
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { "x-vault-token": server.token };
  if (namespace) headers["x-vault-namespace"] = namespace;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await request(`${server.address}/v1/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? (JSON.parse(text) as unknown) : {} };
}

describe.each(selectedFlavors())("tenant namespaces against a real %s dev server", (flavor) => {
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer(flavor);
  });

  afterAll(async () => {
    await server?.stop();
  });

  if (flavor === "openbao") {
    it("the tenant's policies are accepted inside its namespace and confine its token there", async () => {
      const stack = new TenantStack(Testing.app(), "tenants", {
        target: { edition: "openbao", version: "2.6.1" },
        tenants: [{ name: "acme", transitKeys: ["orders"] }],
      });
      const json = JSON.parse(Testing.synth(stack)) as {
        resource: { vault_policy: Record<string, { name: string; policy: string; namespace: string }> };
      };
      const policies = Object.values(json.resource.vault_policy);
      expect(policies.every((p) => /^\$\{vault_namespace\..+\.path_fq\}$/.test(p.namespace))).toBe(true);

      expect((await api(server, "PUT", "sys/namespaces/acme", {})).status).toBe(200);
      for (const p of policies) {
        expect((await api(server, "PUT", `sys/policies/acl/${p.name}`, { policy: p.policy }, "acme")).status).toBe(204);
      }
      const stored = await api(server, "GET", "sys/policies/acl/acme-reader", undefined, "acme");
      expect(stored.body).toMatchObject({ data: { name: "acme-reader", policy: policies.find((p) => p.name === "acme-reader")!.policy } });
      expect((await api(server, "GET", "sys/policies/acl/acme-reader")).status).toBe(404); // not in the root namespace

      const created = await api(
        server,
        "POST",
        "auth/token/create",
        { policies: ["acme-reader"], no_default_policy: true, ttl: "5m" },
        "acme",
      );
      const token = (created.body as { auth: { client_token: string } }).auth.client_token;
      const caps = await api(
        server,
        "POST",
        "sys/capabilities",
        { token, paths: ["secret/data/app", "secret/metadata/app", "transit/encrypt/orders"] },
        "acme",
      );
      expect(caps.body).toMatchObject({
        "secret/data/app": ["read"],
        "secret/metadata/app": ["list", "read"],
        "transit/encrypt/orders": ["deny"],
      });
    });
  } else {
    it("Vault CE has no namespace API (so the Namespace construct is refused for it)", async () => {
      const res = await api(server, "PUT", "sys/namespaces/acme", {});
      expect(res.status).toBeGreaterThanOrEqual(400);
    });
  }
});
