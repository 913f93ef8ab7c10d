/**
 * Acceptance: the SSH secrets engine kind (added with the one-module-per-kind layout) applied with
 * terraform and the real provider to a fresh OpenBao dev server. The CA key is generated inside
 * OpenBao; a token holding only the policy `grantSign` built signs a user key with the `deploy`
 * role and is refused on the host role; the stack re-plans with no change (the role TTLs are
 * written as strings of seconds, the form the provider reads back) and destroys.
 */
import { generateKeyPairSync } from "node:crypto";
import { Construct } from "constructs";
import { AclPolicy } from "../../constructs/cdktf/acl-policy";
import { SshSecrets } from "../../constructs/cdktf/ssh-secrets";
import { VaultStack } from "../../constructs/cdktf/vault-stack";
import { DevServer, startDevServer } from "../support/dev-server";
import { call } from "../support/harness-http";
import { StackRun } from "./support/stack-run";

/** An ed25519 public key in OpenSSH `authorized_keys` form, made by the test. */
function sshPublicKey(): string {
  const { publicKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x as string, "base64url");
  const field = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from("ssh-ed25519")), field(raw)]).toString("base64")} deploy@test`;
}

describe("acceptance: SshSecrets applied to a real OpenBao with terraform", () => {
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer("openbao");
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("applies, signs a user key with a token granted grantSign only, refuses the host role, re-plans clean, destroys", async () => {
    const build = (app: Construct): VaultStack => {
      const stack = new VaultStack(app, "ssh", { target: { edition: "openbao", version: "2.6.1" } });
      const ssh = new SshSecrets(stack, "ssh", {
        mountPath: "ssh-client",
        maxLeaseTtl: "24h",
        roles: [
          {
            name: "deploy",
            certType: "user",
            allowedUsers: ["deploy", "ops"],
            defaultUser: "deploy",
            defaultExtensions: { "permit-pty": "" },
            allowedExtensions: ["permit-pty"],
            ttl: "30m",
            maxTtl: "2h",
          },
          { name: "hosts", certType: "host", allowedDomains: ["example.internal"], allowSubdomains: true, ttl: "24h" },
        ],
      });
      ssh.grantSign(new AclPolicy(stack, "signer", { policyName: "ssh-signer" }), "deploy");
      return stack;
    };
    const run = await StackRun.synthesize("ssh", build, { VAULT_ADDR: server.address, VAULT_TOKEN: server.token });
    const apply = await run.tf(["apply", "-input=false", "-auto-approve"]);
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: "" });
    expect(apply.stdout).toContain("Apply complete! Resources: 5 added, 0 changed, 0 destroyed.");

    const root = { token: server.token };
    const ca = await call<{ data: { public_key: string } }>(server.address, "GET", "ssh-client/config/ca", root);
    expect(ca.body.data.public_key).toMatch(/^ssh-ed25519 /);
    const role = await call<{ data: Record<string, unknown> }>(server.address, "GET", "ssh-client/roles/deploy", root);
    expect(role.body.data).toMatchObject({ key_type: "ca", allowed_users: "deploy,ops", ttl: 1800, max_ttl: 7200 });

    const token = await call<{ auth: { client_token: string } }>(server.address, "POST", "auth/token/create", {
      ...root,
      body: { policies: ["ssh-signer"], no_default_policy: true, ttl: "10m" },
    });
    const signer = { token: token.body.auth.client_token };
    const signed = await call<{ data: { signed_key: string } }>(server.address, "POST", "ssh-client/sign/deploy", {
      ...signer,
      body: { public_key: sshPublicKey(), valid_principals: "deploy" },
    });
    expect(signed.status).toBe(200);
    expect(signed.body.data.signed_key).toMatch(/^ssh-ed25519-cert-v01@openssh\.com /);
    const refused = await call(server.address, "POST", "ssh-client/sign/hosts", {
      ...signer,
      body: { public_key: sshPublicKey(), cert_type: "host", valid_principals: "a.example.internal" },
    });
    expect(refused.status).toBe(403);

    const plan = await run.tf(["plan", "-input=false", "-detailed-exitcode"]);
    expect({ code: plan.code, stdout: plan.code === 0 ? "" : plan.stdout }).toEqual({ code: 0, stdout: "" });
    const destroy = await run.tf(["destroy", "-input=false", "-auto-approve"]);
    expect(destroy.code).toBe(0);
    const mounts = await call<{ data: Record<string, unknown> }>(server.address, "GET", "sys/mounts", root);
    expect(Object.keys(mounts.body.data)).not.toContain("ssh-client/");
  }, 180_000);
});
