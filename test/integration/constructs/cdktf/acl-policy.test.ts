/**
 * The policies the constructs synthesize are accepted by a real server as written, are stored
 * byte for byte (so `vault_policy` never shows a perpetual diff), and grant exactly what their
 * `grant*` methods document. No Terraform is involved: the HCL is taken from the synthesized
 * stack and written with the plain HTTP API.
 */
import { Testing } from "cdktf";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AclPolicy } from "../../../../constructs/cdktf/acl-policy";
import { buildEstate } from "../../../../stacks/estate-constructs";
import { CassandraCertManagerStack } from "../../../../stacks/cassandra-cert-manager-stack";
import { TenantStack } from "../../../../stacks/tenant-stack";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { loadEstateYaml } from "../../../../model/estate-loader";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { call } from "../../../support/harness-http";
import { selectedFlavors } from "../../../support/server-binaries";

interface Synth {
  resource: { vault_policy: Record<string, { name: string; policy: string }> };
}

function policiesOf(stack: VaultStack): { name: string; policy: string }[] {
  return Object.values((JSON.parse(Testing.synth(stack)) as Synth).resource.vault_policy);
}

function synthesizedPolicies(): { name: string; policy: string }[] {
  const cassandra = CassandraCertManagerStack.fromOptions(Testing.app(), "cassandra", { target: { edition: "openbao", version: "2.6.1" } });
  const grants = new AclPolicy(cassandra, "grants", { policyName: "every-grant" });
  cassandra.kv.grantReadWrite(grants, "apps/+/config");
  cassandra.kv.grantDelete(grants, "apps/*");
  cassandra.kv.grantDestroy(grants, "apps/*");
  cassandra.kv.grantList(grants);
  cassandra.transit.grantEncryptDecrypt(grants, "cassandra-encryption");
  cassandra.serverRole.grantSign(grants);
  cassandra.serverRole.grantRevoke(grants);
  cassandra.appRole.grantReadRoleId(grants, "cassandra-cert-manager");
  cassandra.appRole.grantCreateSecretId(grants, "cassandra-cert-manager");
  grants.allow("secret/data/{{identity.entity.id}}/*", ["read"], {
    allowedParameters: { version: [] },
    maxWrappingTtl: "1h",
    minWrappingTtl: "1m",
  });
  grants.deny("secret/data/cassandra/root");

  const tenants = new TenantStack(Testing.app(), "tenants", {
    target: { edition: "openbao", version: "2.6.1" },
    tenants: [{ name: "acme", transitKeys: ["orders"] }],
  });
  const estate = loadEstateYaml(readFileSync(join(__dirname, "../../../fixtures/constructs/full-estate.yaml"), "utf8"), { env: {} });
  const full = new VaultStack(Testing.app(), "full", { target: estate.target });
  buildEstate(full, { ...estate, namespace: undefined, namespaces: [], sentinelPolicies: [], leaseCountQuotas: [] });
  return [...policiesOf(cassandra), ...policiesOf(tenants), ...policiesOf(full)];
}

describe.each(selectedFlavors())("synthesized ACL policies against a real %s dev server", (flavor) => {
  let server: DevServer;
  const policies = synthesizedPolicies();

  beforeAll(async () => {
    server = await startDevServer(flavor);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("synthesizes a useful set of policies", () => {
    expect(policies.map((p) => p.name).sort()).toEqual([
      "acme-admin",
      "acme-reader",
      "cassandra-cert-manager",
      "cassandra-cert-manager",
      "every-grant",
    ]);
  });

  it("the server accepts every policy and stores it byte for byte", async () => {
    for (const { name, policy } of policies) {
      const put = await call(server.address, "PUT", `sys/policies/acl/${name}`, { token: server.token, body: { policy } });
      expect({ name, status: put.status, body: put.body }).toEqual({ name, status: 204, body: {} });
      const get = await call<{ data: { name: string; policy: string } }>(server.address, "GET", `sys/policies/acl/${name}`, {
        token: server.token,
      });
      expect(get.status).toBe(200);
      expect(get.body.data).toMatchObject({ name, policy });
    }
  });

  it("the Cassandra manager's policy grants exactly its documented capabilities", async () => {
    const manager = policies.find((p) => p.name === "cassandra-cert-manager")!;
    await call(server.address, "PUT", "sys/policies/acl/cassandra-cert-manager", { token: server.token, body: { policy: manager.policy } });
    const created = await call<{ auth: { client_token: string } }>(server.address, "POST", "auth/token/create", {
      token: server.token,
      body: { policies: ["cassandra-cert-manager"], no_default_policy: true, ttl: "5m" },
    });
    expect(created.status).toBe(200);
    const token = created.body.auth.client_token;
    const paths = [
      "pki/issue/server-cert",
      "pki/issue/client-cert",
      "pki/issue/other",
      "pki-root/root/sign-intermediate",
      "secret/data/cassandra/prod/credentials",
      "secret/metadata/cassandra/prod/credentials",
      "secret/data/other-app/x",
      "secret/destroy/cassandra/prod/credentials",
      "transit/encrypt/cassandra-encryption",
      "transit/decrypt/cassandra-encryption",
      "transit/keys/cassandra-encryption",
      "database/creds/cassandra-app",
      "sys/policies/acl/cassandra-cert-manager",
    ];
    // Asked with the root token about the limited one (capabilities-self would need the default policy).
    const caps = await call<Record<string, string[]>>(server.address, "POST", "sys/capabilities", {
      token: server.token,
      body: { token, paths },
    });
    expect(caps.status).toBe(200);
    expect(Object.fromEntries(paths.map((p) => [p, caps.body[p]]))).toEqual({
      "pki/issue/server-cert": ["update"],
      "pki/issue/client-cert": ["update"],
      "pki/issue/other": ["deny"],
      "pki-root/root/sign-intermediate": ["deny"],
      "secret/data/cassandra/prod/credentials": ["create", "patch", "read", "update"],
      "secret/metadata/cassandra/prod/credentials": ["list", "read"],
      "secret/data/other-app/x": ["deny"],
      "secret/destroy/cassandra/prod/credentials": ["deny"],
      "transit/encrypt/cassandra-encryption": ["update"],
      "transit/decrypt/cassandra-encryption": ["update"],
      "transit/keys/cassandra-encryption": ["deny"],
      "database/creds/cassandra-app": ["read"],
      "sys/policies/acl/cassandra-cert-manager": ["deny"],
    });
  });
});
