/**
 * Acceptance: the example app's Cassandra estate (`examples/cdktf`, as `cdktf synth` builds it)
 * applied with terraform and the real terraform-provider-vault, once to a fresh OpenBao dev
 * server and once to a fresh 3-node OpenBao Raft cluster with TLS listeners; its database engine
 * connected (verified on apply) to a real Cassandra with TLS and password authentication. Each
 * run checks the live estate with the runtime (dynamic Cassandra credentials that log in,
 * rotate-root), plans again (no changes, no drift), changes things through the API (drift names
 * exactly those resources), and destroys.
 *
 * The root CA certificate is protected (`prevent_destroy`), as documented: before the destroy it
 * leaves Terraform's management (`terraform state rm`), and destroying its mount takes it away.
 */
import { readFileSync } from "node:fs";
import { addCassandraEstate } from "../../examples/cdktf/cassandra-estate";
import { analysePlan } from "../../drift/plan-drift";
import { AppRoleAuth, POLICIES, VaultClient } from "../../runtime";
import { driver } from "../support/cassandra-client";
import { PASSWORD_CHANGE_INTERVAL_MS, PasswordCassandra, startPasswordCassandra } from "../support/cassandra-passwords";
import { StackRun } from "./support/stack-run";
import { DEPLOY_TARGETS, DeployTarget } from "./support/targets";

const STACK = "cassandra-cert-manager";
const NAMESPACE = "cassandra-cert-manager";
/** The admin role Vault connects to Cassandra as (the stack's default `cassandraUsername`). */
const CASSANDRA_ADMIN = "vault_admin";

/** One Cassandra node for both runs; each run gives its admin role a fresh password. */
let cassandra: PasswordCassandra;

beforeAll(async () => {
  const started = Date.now();
  cassandra = await startPasswordCassandra();
  process.stderr.write(`[deploy] cassandra ${cassandra.server.version} up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  // Something for the dynamic role's `GRANT SELECT ON ALL KEYSPACES` to read.
  await cassandra.execute("CREATE KEYSPACE IF NOT EXISTS estate WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await cassandra.execute("CREATE TABLE IF NOT EXISTS estate.nodes (name text PRIMARY KEY, dc text)");
  await cassandra.execute("INSERT INTO estate.nodes (name, dc) VALUES (?, ?)", ["cassandra-node-1", "dc1"]);
}, 300_000);

afterAll(async () => {
  await cassandra?.stop();
});

/** Dynamic credentials as the database engine returns them. */
interface DatabaseCreds {
  readonly lease_id: string;
  readonly lease_duration: number;
  readonly data: { readonly username: string; readonly password: string };
}

describe.each(DEPLOY_TARGETS)("acceptance: the Cassandra estate applied with terraform to an OpenBao %s", (label, start) => {
  const figures: Record<string, string | number> = {};
  let target: DeployTarget;
  let run: StackRun;
  let admin: VaultClient;
  let adminPassword: string;
  let adminPasswordSetAt: number;
  const declaredPolicy = () => Object.values(run.resources.vault_policy)[0] as { name: string; policy: string };

  /** A client logged in with the manager's AppRole, as the application runs. */
  async function appClient(): Promise<VaultClient> {
    const roleId = await admin.request<{ data: { role_id: string } }>(
      { method: "GET", path: "auth/approle/role/cassandra-cert-manager/role-id" },
      POLICIES.read,
    );
    const secretId = await admin.request<{ data: { secret_id: string } }>(
      { method: "POST", path: "auth/approle/role/cassandra-cert-manager/secret-id" },
      POLICIES.creatingWrite,
    );
    const app = target.client({ namespace: NAMESPACE });
    const login = await new AppRoleAuth({ roleId: roleId.body!.data.role_id, secretId: secretId.body!.data.secret_id }).login(app);
    expect(login.tokenPolicies).toEqual(["cassandra-cert-manager", "default"]);
    app.setToken(login.clientToken);
    return app;
  }

  /** `GET database/creds/cassandra-app`: a lease-creating read, so sent once to the active node. */
  async function databaseCreds(client: VaultClient): Promise<DatabaseCreds> {
    const res = await client.request<DatabaseCreds>({ method: "GET", path: "database/creds/cassandra-app" }, POLICIES.creatingWrite);
    return res.body!;
  }

  beforeAll(async () => {
    let started = Date.now();
    target = await start();
    figures.server_up_s = +((Date.now() - started) / 1000).toFixed(1);
    admin = target.client({ namespace: NAMESPACE, token: target.token });
    adminPassword = await cassandra.resetAdmin(CASSANDRA_ADMIN);
    adminPasswordSetAt = Date.now();
    // The example app's stack as `cdktf synth` builds it (examples/cdktf/main.ts), its database
    // connection pointed at the real node: TLS verified against the node's CA, protocol 4 (the
    // stack's default), verify_connection on (the default): the apply fails unless Vault logs in.
    started = Date.now();
    run = await StackRun.synthesize(
      STACK,
      (app) =>
        addCassandraEstate(app, {
          VAULTSMITH_TARGET: "openbao@2.6.1",
          CASSANDRA_HOSTS: cassandra.server.host,
          CASSANDRA_PORT: String(cassandra.server.nativePort),
          CASSANDRA_TLS: "true",
          CASSANDRA_CA_CERT_FILE: cassandra.caFile,
          VAULT_ROLE_ID: "unused",
          VAULT_SECRET_ID: "unused",
        }),
      { ...target.terraformEnv, TF_VAR_cassandra_admin_password: adminPassword },
    );
    figures.synth_init_s = +((Date.now() - started) / 1000).toFixed(1);
  }, 300_000);

  afterAll(async () => {
    await admin?.close();
    await target?.stop();
    process.stderr.write(
      `[deploy] cassandra-cert-manager on ${label}: ${JSON.stringify({ provider: process.env.VAULTSMITH_DEPLOY_PROVIDER, ...figures })}\n`,
    );
  });

  it("synthesizes the connection as the stack sets it: the real node, TLS with its CA, protocol 4, verified", () => {
    const connection = Object.values(run.resources.vault_database_secret_backend_connection)[0] as {
      verify_connection: boolean;
      cassandra: Record<string, unknown>;
    };
    expect(connection.verify_connection).toBe(true);
    expect(connection.cassandra).toMatchObject({
      hosts: [cassandra.server.host],
      port: cassandra.server.nativePort,
      protocol_version: 4,
      tls: true,
      pem_bundle: readFileSync(cassandra.caFile, "utf8"),
      username: CASSANDRA_ADMIN,
    });
  });

  it("applies to a fresh server in one go, Vault logging in to Cassandra on the way", async () => {
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
    const app = await appClient();
    try {
      const paths = [
        "pki/issue/server-cert",
        "pki/issue/client-cert",
        "secret/data/cassandra/keystore",
        "transit/encrypt/cassandra-encryption",
        "database/creds/cassandra-app",
        "database/rotate-root/cassandra",
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
        "database/creds/cassandra-app": ["read"],
        "database/rotate-root/cassandra": ["deny"],
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

  it("reads through the active node: the runtime's cluster view names the node that reports itself active", async () => {
    const active = await target.activeAddress();
    const sent = new Map<string, number>();
    const spies = admin.cluster.nodes.map((node) => {
      const original = node.transport.send.bind(node.transport);
      return jest.spyOn(node.transport, "send").mockImplementation((req) => {
        sent.set(node.address, (sent.get(node.address) ?? 0) + 1);
        return original(req);
      });
    });
    try {
      for (let i = 0; i < 5; i++) {
        const role = await admin.request<{ data: { max_ttl: number } }>({ method: "GET", path: "pki/roles/server-cert" }, POLICIES.read);
        expect(role.body!.data.max_ttl).toBe(2592000);
      }
      await admin.pki("pki").issue("server-cert", { common_name: "cassandra-node-3.example.com", ttl: "1h" });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(admin.cluster.leader?.address).toBe(active);
    expect(Object.fromEntries(sent)).toEqual({ [active]: 6 });
    expect(admin.cluster.nodes).toHaveLength(target.addresses.length);
  });

  it("issues dynamic Cassandra credentials to the application that log in, read, cannot administer, and die with their lease", async () => {
    const app = await appClient();
    let creds: DatabaseCreds;
    try {
      creds = await databaseCreds(app);
    } finally {
      await app.close();
    }
    expect(creds.lease_duration).toBe(3600); // the role's default_ttl, 1h
    expect(creds.data.username).not.toBe(CASSANDRA_ADMIN);
    const session = driver(cassandra.server, cassandra.tls, creds.data);
    try {
      const rows = await session.execute("SELECT name, dc FROM estate.nodes");
      expect(rows.rows.map((r) => [r.get("name"), r.get("dc")])).toEqual([["cassandra-node-1", "dc1"]]);
      // NOSUPERUSER and SELECT only.
      await expect(session.execute("CREATE ROLE intruder WITH PASSWORD = 'x' AND LOGIN = true")).rejects.toThrow(
        /not have (sufficient privileges|permission)|Only superusers/i,
      );
      await expect(session.execute("INSERT INTO estate.nodes (name, dc) VALUES ('x', 'y')")).rejects.toThrow(/has no MODIFY permission/);
    } finally {
      await session.shutdown();
    }
    // Revoking the lease runs the role's revocation statement: the user is gone.
    await admin.request({ method: "PUT", path: "sys/leases/revoke", body: { lease_id: creds.lease_id } }, POLICIES.idempotentWrite);
    expect(await cassandra.roles()).not.toContain(creds.data.username);
    expect(await cassandra.canLogIn(creds.data)).toMatch(/Provided username .* and\/or password are incorrect/);
  });

  it("rotates the root credential: the password Terraform was given (and keeps in state) stops working, Vault carries on", async () => {
    expect(await cassandra.canLogIn({ username: CASSANDRA_ADMIN, password: adminPassword })).toBe(true);
    // Cassandra's own limit on password changes, not Vault's: rotating sooner answers HTTP 500.
    const early = adminPasswordSetAt + PASSWORD_CHANGE_INTERVAL_MS + 100 - Date.now();
    if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
    const rotate = await admin.request({ method: "POST", path: "database/rotate-root/cassandra" }, POLICIES.idempotentWrite);
    expect(rotate.status).toBe(204);
    expect(await cassandra.canLogIn({ username: CASSANDRA_ADMIN, password: adminPassword })).toMatch(
      /Provided username vault_admin and\/or password are incorrect/,
    );
    // What rotate-root is for: the value Terraform keeps in state is now dead. (A boolean, so a
    // failure does not print the password.)
    expect(run.stateText().includes(adminPassword)).toBe(true);
    // Vault holds the new password: it still creates users. This lease stays open until the destroy.
    const creds = await databaseCreds(admin);
    expect(await cassandra.canLogIn(creds.data)).toBe(true);
  });

  it("plans no change again (rotate-root included): terraform -detailed-exitcode 0 and vaultsmith drift 0", async () => {
    const result = await run.drift();
    figures.plan_s = +(result.ms / 1000).toFixed(1);
    expect({ code: result.code, planCode: result.planCode, out: result.out }).toEqual({
      code: 0,
      planCode: 0,
      out: `${STACK}: no drift\n`,
    });
  });

  it("names exactly the resources changed through the API (exit 2; 3 with --fail-on-widen for the widened policy)", async () => {
    const declared = declaredPolicy();
    const put = await target.call("PUT", `${NAMESPACE}/sys/policies/acl/${declared.name}`, {
      policy: `${declared.policy}\npath "sys/*" {\n  capabilities = ["sudo", "read"]\n}\n`,
    });
    expect(put.status).toBe(204);
    const config = await target.call("POST", `${NAMESPACE}/transit/keys/cassandra-encryption/config`, { auto_rotate_period: "48h" });
    expect(config.status).toBe(200);
    const result = await run.drift();
    expect([result.code, result.planCode]).toEqual([3, 2]);
    const plan = analysePlan(result.plan);
    const changed = [...new Set(plan.resources.map((r) => r.address))].sort();
    expect(changed).toEqual([run.address("vault_policy"), run.address("vault_transit_secret_backend_key")].sort());
    expect(result.out).toContain("access: sys/* gains read, sudo");
    expect(result.out).toContain("auto_rotate_period: 2592000 -> 172800");
    const widened = await run.drift(["--fail-on-widen"]);
    expect(widened.code).toBe(4);
    expect(widened.out).toContain(`${STACK}: ${run.address("vault_policy")} widened outside Terraform`);
  });

  it("destroys everything but the protected root certificate, which leaves with its mount, once the open leases are revoked", async () => {
    // Terraform deletes the role and the connection before the mount, and unmounting revokes the
    // open leases, which needs the connection: with a lease open the destroy fails ("failed to
    // revoke … failed to find entry for connection"). Revoke them first, as the README says.
    const revoke = await target.call("PUT", `${NAMESPACE}/sys/leases/revoke-prefix/database/creds/cassandra-app`);
    expect(revoke.status).toBe(204);
    expect(await cassandra.roles()).toEqual(["cassandra", CASSANDRA_ADMIN]);
    const root = run.address("vault_pki_secret_backend_root_cert");
    expect((await run.tf(["state", "rm", root])).code).toBe(0);
    const destroy = await run.tf(["destroy", "-input=false", "-auto-approve"]);
    expect({ code: destroy.code, stderr: destroy.stderr }).toEqual({ code: 0, stderr: "" });
    figures.destroy_s = +(destroy.ms / 1000).toFixed(1);
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${run.count - 1} destroyed.`);
    const ns = await target.call("GET", `sys/namespaces/${NAMESPACE}`);
    expect(ns.status).toBe(404);
  });
});
