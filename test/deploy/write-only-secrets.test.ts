/**
 * Acceptance: the secrets vaultsmith sends through write-only arguments stay out of Terraform's
 * state and plan, and still reach the server. An LDAP auth mount bound to a real OpenLDAP
 * (`bindpass_wo`) and an OIDC auth mount whose identity provider is a second OpenBao (its
 * `identity/oidc/provider`; `oidc_client_secret_wo`) are applied with terraform to an OpenBao dev
 * server: first as vaultsmith rendered them before (`bindpass`, `oidc_client_secret`: both secrets
 * in state), then upgraded to the write-only arguments (the secrets leave the state), then with
 * bumped versions. Logins through both mounts prove the server holds what Terraform sent: the
 * LDAP login needs the bind password, the OIDC login needs the client secret at the provider's
 * token endpoint.
 */
import { TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { JwtOidcAuth } from "../../constructs/cdktf/jwt-oidc-auth";
import { renderedResource } from "../../constructs/cdktf/graph-renderer";
import { LdapAuth } from "../../constructs/cdktf/ldap-auth";
import { VaultStack } from "../../constructs/cdktf/vault-stack";
import { AuthLoginError, LdapAuth as LdapLogin } from "../../runtime";
import { HttpTransport } from "../../runtime";
import { DevServer, startDevServer } from "../support/dev-server";
import { RawAnswer, call } from "../support/harness-http";
import { LdapServer, startLdapServer } from "../support/ldap-server";
import { StackRun } from "./support/stack-run";

const STACK = "auth-secrets";
const ALICE_PASSWORD = "alice-Directory-4b1d";
/** Where the OIDC login would land in a browser; never called (the test calls the callback itself). */
const REDIRECT = "http://127.0.0.1:8250/oidc/callback";

/** The two write-only arguments, the stored ones they replace and their variables. */
const SECRETS = [
  { id: "ldap.backend", writeOnly: "bindpass_wo", stored: "bindpass", variable: "ldap_bindpass" },
  { id: "sso.backend", writeOnly: "oidc_client_secret_wo", stored: "oidc_client_secret", variable: "oidc_client_secret" },
] as const;

const figures: Record<string, string | number> = {};

describe("acceptance: write-only LDAP bind password and OIDC client secret, applied with terraform", () => {
  let server: DevServer;
  let idp: DevServer;
  let ldap: LdapServer;
  let run: StackRun;
  let transport: HttpTransport;
  let clientId: string;
  let clientSecret: string;
  let aliceIdpToken: string;

  /** The stack: LDAP auth with `ops` mapped to a policy, OIDC auth for people signing in at the provider. */
  const stack =
    (versions: { bindpass: number; oidc: number }, asBefore = false) =>
    (app: Construct): VaultStack => {
      const s = new VaultStack(app, STACK, { target: { edition: "openbao", version: "2.6.1" } });
      new LdapAuth(s, "ldap", {
        url: ldap.url,
        userdn: ldap.userDn,
        userattr: "uid",
        groupdn: ldap.groupDn,
        groupfilter: "(&(objectClass=groupOfNames)(member={{.UserDN}}))",
        groupattr: "cn",
        binddn: ldap.bindDn,
        bindpassVariable: "ldap_bindpass",
        bindpassVersion: versions.bindpass,
        groups: [{ name: "ops", policies: ["ops"] }],
      });
      new JwtOidcAuth(s, "sso", {
        type: "oidc",
        oidcDiscoveryUrl: `${idp.address}/v1/identity/oidc/provider/default`,
        oidcClientId: clientId,
        oidcClientSecretVariable: "oidc_client_secret",
        oidcClientSecretVersion: versions.oidc,
        defaultRole: "people",
        roles: [{ name: "people", userClaim: "sub", allowedRedirectUris: [REDIRECT], policies: ["people"] }],
      });
      if (asBefore) {
        // What vaultsmith synthesized before the write-only arguments: the stored argument from a
        // plain (not ephemeral) sensitive variable.
        for (const secret of SECRETS) {
          const resource = renderedResource(s, secret.id)!;
          resource.addOverride(secret.writeOnly, undefined);
          resource.addOverride(`${secret.writeOnly}_version`, undefined);
          resource.addOverride(secret.stored, `\${var.${secret.variable}}`);
          (s.node.findChild(secret.variable) as TerraformVariable).addOverride("ephemeral", undefined);
        }
      }
      return s;
    };

  /** LDAP login of alice (member of `ops`): Vault binds as `binddn` with the bind password to find her. */
  const ldapLogin = () => new LdapLogin({ username: "alice", password: ALICE_PASSWORD }).login(transport);

  /**
   * A whole OIDC sign-in: the auth URL from the server, the authorization code from the provider
   * (for alice's provider token, as her browser would get it), then the callback, where the server
   * redeems the code at the provider's token endpoint with the client secret.
   */
  async function oidcLogin(): Promise<RawAnswer<{ auth?: { token_policies: string[] }; errors?: string[] }>> {
    const url = await call<{ data: { auth_url: string } }>(server.address, "POST", "auth/oidc/oidc/auth_url", {
      body: { role: "people", redirect_uri: REDIRECT },
    });
    expect(url.status).toBe(200);
    const query = new URL(url.body.data.auth_url).search.slice(1);
    const code = await call<{ code: string; state: string }>(idp.address, "GET", `identity/oidc/provider/default/authorize?${query}`, {
      token: aliceIdpToken,
    });
    expect(code.status).toBe(200);
    const params = new URLSearchParams({ state: code.body.state, code: code.body.code });
    return call(server.address, "GET", `auth/oidc/oidc/callback?${params.toString()}`);
  }

  /** True when the text holds either secret (a boolean, so no failure prints one). */
  const holdsASecret = (text: string): boolean => text.includes(ldap.bindPassword) || text.includes(clientSecret);

  beforeAll(async () => {
    [server, idp, ldap] = await Promise.all([
      startDevServer("openbao"),
      startDevServer("openbao"),
      startLdapServer({ users: [{ uid: "alice", password: ALICE_PASSWORD }], groups: [{ name: "ops", members: ["alice"] }] }),
    ]);
    transport = new HttpTransport({ address: server.address });
    // The identity provider: alice signs in there with userpass; the server is its OIDC client.
    const root = { token: idp.token };
    expect((await call(idp.address, "POST", "sys/auth/userpass", { ...root, body: { type: "userpass" } })).status).toBe(204);
    await call(idp.address, "POST", "auth/userpass/users/alice", { ...root, body: { password: ALICE_PASSWORD } });
    await call(idp.address, "POST", "identity/oidc/client/vault", {
      ...root,
      body: { redirect_uris: [REDIRECT], assignments: ["allow_all"], id_token_ttl: "5m", access_token_ttl: "5m" },
    });
    const client = await call<{ data: { client_id: string; client_secret: string } }>(
      idp.address,
      "GET",
      "identity/oidc/client/vault",
      root,
    );
    clientId = client.body.data.client_id;
    clientSecret = client.body.data.client_secret;
    const alice = await call<{ auth: { client_token: string } }>(idp.address, "POST", "auth/userpass/login/alice", {
      body: { password: ALICE_PASSWORD },
    });
    aliceIdpToken = alice.body.auth.client_token;
    run = await StackRun.synthesize(STACK, stack({ bindpass: 1, oidc: 1 }, true), {
      VAULT_ADDR: server.address,
      VAULT_TOKEN: server.token,
      TF_VAR_ldap_bindpass: ldap.bindPassword,
      TF_VAR_oidc_client_secret: clientSecret,
    });
  }, 120_000);

  afterAll(async () => {
    await transport?.close();
    await Promise.all([server?.stop(), idp?.stop(), ldap?.stop()]);
    process.stderr.write(`[deploy] ${STACK}: ${JSON.stringify({ provider: process.env.VAULTSMITH_DEPLOY_PROVIDER, ...figures })}\n`);
  });

  it("as vaultsmith rendered them before (bindpass, oidc_client_secret): both logins work and both secrets are in the state", async () => {
    expect(Object.values(run.resources.vault_ldap_auth_backend)[0]).toMatchObject({ bindpass: "${var.ldap_bindpass}" });
    const apply = await run.tf(["apply", "-input=false", "-auto-approve"]);
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: "" });
    figures.resources = run.count;
    expect((await ldapLogin()).tokenPolicies).toEqual(["default", "ops"]);
    expect((await oidcLogin()).body.auth?.token_policies).toEqual(["default", "people"]);
    const state = run.stateText();
    expect([state.includes(ldap.bindPassword), state.includes(clientSecret)]).toEqual([true, true]);
  });

  it("upgraded to bindpass_wo and oidc_client_secret_wo: both backends change in place, both secrets leave the state, the logins still work", async () => {
    run.resynthesize(stack({ bindpass: 1, oidc: 1 }));
    const backend = Object.values(run.resources.vault_ldap_auth_backend)[0];
    expect(backend).toMatchObject({ bindpass_wo: "${var.ldap_bindpass}", bindpass_wo_version: 1 });
    expect(backend).not.toHaveProperty("bindpass");
    const apply = await run.tf(["apply", "-input=false", "-auto-approve"]);
    expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: "" });
    expect(apply.stdout).toContain("Apply complete! Resources: 0 added, 2 changed, 0 destroyed.");
    figures.upgrade_apply_s = +(apply.ms / 1000).toFixed(1);
    expect(holdsASecret(run.stateText())).toBe(false);
    expect((await ldapLogin()).tokenPolicies).toEqual(["default", "ops"]);
    expect((await oidcLogin()).body.auth?.token_policies).toEqual(["default", "people"]);
  });

  it("plans no change, and neither the plan nor the state holds a secret", async () => {
    const result = await run.drift();
    figures.plan_s = +(result.ms / 1000).toFixed(1);
    expect({ code: result.code, planCode: result.planCode, out: result.out }).toEqual({
      code: 0,
      planCode: 0,
      out: `${STACK}: no drift\n`,
    });
    expect(holdsASecret(result.plan)).toBe(false);
    expect(holdsASecret(run.stateText())).toBe(false);
  });

  it("sends a new bind password only with a new version: a changed value alone plans nothing, a bumped version delivers it", async () => {
    const wrong = { TF_VAR_ldap_bindpass: "not-the-bind-password" };
    const unchanged = await run.tf(["plan", "-input=false", "-detailed-exitcode"], wrong);
    expect(unchanged.code).toBe(0);
    // Version 2 carries the wrong value: the server now binds with it, and alice's login fails.
    run.resynthesize(stack({ bindpass: 2, oidc: 1 }));
    const bumped = await run.tf(["apply", "-input=false", "-auto-approve"], wrong);
    expect({ code: bumped.code, stderr: bumped.stderr }).toEqual({ code: 0, stderr: "" });
    expect(bumped.stdout).toContain("Resources: 0 added, 1 changed, 0 destroyed.");
    const refused = await ldapLogin().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthLoginError);
    // Version 3 with the right value repairs it.
    run.resynthesize(stack({ bindpass: 3, oidc: 1 }));
    const repaired = await run.tf(["apply", "-input=false", "-auto-approve"]);
    expect({ code: repaired.code, stderr: repaired.stderr }).toEqual({ code: 0, stderr: "" });
    expect((await ldapLogin()).tokenPolicies).toEqual(["default", "ops"]);
    expect(holdsASecret(run.stateText())).toBe(false);
  });

  it("delivers a new OIDC client secret with a bumped version: a wrong one breaks the sign-in at the provider, the right one repairs it", async () => {
    run.resynthesize(stack({ bindpass: 3, oidc: 2 }));
    const bumped = await run.tf(["apply", "-input=false", "-auto-approve"], { TF_VAR_oidc_client_secret: "not-the-client-secret" });
    expect({ code: bumped.code, stderr: bumped.stderr }).toEqual({ code: 0, stderr: "" });
    expect(bumped.stdout).toContain("Resources: 0 added, 1 changed, 0 destroyed.");
    const refused = await oidcLogin();
    expect(refused.body.auth).toBeUndefined();
    expect(refused.body.errors?.join(" ")).toMatch(/invalid_client|client authentication failed|unauthorized/i);
    run.resynthesize(stack({ bindpass: 3, oidc: 3 }));
    const repaired = await run.tf(["apply", "-input=false", "-auto-approve"]);
    expect({ code: repaired.code, stderr: repaired.stderr }).toEqual({ code: 0, stderr: "" });
    expect((await oidcLogin()).body.auth?.token_policies).toEqual(["default", "people"]);
    expect(holdsASecret(run.stateText())).toBe(false);
  });

  it("destroys both mounts", async () => {
    const destroy = await run.tf(["destroy", "-input=false", "-auto-approve"]);
    expect({ code: destroy.code, stderr: destroy.stderr }).toEqual({ code: 0, stderr: "" });
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${run.count} destroyed.`);
    const auths = await call<{ data: Record<string, unknown> }>(server.address, "GET", "sys/auth", { token: server.token });
    expect(Object.keys(auths.body.data).sort()).toEqual(["token/"]);
  });
});
