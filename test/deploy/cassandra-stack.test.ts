/**
 * Acceptance: the example app's Cassandra estate (`examples/cdktf`, as `cdktf synth` builds it)
 * applied with terraform and the real terraform-provider-vault to a fresh OpenBao dev server,
 * checked on the live server with the runtime, planned again (no changes, no drift), changed
 * through the API (drift names exactly the changed resources), and destroyed.
 *
 * The root CA certificate is protected (`prevent_destroy`), as documented: before the destroy it
 * leaves Terraform's management (`terraform state rm`), and destroying its mount takes it away.
 */
import { addCassandraEstate } from "../../examples/cdktf/cassandra-estate";
import { analysePlan } from "../../drift/plan-drift";
import { AppRoleAuth, POLICIES, VaultClient } from "../../runtime";
import { DevServer, startDevServer } from "../support/dev-server";
import { call } from "../support/harness-http";
import { StackRun } from "./support/stack-run";

const STACK = "cassandra-cert-manager";
const NAMESPACE = "cassandra-cert-manager";

/** Figures printed at the end, for the closing note. */
const figures: Record<string, string | number> = {};

describe("acceptance: the Cassandra estate applied to a real OpenBao with terraform", () => {
  let server: DevServer;
  let run: StackRun;
  let admin: VaultClient;
  const declaredPolicy = () => Object.values(run.resources.vault_policy)[0] as { name: string; policy: string };

  beforeAll(async () => {
    server = await startDevServer("openbao");
    admin = new VaultClient({ address: server.address, token: server.token, namespace: NAMESPACE, cache: false });
    // The example app's stack as `cdktf synth` builds it (examples/cdktf/main.ts), with a
    // Cassandra connection that is not verified (no Cassandra here).
    const started = Date.now();
    run = await StackRun.synthesize(
      STACK,
      (app) =>
        addCassandraEstate(app, {
          VAULTSMITH_TARGET: "openbao@2.6.1",
          CASSANDRA_HOSTS: "127.0.0.1",
          CASSANDRA_VERIFY_CONNECTION: "false",
          VAULT_ROLE_ID: "unused",
          VAULT_SECRET_ID: "unused",
        }),
      { VAULT_ADDR: server.address, VAULT_TOKEN: server.token, TF_VAR_cassandra_admin_password: "cassandra-admin-pw" },
    );
    figures.synth_init_s = +((Date.now() - started) / 1000).toFixed(1);
  });

  afterAll(async () => {
    await admin?.close();
    await server?.stop();
    process.stderr.write(
      `[deploy] cassandra-cert-manager: ${JSON.stringify({ provider: process.env.VAULTSMITH_DEPLOY_PROVIDER, ...figures })}\n`,
    );
  });

  it("applies to a fresh server in one go", async () => {
    const apply = await run.tf(["apply", "-input=false", "-auto-approve"]);
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: "" });
    figures.apply_s = +(apply.ms / 1000).toFixed(1);
    figures.resources = run.count;
    const list = await run.tf(["state", "list"]);
    expect(list.stdout.trim().split("\n")).toHaveLength(run.count);
    expect(apply.stdout).toContain(`Apply complete! Resources: ${run.count} added, 0 changed, 0 destroyed.`);
  });

  it("holds what the stack declares: policy, roles, certificates from each role, AppRole login and its token's capabilities", async () => {
    // The policy reads back byte for byte.
    const declared = declaredPolicy();
    const policy = await admin.request<{ data: { policy: string } }>(
      { method: "GET", path: `sys/policies/acl/${declared.name}` },
      POLICIES.read,
    );
    expect(policy.body!.data.policy).toBe(declared.policy);

    // PKI roles read back as declared and issue certificates chained to the root.
    const pki = admin.pki("pki");
    const server_ = await pki.issue("server-cert", {
      common_name: "cassandra-node-1.example.com",
      alt_names: ["cassandra-node-1"],
      ttl: "1h",
    });
    expect(server_.parsed.extendedKeyUsages).toEqual(["serverAuth", "clientAuth"]);
    expect([...server_.parsed.sans.dns].sort()).toEqual(["cassandra-node-1", "cassandra-node-1.example.com"]);
    const client = await pki.issue("client-cert", { common_name: "app.example.com", ttl: "1h" });
    expect(client.parsed.extendedKeyUsages).toEqual(["clientAuth"]);
    expect(client.ca_chain).toHaveLength(2); // the issuing CA, then the root
    for (const role of ["server-cert", "client-cert"]) {
      const read = await admin.request<{ data: Record<string, unknown> }>({ method: "GET", path: `pki/roles/${role}` }, POLICIES.read);
      const model = Object.values(run.resources.vault_pki_secret_backend_role).find((r) => r.name === role)!;
      expect(read.body!.data.allowed_domains).toEqual(model.allowed_domains);
      expect(read.body!.data.max_ttl).toBe(Number(model.max_ttl));
    }

    // The application's AppRole: log in with the runtime, then ask what its token may do.
    const roleId = await admin.request<{ data: { role_id: string } }>(
      { method: "GET", path: "auth/approle/role/cassandra-cert-manager/role-id" },
      POLICIES.read,
    );
    const secretId = await admin.request<{ data: { secret_id: string } }>(
      { method: "POST", path: "auth/approle/role/cassandra-cert-manager/secret-id" },
      POLICIES.creatingWrite,
    );
    const app = new VaultClient({ address: server.address, namespace: NAMESPACE, cache: false });
    try {
      const login = await new AppRoleAuth({ roleId: roleId.body!.data.role_id, secretId: secretId.body!.data.secret_id }).login(
        app.requester,
      );
      expect(login.tokenPolicies).toEqual(["cassandra-cert-manager", "default"]);
      app.setToken(login.clientToken);
      const paths = [
        "pki/issue/server-cert",
        "pki/issue/client-cert",
        "secret/data/cassandra/keystore",
        "transit/encrypt/cassandra-encryption",
        "sys/policies/acl/x",
        "pki/root/sign-intermediate",
      ];
      const caps = await app.request<Record<string, string[]>>(
        { method: "POST", path: "sys/capabilities-self", body: { paths } },
        POLICIES.read,
      );
      expect(Object.fromEntries(paths.map((p) => [p, caps.body![p]]))).toEqual({
        "pki/issue/server-cert": ["update"],
        "pki/issue/client-cert": ["update"],
        "secret/data/cassandra/keystore": ["create", "patch", "read", "update"],
        "transit/encrypt/cassandra-encryption": ["update"],
        "sys/policies/acl/x": ["deny"],
        "pki/root/sign-intermediate": ["deny"],
      });
      // And the token does what the application needs: a node certificate.
      const issued = await app.pki("pki").issue("server-cert", { common_name: "cassandra-node-2.example.com", ttl: "1h" });
      expect(issued.parsed.commonName).toBe("cassandra-node-2.example.com");
    } finally {
      await app.close();
    }
  });

  it("plans no change again: terraform -detailed-exitcode 0 and vaultsmith drift 0", async () => {
    const started = Date.now();
    const result = await run.drift();
    figures.plan_s = +((Date.now() - started) / 1000).toFixed(1);
    expect({ code: result.code, planCode: result.planCode, out: result.out }).toEqual({
      code: 0,
      planCode: 0,
      out: `${STACK}: no drift\n`,
    });
  });

  it("names exactly the resources changed through the API (exit 2; 3 with --fail-on-widen for the widened policy)", async () => {
    const declared = declaredPolicy();
    await call(server.address, "PUT", `${NAMESPACE}/sys/policies/acl/${declared.name}`, {
      token: server.token,
      body: { policy: `${declared.policy}\npath "sys/*" {\n  capabilities = ["sudo", "read"]\n}\n` },
    });
    await call(server.address, "POST", `${NAMESPACE}/transit/keys/cassandra-encryption/config`, {
      token: server.token,
      body: { auto_rotate_period: "48h" },
    });
    const result = await run.drift();
    expect([result.code, result.planCode]).toEqual([2, 2]);
    const plan = analysePlan(result.plan);
    const changed = [...new Set(plan.resources.map((r) => r.address))].sort();
    expect(changed).toEqual([run.address("vault_policy"), run.address("vault_transit_secret_backend_key")].sort());
    expect(result.out).toContain("access: sys/* gains read, sudo");
    expect(result.out).toContain("auto_rotate_period: 2592000 -> 172800");
    const widened = await run.drift(["--fail-on-widen"]);
    expect(widened.code).toBe(3);
    expect(widened.out).toContain(`${STACK}: ${run.address("vault_policy")} widened outside Terraform`);
  });

  it("destroys everything but the protected root certificate, which leaves with its mount", async () => {
    const root = run.address("vault_pki_secret_backend_root_cert");
    expect((await run.tf(["state", "rm", root])).code).toBe(0);
    const destroy = await run.tf(["destroy", "-input=false", "-auto-approve"]);
    expect({ code: destroy.code, stderr: destroy.stderr }).toEqual({ code: 0, stderr: "" });
    figures.destroy_s = +(destroy.ms / 1000).toFixed(1);
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${run.count - 1} destroyed.`);
    const ns = await call(server.address, "GET", `sys/namespaces/${NAMESPACE}`, { token: server.token });
    expect(ns.status).toBe(404);
  });
});
