/**
 * Acceptance: the example app's Cassandra estate (`examples/cdktf`, as `cdktf synth` builds it)
 * applied with terraform and the real terraform-provider-vault to a fresh OpenBao dev server,
 * checked on the live server with the runtime, planned again (no changes, no drift), changed
 * through the API (drift names exactly the changed resources), and destroyed.
 *
 * The root CA certificate is protected (`prevent_destroy`), as documented: before the destroy it
 * leaves Terraform's management (`terraform state rm`), and destroying its mount takes it away.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, LocalBackend } from "cdktf";
import { main } from "../../cli/main";
import { analysePlan } from "../../constructs/drift/plan-drift";
import { addCassandraEstate } from "../../examples/cdktf/cassandra-estate";
import { AppRoleAuth, POLICIES, VaultClient } from "../../runtime";
import { DevServer, startDevServer } from "../support/dev-server";
import { call } from "../support/harness-http";
import { terraform, terraformEnv } from "./support/terraform";

const STACK = "cassandra-cert-manager";
const NAMESPACE = "cassandra-cert-manager";

interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

/** Figures printed at the end, for the closing note. */
const figures: Record<string, string | number> = {};

describe("acceptance: the Cassandra estate applied to a real OpenBao with terraform", () => {
  let server: DevServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let synthesized: Synthesized;
  let admin: VaultClient;
  const addressOf = (type: string, local?: string): string => {
    const keys = Object.keys(synthesized.resource[type] ?? {});
    const key = local ? keys.find((k) => k.includes(local)) : keys[0];
    if (!key) throw new Error(`no ${type} ${local ?? ""} in the synthesized stack`);
    return `${type}.${key}`;
  };
  const resourceCount = (): number => Object.values(synthesized.resource).reduce((n, r) => n + Object.keys(r).length, 0);

  async function tf(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
    const colorless = ["init", "plan", "apply", "destroy"].includes(args[0]) ? ["-no-color"] : [];
    return terraform(dir, [...args, ...colorless], env);
  }

  async function drift(args: string[]): Promise<{ code: number; out: string }> {
    const plan = await tf(["plan", "-input=false", "-detailed-exitcode", "-out=drift.tfplan"]);
    if (plan.code === 1) throw new Error(`terraform plan failed:\n${plan.stderr}`);
    const show = await tf(["show", "-json", "drift.tfplan"]);
    writeFileSync(join(dir, "plan.json"), show.stdout);
    let out = "";
    const code = await main(["drift", ...args, `${STACK}=plan.json`], {
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
      env: {},
      cwd: dir,
    });
    return { code, out: `${out}[terraform plan -detailed-exitcode: ${plan.code}]\n` };
  }

  beforeAll(async () => {
    server = await startDevServer("openbao");
    admin = new VaultClient({ address: server.address, token: server.token, namespace: NAMESPACE, cache: false });
    dir = mkdtempSync(join(tmpdir(), "deploy-cassandra-"));
    // The example app's stack, synthesized as `cdktf synth` does (examples/cdktf/main.ts), with
    // local state in the run's temp dir and a Cassandra connection that is not verified.
    const app = new App({ outdir: join(dir, "cdktf.out") });
    const stack = addCassandraEstate(app, {
      VAULTSMITH_TARGET: "openbao@2.6.1",
      CASSANDRA_HOSTS: "127.0.0.1",
      CASSANDRA_VERIFY_CONNECTION: "false",
      VAULT_ROLE_ID: "unused",
      VAULT_SECRET_ID: "unused",
    });
    new LocalBackend(stack, { path: join(dir, "terraform.tfstate") });
    app.synth();
    dir = join(dir, "cdktf.out", "stacks", STACK);
    synthesized = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as Synthesized;
    env = terraformEnv({ VAULT_ADDR: server.address, VAULT_TOKEN: server.token, TF_VAR_cassandra_admin_password: "cassandra-admin-pw" });
    const init = await tf(["init", "-input=false"]);
    if (init.code !== 0) throw new Error(`terraform init failed:\n${init.stderr}`);
    figures.init_s = +(init.ms / 1000).toFixed(1);
  });

  afterAll(async () => {
    await admin?.close();
    await server?.stop();
    process.stderr.write(
      `[deploy] cassandra-cert-manager: ${JSON.stringify({ provider: process.env.VAULTSMITH_DEPLOY_PROVIDER, ...figures })}\n`,
    );
  });

  it("applies to a fresh server in one go", async () => {
    const apply = await tf(["apply", "-input=false", "-auto-approve"]);
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: "" });
    figures.apply_s = +(apply.ms / 1000).toFixed(1);
    figures.resources = resourceCount();
    const list = await tf(["state", "list"]);
    expect(list.stdout.trim().split("\n")).toHaveLength(resourceCount());
    expect(apply.stdout).toContain(`Apply complete! Resources: ${resourceCount()} added, 0 changed, 0 destroyed.`);
  });

  it("holds what the stack declares: policy, roles, certificates from each role, AppRole login and its token's capabilities", async () => {
    // The policy reads back byte for byte.
    const declared = Object.values(synthesized.resource.vault_policy)[0] as { name: string; policy: string };
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
      const model = Object.values(synthesized.resource.vault_pki_secret_backend_role).find((r) => r.name === role)!;
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
    const result = await drift([]);
    figures.plan_s = +((Date.now() - started) / 1000).toFixed(1);
    expect(result.out).toBe(`${STACK}: no drift\n[terraform plan -detailed-exitcode: 0]\n`);
    expect(result.code).toBe(0);
  });

  it("names exactly the resources changed through the API (exit 2; 3 with --fail-on-widen for the widened policy)", async () => {
    const declared = Object.values(synthesized.resource.vault_policy)[0] as { name: string; policy: string };
    await call(server.address, "PUT", `${NAMESPACE}/sys/policies/acl/${declared.name}`, {
      token: server.token,
      body: { policy: `${declared.policy}\npath "sys/*" {\n  capabilities = ["sudo", "read"]\n}\n` },
    });
    await call(server.address, "POST", `${NAMESPACE}/transit/keys/cassandra-encryption/config`, {
      token: server.token,
      body: { auto_rotate_period: "48h" },
    });
    const result = await drift([]);
    expect(result.code).toBe(2);
    const plan = analysePlan(readFileSync(join(dir, "plan.json"), "utf8"));
    const changed = [...new Set(plan.resources.map((r) => r.address))].sort();
    expect(changed).toEqual([addressOf("vault_policy"), addressOf("vault_transit_secret_backend_key")].sort());
    expect(result.out).toContain("access: sys/* gains read, sudo");
    expect(result.out).toContain("auto_rotate_period: 2592000 -> 172800");
    expect(result.out).toContain("[terraform plan -detailed-exitcode: 2]");
    const widened = await drift(["--fail-on-widen"]);
    expect(widened.code).toBe(3);
    expect(widened.out).toContain(`${STACK}: ${addressOf("vault_policy")} widened outside Terraform`);
  });

  it("destroys everything but the protected root certificate, which leaves with its mount", async () => {
    const root = addressOf("vault_pki_secret_backend_root_cert");
    expect((await tf(["state", "rm", root])).code).toBe(0);
    const destroy = await tf(["destroy", "-input=false", "-auto-approve"]);
    expect({ code: destroy.code, stderr: destroy.stderr }).toEqual({ code: 0, stderr: "" });
    figures.destroy_s = +(destroy.ms / 1000).toFixed(1);
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${resourceCount() - 1} destroyed.`);
    const ns = await call(server.address, "GET", `sys/namespaces/${NAMESPACE}`, { token: server.token });
    expect(ns.status).toBe(404);
  });
});
